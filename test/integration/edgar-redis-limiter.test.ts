/**
 * RedisWindowRateLimiter with real ioredis clients: against an isolated redis-server on loopback
 * (skipped, loudly, when the binary is missing), two "Lambdas" with their own connections share one
 * 10-per-window budget, counted on a virtual clock so no real second has to pass; against a port
 * where nothing listens, the limiter fails open through its fallback and reports it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisWindowRateLimiter } from '../../lambdas/adapters/sources/edgar/rate-limiter';
import type { RateLimitRedis } from '../../lambdas/adapters/sources/edgar/rate-limiter';

const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasRedisServer) console.warn('redis-server is not on PATH: skipping the live-server EDGAR rate limiter tests');

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function startRedis(): Promise<number> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await acceptsConnections(port)) return port;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not start on port ${port}`);
}

/** A fail-fast client, as the limiter expects: no offline queue, no per-request retries. */
function client(port: number): Redis {
  const redis = new Redis({
    host: '127.0.0.1',
    port,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    lazyConnect: true,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  cleanups.push(async () => {
    redis.disconnect();
  });
  return redis;
}

/** Virtual time that only moves when no Redis command is in flight. */
class IoAwareFakeClock {
  time = 1_800_000_000_000;
  inFlight = 0;
  private timers: Array<{ at: number; seq: number; resolve: () => void }> = [];
  private seq = 0;
  readonly now = (): number => this.time;
  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.timers.push({ at: this.time + ms, seq: this.seq++, resolve });
    });

  /** The client with every command counted as in flight. */
  track(redis: Redis): RateLimitRedis {
    const counted = async <T>(command: () => Promise<T>): Promise<T> => {
      this.inFlight += 1;
      try {
        return await command();
      } finally {
        this.inFlight -= 1;
      }
    };
    return { incr: (key) => counted(() => redis.incr(key)), pexpire: (key, ms) => counted(() => redis.pexpire(key, ms)) };
  }

  async run<T>(work: Promise<T>, maxSteps = 20_000): Promise<T> {
    let settled = false;
    work.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let step = 0; step < maxSteps; step += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return work;
      if (this.inFlight > 0 || this.timers.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        continue;
      }
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift()!;
      this.time = Math.max(this.time, next.at);
      next.resolve();
    }
    throw new Error(`not settled after ${maxSteps} steps`);
  }
}

describe.skipIf(!hasRedisServer)('RedisWindowRateLimiter against a live redis-server', () => {
  it('shares 10 requests per window between two processes with their own connections, and expires its keys', async () => {
    const port = await startRedis();
    const [first, second] = [client(port), client(port)];
    await Promise.all([first.connect(), second.connect()]);
    const clock = new IoAwareFakeClock();
    const degraded: string[] = [];
    const limiters = [first, second].map(
      (redis) =>
        new RedisWindowRateLimiter({
          redis: clock.track(redis),
          keyPrefix: '{edgar-test}',
          now: clock.now,
          sleep: clock.sleep,
          onDegraded: (detail) => degraded.push(detail),
        }),
    );
    const granted: number[] = [];
    const callers = Array.from({ length: 25 }, async (_, i) => {
      await limiters[i % 2]!.acquire();
      granted.push(clock.now());
    });
    await clock.run(Promise.all(callers));

    const perWindow = new Map<number, number>();
    for (const time of granted) perWindow.set(Math.floor(time / 1000), (perWindow.get(Math.floor(time / 1000)) ?? 0) + 1);
    expect([...perWindow.values()]).toEqual([10, 10, 5]);
    expect(degraded).toEqual([]);
    for (const window of perWindow.keys()) {
      const ttl = await first.pttl(`{edgar-test}:${window}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(2_000);
    }
  });
});

describe('RedisWindowRateLimiter with Redis unreachable', () => {
  it('fails open through its fallback and reports why, taking an ioredis client as it is', async () => {
    const redis = client(await freePort());
    const degraded: string[] = [];
    let fallbackGrants = 0;
    const limiter = new RedisWindowRateLimiter({
      redis,
      onDegraded: (detail) => degraded.push(detail),
      fallback: { acquire: async () => void (fallbackGrants += 1) },
    });
    await limiter.acquire();
    await limiter.acquire();
    expect(fallbackGrants).toBe(2);
    expect(degraded).toHaveLength(2);
    expect(degraded[0]).toMatch(/Redis failed/);
  });
});
