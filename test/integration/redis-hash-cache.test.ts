/**
 * RedisHashCache against real servers on loopback: its own isolated redis-server per test (never the
 * shared 6379), a port where nothing listens, and a TCP server that accepts connections and never
 * answers. The cache must turn every failure into misses, report why through onDegraded, open its
 * breaker, and never throw or hang. Durations are printed for the record, never asserted.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import type { Server, Socket, AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisHashCache } from '../../lambdas/adapters/cache/redis-hash-cache';
import type { CacheDegradation } from '../../lambdas/core/ports';

/** The live-server tests need the redis-server binary; without it they are skipped, loudly. */
const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasRedisServer) console.warn('redis-server is not on PATH: skipping the live-server RedisHashCache tests');

// ---------------------------------------------------------------------------------------------
// Fixtures: each test registers what it starts, and afterEach stops all of it.

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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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

interface RedisServer {
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** An isolated redis-server on `port` (a free one by default): no persistence, loopback only. */
async function startRedis(options: { port?: number; password?: string; debug?: boolean } = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  if (options.password) args.push('--requirepass', options.password);
  if (options.debug) args.push('--enable-debug-command', 'local');
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  cleanups.push(stop);
  // Bounded wait for the server to listen.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await acceptsConnections(port)) return { port, process: child, stop };
    await sleep(50);
  }
  throw new Error(`redis-server did not start on port ${port}`);
}

/** Accepts TCP connections and never writes a byte: the worst kind of dead dependency. */
async function startBlackHole(): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as AddressInfo).port;
}

function recorder() {
  const reasons: CacheDegradation[] = [];
  const details: string[] = [];
  return {
    reasons,
    details,
    onDegraded: (reason: CacheDegradation, detail: string) => {
      reasons.push(reason);
      details.push(detail);
    },
  };
}

function track(cache: RedisHashCache): RedisHashCache {
  cleanups.push(() => cache.close());
  return cache;
}

function inspector(port: number, password?: string): Redis {
  const client = new Redis({ host: '127.0.0.1', port, password, lazyConnect: true, maxRetriesPerRequest: 1 });
  cleanups.push(async () => {
    client.disconnect();
  });
  return client;
}

const keys = (n: number, ticker = 'ACME') => Array.from({ length: n }, (_, i) => `emb:{${ticker}}:sec-v1:m:doc#${i}`);

// ---------------------------------------------------------------------------------------------

describe.skipIf(!hasRedisServer)('RedisHashCache against a live redis-server', () => {
  it('round-trips hashes: one MGET for reads, one pipeline of SET EX for writes', async () => {
    const redis = await startRedis();
    const events = recorder();
    const cache = track(new RedisHashCache({ url: `redis://127.0.0.1:${redis.port}`, onDegraded: events.onDegraded }));
    const ks = keys(50);
    expect(await cache.getMany(ks)).toEqual(ks.map(() => null));
    await cache.setMany(ks.slice(0, 30).map((k, i) => [k, `hash-${i}`]));
    const values = await cache.getMany(ks);
    expect(values.slice(0, 30)).toEqual(ks.slice(0, 30).map((_, i) => `hash-${i}`));
    expect(values.slice(30)).toEqual(ks.slice(30).map(() => null));
    expect(events.reasons).toEqual([]);

    // Written with the default 30-day expiry.
    const client = inspector(redis.port);
    await client.connect();
    const ttl = await client.ttl(ks[0]!);
    expect(ttl).toBeGreaterThan(30 * 24 * 3600 - 60);
    expect(ttl).toBeLessThanOrEqual(30 * 24 * 3600);
  });

  it('reads keys of several stocks in one call, slot by slot, in the caller’s order', async () => {
    const redis = await startRedis();
    const cache = track(new RedisHashCache({ url: `redis://127.0.0.1:${redis.port}`, ttlSeconds: 0 }));
    const mixed = [...keys(3, 'AAA'), ...keys(2, 'BBB'), 'plain-key', ...keys(2, 'AAA').map((k) => `${k}-x`)];
    await cache.setMany(mixed.map((k) => [k, `v:${k}`]));
    const order = [mixed[5]!, mixed[0]!, mixed[3]!, 'absent', mixed[6]!, mixed[1]!];
    expect(await cache.getMany(order)).toEqual([`v:${mixed[5]}`, `v:${mixed[0]}`, `v:${mixed[3]}`, null, `v:${mixed[6]}`, `v:${mixed[1]}`]);
    const client = inspector(redis.port);
    await client.connect();
    expect(await client.ttl(mixed[0]!)).toBe(-1);
  });

  it('authenticates with a password from the URL or from the options', async () => {
    const redis = await startRedis({ password: 's3cret/with:chars' });
    const fromUrl = track(new RedisHashCache({ url: `redis://:${encodeURIComponent('s3cret/with:chars')}@127.0.0.1:${redis.port}` }));
    await fromUrl.setMany([['k', 'v']]);
    expect(await fromUrl.getMany(['k'])).toEqual(['v']);
    const fromOptions = track(
      new RedisHashCache({ url: `redis://127.0.0.1:${redis.port}`, username: 'default', password: 's3cret/with:chars' }),
    );
    expect(await fromOptions.getMany(['k'])).toEqual(['v']);
    const events = recorder();
    const wrong = track(new RedisHashCache({ url: `redis://:nope@127.0.0.1:${redis.port}`, onDegraded: events.onDegraded }));
    expect(await wrong.getMany(['k'])).toEqual([null]);
    expect(events.reasons).toHaveLength(1);
    expect(['error', 'timeout']).toContain(events.reasons[0]);
  });

  it('turns calls into misses when the server dies, opens the breaker, and recovers after the cooldown', async () => {
    const redis = await startRedis();
    let now = 0;
    const events = recorder();
    const cache = track(
      new RedisHashCache({ url: `redis://127.0.0.1:${redis.port}`, onDegraded: events.onDegraded, now: () => now, cooldownMs: 5_000 }),
    );
    await cache.setMany([['k', 'v']]);
    expect(await cache.getMany(['k'])).toEqual(['v']);

    await redis.stop();
    for (let i = 0; i < 20; i += 1) {
      expect(await cache.getMany(['k'])).toEqual([null]);
      await cache.setMany([['k', 'v2']]);
    }
    // The first three calls tried and failed; after that the breaker answered without Redis.
    expect(events.reasons.slice(0, 3).every((r) => r === 'error' || r === 'timeout')).toBe(true);
    expect(events.reasons.slice(3).every((r) => r === 'breaker_open')).toBe(true);
    expect(events.reasons.filter((r) => r === 'breaker_open')).toHaveLength(37);

    // Redis returns (same port, empty); once the cooldown has passed a probe finds it again.
    const revived = await startRedis({ port: redis.port });
    const client = inspector(revived.port);
    await client.connect();
    await client.set('k', 'after-restart');
    let value: string | null = null;
    for (let attempt = 0; attempt < 100 && value === null; attempt += 1) {
      now += 5_000;
      value = (await cache.getMany(['k']))[0] ?? null;
      if (value === null) await sleep(50);
    }
    expect(value).toBe('after-restart');
  });

  it('answers a timeout miss when a connected server stalls, and hits again once it is back', async () => {
    const redis = await startRedis({ debug: true });
    const events = recorder();
    const cache = track(new RedisHashCache({ url: `redis://127.0.0.1:${redis.port}`, onDegraded: events.onDegraded, deadlineMs: 150 }));
    await cache.setMany([['k', 'v']]);
    const client = inspector(redis.port);
    await client.connect();
    // The server blocks for a second: the connection stays up, the reply comes late.
    const stall = client.call('DEBUG', 'SLEEP', '1');
    expect(await cache.getMany(['k'])).toEqual([null]);
    expect(events.reasons).toEqual(['timeout']);
    await stall;
    let value: string | null = null;
    for (let attempt = 0; attempt < 50 && value === null; attempt += 1) {
      value = (await cache.getMany(['k']))[0] ?? null;
      if (value === null) await sleep(50);
    }
    expect(value).toBe('v');
  });

  it('closes cleanly with QUIT, twice without harm, and answers misses afterwards', async () => {
    const redis = await startRedis();
    const events = recorder();
    const cache = new RedisHashCache({ url: `redis://127.0.0.1:${redis.port}`, onDegraded: events.onDegraded });
    await cache.setMany([['k', 'v']]);
    await cache.close();
    await cache.close();
    expect(await cache.getMany(['k'])).toEqual([null]);
    expect(events.reasons).toEqual(['error']);
  });

  it('survives an onDegraded hook that throws', async () => {
    const port = await freePort();
    const cache = track(
      new RedisHashCache({
        url: `redis://127.0.0.1:${port}`,
        onDegraded: () => {
          throw new Error('metrics are down too');
        },
      }),
    );
    expect(await cache.getMany(['a'])).toEqual([null]);
  });
});

describe('RedisHashCache without a working server', () => {
  it('answers misses, never throws, when nothing listens on the port', async () => {
    const port = await freePort();
    const events = recorder();
    const cache = track(new RedisHashCache({ url: `redis://127.0.0.1:${port}`, onDegraded: events.onDegraded }));
    for (let i = 0; i < 10; i += 1) {
      expect(await cache.getMany(keys(5))).toEqual([null, null, null, null, null]);
      await expect(cache.setMany([['a', 'b']])).resolves.toBeUndefined();
    }
    expect(events.reasons).toHaveLength(20);
    expect(events.reasons.slice(0, 3).every((r) => r === 'error' || r === 'timeout')).toBe(true);
    expect(events.reasons.slice(3).every((r) => r === 'breaker_open')).toBe(true);
  });

  it('answers misses within the deadline from a server that accepts connections and never replies', async () => {
    const port = await startBlackHole();
    const events = recorder();
    const cache = track(new RedisHashCache({ url: `redis://127.0.0.1:${port}`, onDegraded: events.onDegraded, deadlineMs: 150 }));
    const started = performance.now();
    for (let i = 0; i < 200; i += 1) {
      expect(await cache.getMany(keys(20))).toEqual(keys(20).map(() => null));
    }
    const elapsedMs = performance.now() - started;
    const probes = events.reasons.filter((r) => r !== 'breaker_open');
    expect(probes.length).toBeGreaterThanOrEqual(3);
    expect(probes.every((r) => r === 'timeout' || r === 'error')).toBe(true);
    expect(events.reasons.filter((r) => r === 'breaker_open').length).toBeGreaterThan(0);
    expect(events.reasons).toHaveLength(200);
    // For the record (the machine is shared, so never asserted).
    console.info(`black-hole Redis: 200 sequential getMany calls took ${elapsedMs.toFixed(0)} ms; ${probes.length} reached the socket`);
    // And closing a connection that never became ready does not hang.
    await cache.close();
  });
});
