/**
 * An account's per-model quota, as Bedrock enforces it: requests per minute and tokens per minute
 * over a sliding one-minute window. Like Bedrock, a request reserves its input plus `maxTokens` ×
 * burndown when it starts (so large `maxTokens` values throttle early) and the reservation is
 * trued up to what it used when it ends. Times are milliseconds, passed in. Shared by the Bedrock
 * simulator (local/bedrock-sim) and the capacity model (capacity-model.ts). Pure.
 */

/** A per-model quota; an absent limit is unlimited. */
export interface Quota {
  tokensPerMinute?: number | undefined;
  requestsPerMinute?: number | undefined;
}

export const QUOTA_WINDOW_MS = 60_000;

export interface Usage {
  at: number;
  tokens: number;
  /** False once the usage left the window. */
  live: boolean;
}

export type Admission = { admitted: true; ticket: Usage } | { admitted: false; limit: 'tokens' | 'requests' };

export class QuotaWindow {
  /** Admitted requests in arrival order; those before `head` have left the window. */
  private readonly usages: Usage[] = [];
  private head = 0;
  private tokensInWindow = 0;

  constructor(private readonly quota: Quota) {}

  /** Admit a request arriving at `now` (never earlier than the last arrival) that reserves `tokens`, or say which limit refuses it. */
  admit(now: number, tokens: number): Admission {
    this.expire(now);
    if (this.quota.requestsPerMinute !== undefined && this.usages.length - this.head >= this.quota.requestsPerMinute) {
      return { admitted: false, limit: 'requests' };
    }
    // A request bigger than the whole quota can never fit; Bedrock throttles it too.
    if (this.quota.tokensPerMinute !== undefined && this.tokensInWindow + tokens > this.quota.tokensPerMinute) {
      return { admitted: false, limit: 'tokens' };
    }
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
    return this.usages.length - this.head;
  }

  private expire(now: number): void {
    const cutoff = now - QUOTA_WINDOW_MS;
    while (this.head < this.usages.length && this.usages[this.head]!.at <= cutoff) {
      const usage = this.usages[this.head]!;
      this.tokensInWindow -= usage.tokens;
      usage.live = false;
      this.head += 1;
    }
    // Compact now and then, so memory follows the window, not the run.
    if (this.head > 4_096 && this.head * 2 > this.usages.length) {
      this.usages.splice(0, this.head);
      this.head = 0;
    }
  }
}
