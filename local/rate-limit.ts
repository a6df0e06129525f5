/**
 * The local server's request limits, as API Gateway's usage plans and WAF's rate rules apply them in
 * AWS: a token bucket per API key (a steady rate with a burst), and a lockout of a source address
 * after repeated invalid keys (a key-guessing client is refused outright for a while). Both answer
 * with the whole seconds until a retry can succeed, for `Retry-After`. In memory, per process.
 */

export interface RateLimitOptions {
  /** Sustained requests per minute per key. */
  requestsPerMinute: number;
  /** Requests a key may send at once before the rate applies. */
  burst: number;
}

export interface LockoutOptions {
  /** Invalid keys from one address within the window that lock it out. */
  badKeys: number;
  windowSeconds: number;
  /** How long the lockout lasts. */
  lockSeconds: number;
}

/** Entries kept at most; the oldest go first, so a flood of distinct keys or addresses cannot exhaust memory. */
const MAX_ENTRIES = 50_000;

function bounded<K, V>(map: Map<K, V>): void {
  while (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as K);
}

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Take one token for `key`: 0 when granted, else the seconds until one is available. */
  take(key: string): number {
    const perMs = this.options.requestsPerMinute / 60_000;
    const t = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.options.burst, at: t };
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + (t - bucket.at) * perMs);
    bucket.at = t;
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    bounded(this.buckets);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
  }
}

export class BadKeyLockout {
  private readonly failures = new Map<string, number[]>();
  private readonly lockedUntil = new Map<string, number>();

  constructor(
    private readonly options: LockoutOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 when `source` may try a key, else the seconds its lockout still lasts. */
  retryAfterSeconds(source: string): number {
    const until = this.lockedUntil.get(source);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left <= 0) {
      this.lockedUntil.delete(source);
      return 0;
    }
    return Math.ceil(left / 1000);
  }

  /** Count one invalid key from `source`; the one that reaches the limit starts the lockout. */
  recordFailure(source: string): void {
    const t = this.now();
    const recent = (this.failures.get(source) ?? []).filter((at) => t - at < this.options.windowSeconds * 1000);
    recent.push(t);
    this.failures.delete(source);
    if (recent.length >= this.options.badKeys) {
      this.lockedUntil.set(source, t + this.options.lockSeconds * 1000);
      bounded(this.lockedUntil);
    } else {
      this.failures.set(source, recent);
      bounded(this.failures);
    }
  }
}
