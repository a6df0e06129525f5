/**
 * An account's per-model quota, as Bedrock enforces it: requests per minute and tokens per minute
 * over a sliding one-minute window. Like Bedrock, a request reserves its input plus `maxTokens` ×
 * burndown when it starts (so large `maxTokens` values throttle early) and the reservation is
 * trued up to what it used when it ends. Times are simulated milliseconds, passed in.
 */
import type { Quota } from './config';

export const QUOTA_WINDOW_MS = 60_000;

interface Usage {
  at: number;
  tokens: number;
  /** False once the usage left the window. */
  live: boolean;
}

export type Admission = { admitted: true; ticket: Usage } | { admitted: false; limit: 'tokens' | 'requests' };

export class QuotaWindow {
  private readonly requests: number[] = [];
  private readonly usages: Usage[] = [];
  private tokensInWindow = 0;

  constructor(private readonly quota: Quota) {}

  /** Admit a request arriving at `now` that reserves `tokens`, or say which limit refuses it. */
  admit(now: number, tokens: number): Admission {
    this.expire(now);
    if (this.quota.requestsPerMinute !== undefined && this.requests.length >= this.quota.requestsPerMinute) {
      return { admitted: false, limit: 'requests' };
    }
    // A request bigger than the whole quota can never fit; Bedrock throttles it too.
    if (this.quota.tokensPerMinute !== undefined && this.tokensInWindow + tokens > this.quota.tokensPerMinute) {
      return { admitted: false, limit: 'tokens' };
    }
    this.requests.push(now);
    const ticket = { at: now, tokens, live: true };
    this.usages.push(ticket);
    this.tokensInWindow += tokens;
    return { admitted: true, ticket };
  }

  /** True the reservation up (or down) to what the request used; no-op once it left the window. */
  settle(ticket: Usage, tokens: number): void {
    if (!ticket.live) return;
    this.tokensInWindow += tokens - ticket.tokens;
    ticket.tokens = tokens;
  }

  /** Tokens counted in the window ending at `now`. */
  tokensUsed(now: number): number {
    this.expire(now);
    return this.tokensInWindow;
  }

  /** Requests counted in the window ending at `now`. */
  requestsUsed(now: number): number {
    this.expire(now);
    return this.requests.length;
  }

  private expire(now: number): void {
    const cutoff = now - QUOTA_WINDOW_MS;
    let drop = 0;
    while (drop < this.requests.length && this.requests[drop]! <= cutoff) drop += 1;
    if (drop > 0) this.requests.splice(0, drop);
    drop = 0;
    while (drop < this.usages.length && this.usages[drop]!.at <= cutoff) {
      this.tokensInWindow -= this.usages[drop]!.tokens;
      this.usages[drop]!.live = false;
      drop += 1;
    }
    if (drop > 0) this.usages.splice(0, drop);
  }
}
