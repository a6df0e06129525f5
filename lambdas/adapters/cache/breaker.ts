/**
 * A tiny circuit breaker for adapters whose dependency is optional (the embedding-hash cache):
 * after `failureThreshold` consecutive failures it opens, and for `cooldownMs` every call is refused
 * at once instead of waiting on a dependency that is known to be down. After the cooldown exactly one
 * caller is let through as a half-open probe; its success closes the breaker, its failure re-opens it
 * for another cooldown.
 *
 * The clock is injected so behaviour is tested without sleeping.
 */

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker. Default 3. */
  failureThreshold?: number;
  /** How long the breaker stays open before a half-open probe is allowed. Default 5,000 ms. */
  cooldownMs?: number;
  /** Milliseconds since an arbitrary epoch; defaults to `Date.now`. */
  now?: () => number;
}

export class CircuitBreaker {
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;
  private current: BreakerState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private probeInFlight = false;

  constructor(options: CircuitBreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 3;
    this.cooldownMs = options.cooldownMs ?? 5_000;
    this.now = options.now ?? Date.now;
    if (!Number.isInteger(this.failureThreshold) || this.failureThreshold < 1) {
      throw new RangeError(`failureThreshold must be a positive integer, got ${this.failureThreshold}`);
    }
    if (!(this.cooldownMs >= 0)) throw new RangeError(`cooldownMs must be zero or more, got ${this.cooldownMs}`);
  }

  /** The state as of now (an open breaker whose cooldown has passed reads as half-open). */
  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.cooldownMs) return 'half_open';
    return this.current;
  }

  /**
   * Ask to make a call. True means go ahead, and the caller must then report the outcome with
   * `recordSuccess` or `recordFailure`; false means the breaker is open (or a probe is already out)
   * and the dependency must not be touched.
   */
  tryAcquire(): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'open') {
      if (this.now() - this.openedAt < this.cooldownMs) return false;
      this.current = 'half_open';
      this.probeInFlight = false;
    }
    // Half-open: exactly one probe at a time, so a dead dependency costs one deadline per cooldown.
    if (this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.current = 'closed';
    this.consecutiveFailures = 0;
    this.probeInFlight = false;
  }

  recordFailure(): void {
    if (this.current === 'half_open') {
      this.open();
      return;
    }
    if (this.current === 'open') return;
    this.consecutiveFailures += 1;
    if (this.consecutiveFailures >= this.failureThreshold) this.open();
  }

  private open(): void {
    this.current = 'open';
    this.openedAt = this.now();
    this.probeInFlight = false;
    this.consecutiveFailures = 0;
  }
}
