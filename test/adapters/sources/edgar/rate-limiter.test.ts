/**
 * EDGAR rate limiters on a fake clock (no real time passes): the in-process token bucket never
 * grants more than 10 requests in any 1-second window however callers arrive, serves them in
 * order and keeps up the full rate; the Redis window limiter admits 10 per window fleet-wide,
 * waits for the next window when full, and fails open when Redis fails.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RedisWindowRateLimiter, TokenBucketRateLimiter } from '../../../../lambdas/adapters/sources/edgar/rate-limiter';
import type { RateLimiter, RateLimitRedis } from '../../../../lambdas/adapters/sources/edgar/rate-limiter';
import { SourceUnavailableError } from '../../../../lambdas/core/errors';

/** Virtual time: `sleep` registers a timer; `run` fires timers in time order until the work settles. */
class FakeClock {
  time: number;
  private timers: Array<{ at: number; seq: number; resolve: () => void }> = [];
  private seq = 0;

  constructor(start = 0) {
    this.time = start;
  }

  readonly now = (): number => this.time;

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.timers.push({ at: this.time + ms, seq: this.seq++, resolve });
    });

  async run<T>(work: Promise<T>, maxSteps = 100_000): Promise<T> {
    let settled = false;
    work.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let step = 0; step < maxSteps; step += 1) {
      // Let every pending continuation run before time moves.
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return work;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) throw new Error('nothing scheduled and the work has not settled');
      this.time = Math.max(this.time, next.at);
      next.resolve();
    }
    throw new Error(`not settled after ${maxSteps} timer steps`);
  }
}

/** Grant times of callers arriving at `arrivals` (ms), each calling acquire once. */
async function grantTimes(
  clock: FakeClock,
  limiter: RateLimiter,
  arrivals: number[],
): Promise<Array<{ arrival: number; granted: number; caller: number }>> {
  const grants: Array<{ arrival: number; granted: number; caller: number }> = [];
  const callers = arrivals.map(async (arrival, caller) => {
    if (arrival > 0) await clock.sleep(arrival);
    await limiter.acquire();
    grants.push({ arrival, granted: clock.now(), caller });
  });
  await clock.run(Promise.all(callers));
  return grants;
}

/** The most grants inside any half-open window [t, t + windowMs). */
function maxInAnyWindow(times: number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let from = 0;
  for (let to = 0; to < sorted.length; to += 1) {
    while (sorted[to]! - sorted[from]! >= windowMs) from += 1;
    best = Math.max(best, to - from + 1);
  }
  return best;
}

/** Arrivals in bursts after idle spells (the worst case for a bucket) mixed with scattered ones. */
const arrivalsArbitrary = fc.array(
  fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 40 })).map(([burst, offset]) => burst * 2500 + offset),
    fc.integer({ min: 0, max: 10_000 }),
  ),
  { minLength: 1, maxLength: 80, size: 'max' },
);

describe('TokenBucketRateLimiter', () => {
  it('never grants more than 10 in any 1-second window, whatever the arrivals', async () => {
    await fc.assert(
      fc.asyncProperty(arrivalsArbitrary, async (arrivals) => {
        const clock = new FakeClock(5_000);
        const limiter = new TokenBucketRateLimiter({ ratePerSecond: 10, now: clock.now, sleep: clock.sleep });
        const grants = await grantTimes(clock, limiter, arrivals);
        expect(grants).toHaveLength(arrivals.length);
        expect(maxInAnyWindow(grants.map((g) => g.granted))).toBeLessThanOrEqual(10);
        for (const grant of grants) expect(grant.granted).toBeGreaterThanOrEqual(5_000 + grant.arrival);
      }),
      { numRuns: 60 },
    );
  });

  it('serves 25 simultaneous callers in arrival order at exactly the full rate', async () => {
    const clock = new FakeClock();
    const limiter = new TokenBucketRateLimiter({ now: clock.now, sleep: clock.sleep });
    const grants = await grantTimes(
      clock,
      limiter,
      Array.from({ length: 25 }, () => 0),
    );
    expect(grants.map((g) => g.caller)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(grants.map((g) => g.granted)).toEqual(Array.from({ length: 25 }, (_, i) => i * 100));
  });

  it('grants at once after an idle spell', async () => {
    const clock = new FakeClock();
    const limiter = new TokenBucketRateLimiter({ now: clock.now, sleep: clock.sleep });
    const grants = await grantTimes(clock, limiter, [0, 2_000]);
    expect(grants.map((g) => g.granted)).toEqual([0, 2_000]);
  });

  it('shows why the default capacity is 1: a bucket of 10 admits 19 in some 1-second window', async () => {
    const clock = new FakeClock();
    const limiter = new TokenBucketRateLimiter({ ratePerSecond: 10, burst: 10, now: clock.now, sleep: clock.sleep });
    const grants = await grantTimes(
      clock,
      limiter,
      Array.from({ length: 40 }, () => 0),
    );
    expect(maxInAnyWindow(grants.map((g) => g.granted))).toBe(19);
  });

  it('rejects a rate or capacity that makes no sense', () => {
    expect(() => new TokenBucketRateLimiter({ ratePerSecond: 0 })).toThrow(RangeError);
    expect(() => new TokenBucketRateLimiter({ burst: 0.5 })).toThrow(RangeError);
  });
});

/** An in-memory INCR/PEXPIRE on the fake clock, recording every command. */
class FakeRedis implements RateLimitRedis {
  readonly counts = new Map<string, { value: number; expiresAt?: number }>();
  readonly commands: string[] = [];
  failing: Error | undefined;

  constructor(private readonly clock: FakeClock) {}

  private live(key: string): { value: number; expiresAt?: number } | undefined {
    const entry = this.counts.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.clock.now()) {
      this.counts.delete(key);
      return undefined;
    }
    return entry;
  }

  async incr(key: string): Promise<number> {
    this.commands.push(`INCR ${key}`);
    if (this.failing) throw this.failing;
    const entry = this.live(key) ?? { value: 0 };
    entry.value += 1;
    this.counts.set(key, entry);
    return entry.value;
  }

  async pexpire(key: string, milliseconds: number): Promise<number> {
    this.commands.push(`PEXPIRE ${key} ${milliseconds}`);
    if (this.failing) throw this.failing;
    const entry = this.live(key);
    if (!entry) return 0;
    entry.expiresAt = this.clock.now() + milliseconds;
    return 1;
  }
}

describe('RedisWindowRateLimiter', () => {
  it('admits 10 per 1-second window across limiters sharing one Redis, the rest wait for the next window', async () => {
    const clock = new FakeClock(1_700_000_000_250);
    const redis = new FakeRedis(clock);
    // Three "Lambdas", each with its own limiter object, one Redis.
    const fleet = [0, 1, 2].map(() => new RedisWindowRateLimiter({ redis, now: clock.now, sleep: clock.sleep }));
    const granted: number[] = [];
    const callers = Array.from({ length: 35 }, async (_, i) => {
      await fleet[i % 3]!.acquire();
      granted.push(clock.now());
    });
    await clock.run(Promise.all(callers));
    const perWindow = new Map<number, number>();
    for (const time of granted) perWindow.set(Math.floor(time / 1000), (perWindow.get(Math.floor(time / 1000)) ?? 0) + 1);
    expect([...perWindow.values()]).toEqual([10, 10, 10, 5]);
    // Each window's key gets its expiry set once, by its first caller.
    const expiries = redis.commands.filter((c) => c.startsWith('PEXPIRE'));
    expect(expiries).toEqual([...perWindow.keys()].map((w) => `PEXPIRE {edgar-rate}:${w} 2000`));
  });

  it('fails open through the fallback and says so when Redis fails', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const redis = new FakeRedis(clock);
    redis.failing = new Error('ECONNREFUSED');
    const warnings: string[] = [];
    let fallbackGrants = 0;
    const fallback: RateLimiter = { acquire: async () => void (fallbackGrants += 1) };
    const limiter = new RedisWindowRateLimiter({
      redis,
      now: clock.now,
      sleep: clock.sleep,
      onDegraded: (d) => warnings.push(d),
      fallback,
    });
    await clock.run(Promise.all([limiter.acquire(), limiter.acquire()]));
    expect(fallbackGrants).toBe(2);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/Redis failed.*ECONNREFUSED.*in-process/);
  });

  it('fails open when Redis does not answer within the command deadline', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const hanging: RateLimitRedis = { incr: () => new Promise(() => undefined), pexpire: () => new Promise(() => undefined) };
    const warnings: string[] = [];
    const limiter = new RedisWindowRateLimiter({
      redis: hanging,
      commandTimeoutMs: 5,
      now: clock.now,
      sleep: clock.sleep,
      onDegraded: (d) => warnings.push(d),
      fallback: { acquire: async () => undefined },
    });
    // The deadline is a real 5 ms timer: the only real time this file waits for.
    await limiter.acquire();
    expect(warnings[0]).toMatch(/no answer within 5 ms/);
  });

  it('gives up with SourceUnavailableError when no slot frees up within maxWaitMs', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const full: RateLimitRedis = { incr: async () => 1_000, pexpire: async () => 1 };
    const limiter = new RedisWindowRateLimiter({ redis: full, maxWaitMs: 3_000, now: clock.now, sleep: clock.sleep });
    await expect(clock.run(limiter.acquire())).rejects.toThrow(SourceUnavailableError);
    expect(clock.now() - 1_700_000_000_000).toBeLessThanOrEqual(3_000);
  });
});
