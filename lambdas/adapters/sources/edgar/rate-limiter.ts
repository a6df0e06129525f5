/**
 * SEC's fair-access rule: at most 10 requests per second to EDGAR from one user, across all of its
 * machines. An IP that exceeds it is blocked for a while, which would fail every remaining stock of
 * the batch, so every EDGAR request (retries included) first takes a slot from a limiter shared by
 * all concurrent callers:
 * - in one process, `TokenBucketRateLimiter`: all concurrent calls queue on one bucket;
 * - across a fleet of Lambdas, `RedisWindowRateLimiter`: a counter per 1-second window in Redis.
 */
import { describeError, SourceUnavailableError } from '../../../core/errors';
import { withDeadline } from '../../cache/deadline';

export interface RateLimiter {
  /** Resolves when the caller may send one request. */
  acquire(): Promise<void>;
}

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** SEC's published limit. */
export const SEC_REQUESTS_PER_SECOND = 10;

export interface TokenBucketOptions {
  /** Sustained rate. Default 10 (SEC's limit). */
  ratePerSecond?: number;
  /**
   * Bucket capacity. Default 1. A bucket of capacity B at rate r admits up to B + r − 1 requests in
   * some 1-second window (a full bucket spent at once, then the refill), so capacity 1 is the only
   * one that keeps every 1-second window at or under r. The sustained rate is r either way.
   */
  burst?: number;
  /** Monotonic milliseconds. Default `performance.now`, which NTP adjustments cannot move backwards. */
  now?: () => number;
  sleep?: Sleep;
}

/**
 * An in-process token bucket (as GCRA: one "theoretical arrival time" instead of a token count,
 * which keeps the arithmetic exact). Callers are served strictly in arrival order, one decision at a
 * time, and each decision is made on the clock reading at the moment of the grant, so a timer that
 * fires late can only space grants further apart, never closer.
 */
export class TokenBucketRateLimiter implements RateLimiter {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  /** When the bucket would next be empty-and-refilled were requests to arrive exactly on schedule. */
  private theoreticalArrival = Number.NEGATIVE_INFINITY;
  private queue: Promise<void> = Promise.resolve();

  constructor(options: TokenBucketOptions = {}) {
    const rate = options.ratePerSecond ?? SEC_REQUESTS_PER_SECOND;
    const burst = options.burst ?? 1;
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`ratePerSecond must be a positive number, got ${rate}`);
    if (!Number.isInteger(burst) || burst < 1) throw new RangeError(`burst must be an integer of at least 1, got ${burst}`);
    this.intervalMs = 1000 / rate;
    this.toleranceMs = (burst - 1) * this.intervalMs;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? realSleep;
  }

  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.take());
    // The next caller waits for this one's grant, whatever became of it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async take(): Promise<void> {
    for (;;) {
      const now = this.now();
      const allowedAt = this.theoreticalArrival - this.toleranceMs;
      if (now >= allowedAt) {
        this.theoreticalArrival = Math.max(this.theoreticalArrival, now) + this.intervalMs;
        return;
      }
      // Whole milliseconds, at least one: guarantees progress whatever the clock's resolution.
      await this.sleep(Math.max(1, Math.ceil(allowedAt - now)));
    }
  }
}

/** The two Redis commands the window limiter needs; an ioredis `Redis` (or `Cluster`) satisfies it. */
export interface RateLimitRedis {
  incr(key: string): Promise<number>;
  pexpire(key: string, milliseconds: number): Promise<number>;
}

export interface RedisWindowRateLimiterOptions {
  redis: RateLimitRedis;
  /** Requests admitted per 1-second window, fleet-wide. Default 10. */
  limitPerSecond?: number;
  /** Key prefix; the window number is appended. The `{…}` hash tag keeps a cluster on one slot per prefix. */
  keyPrefix?: string;
  /** Deadline for each Redis command. Default 250 ms. */
  commandTimeoutMs?: number;
  /** Give up (SourceUnavailableError) when no slot was free for this long. Default 120 s. */
  maxWaitMs?: number;
  /** Wall-clock milliseconds (windows are shared across machines, so not a monotonic clock). Default `Date.now`. */
  now?: () => number;
  sleep?: Sleep;
  /** Called when Redis fails and the limiter falls back to `fallback`. Wire a warning log and metric here. */
  onDegraded?: (detail: string) => void;
  /** Used while Redis is failing. Default: an in-process bucket at the same rate. */
  fallback?: RateLimiter;
}

const WINDOW_MS = 1000;
/** Keys outlive their window a little so a slow clock on one machine still sees the count. */
const KEY_TTL_MS = 2 * WINDOW_MS;

/**
 * A fleet-wide limit: fixed 1-second windows keyed by epoch second, `INCR` per request, over the
 * limit means wait for the next window and try again. The first caller of a window sets its expiry
 * (`PEXPIRE`, so keys never pile up); if that one command is lost the key merely lingers, since
 * window keys are never reused.
 *
 * Limits of the design, accepted: fixed windows admit up to 2× the limit across a window boundary
 * (10 at the end of one second, 10 at the start of the next), and windows follow each machine's
 * clock (Lambda clocks are NTP-synchronised to milliseconds). Set `limitPerSecond` below 10 for
 * margin.
 *
 * Fails OPEN: when Redis errors or times out, `onDegraded` is told and the call falls back to an
 * in-process limiter. A broken limiter must not stop the batch: the limiter only protects SEC's
 * servers and our access to them, EDGAR still answers (and throttles with 429/503, which the client
 * retries with backoff), and a Redis outage that halted every EDGAR source would fail ~1,000 stocks
 * for a cache we can run without. The degradation metric alarms so someone fixes Redis.
 */
export class RedisWindowRateLimiter implements RateLimiter {
  private readonly redis: RateLimitRedis;
  private readonly limit: number;
  private readonly keyPrefix: string;
  private readonly commandTimeoutMs: number;
  private readonly maxWaitMs: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private readonly onDegraded: (detail: string) => void;
  private readonly fallback: RateLimiter;

  constructor(options: RedisWindowRateLimiterOptions) {
    this.redis = options.redis;
    this.limit = options.limitPerSecond ?? SEC_REQUESTS_PER_SECOND;
    if (!Number.isInteger(this.limit) || this.limit < 1) {
      throw new RangeError(`limitPerSecond must be an integer of at least 1, got ${this.limit}`);
    }
    this.keyPrefix = options.keyPrefix ?? '{edgar-rate}';
    this.commandTimeoutMs = options.commandTimeoutMs ?? 250;
    this.maxWaitMs = options.maxWaitMs ?? 120_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.onDegraded = options.onDegraded ?? (() => undefined);
    this.fallback =
      options.fallback ??
      new TokenBucketRateLimiter({ ratePerSecond: this.limit, sleep: this.sleep, ...(options.now ? { now: options.now } : {}) });
  }

  async acquire(): Promise<void> {
    const started = this.now();
    for (;;) {
      const now = this.now();
      const window = Math.floor(now / WINDOW_MS);
      let count: number;
      try {
        count = await this.countRequest(`${this.keyPrefix}:${window}`);
      } catch (error) {
        this.onDegraded(`EDGAR rate limiter: Redis failed (${describeError(error)}); falling back to the in-process limit`);
        return this.fallback.acquire();
      }
      if (count <= this.limit) return;
      const nextWindowAt = (window + 1) * WINDOW_MS;
      if (nextWindowAt - started > this.maxWaitMs) {
        throw new SourceUnavailableError(`EDGAR rate limiter: no request slot free within ${this.maxWaitMs} ms`);
      }
      await this.sleep(Math.max(1, nextWindowAt - now));
    }
  }

  private async countRequest(key: string): Promise<number> {
    const count = await withDeadline(() => this.redis.incr(key), this.commandTimeoutMs);
    if (count === 1) {
      try {
        await withDeadline(() => this.redis.pexpire(key, KEY_TTL_MS), this.commandTimeoutMs);
      } catch (error) {
        // The count is good, so the request goes ahead; only the key's cleanup was lost.
        this.onDegraded(`EDGAR rate limiter: could not set the expiry of ${key} (${describeError(error)})`);
      }
    }
    return count;
  }
}
