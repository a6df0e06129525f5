/**
 * Bedrock prompt caching, as the simulator bills it. A request's cache points cut its prompt into
 * prefixes; the longest prefix already cached (and not expired) is read, and everything from there
 * to the last cache point is written. As on Bedrock:
 * - a cache point whose prefix is shorter than the model's minimum caches nothing;
 * - an entry lives `ttl` after its last use (each hit refreshes it);
 * - an entry becomes readable only once the request that wrote it has processed its prompt, so
 *   requests that arrive together all pay for the write (a batch's first wave does).
 * Times are simulated milliseconds, passed in: the class keeps no clock.
 */

/** One cache point of a request: the prefix up to it, identified by a hash, and its token count. */
export interface CacheCheckpoint {
  prefixHash: string;
  /** Tokens from the start of the prompt up to this cache point. */
  prefixTokens: number;
}

export interface CacheOutcome {
  readTokens: number;
  writeTokens: number;
}

interface Entry {
  readyAt: number;
  expiresAt: number;
}

export class PromptCache {
  private readonly entries = new Map<string, Entry>();
  private lookups = 0;

  /** @param ttlMs time to live after the last use, simulated ms. */
  constructor(private readonly ttlMs: number) {}

  /**
   * Bill one request's cache points (ascending prefixes, already filtered by the model's minimum)
   * and record what it writes.
   * @param now simulated ms at arrival.
   * @param readyAt simulated ms when this request's writes become readable (arrival + prompt processing).
   */
  use(modelId: string, checkpoints: readonly CacheCheckpoint[], now: number, readyAt: number): CacheOutcome {
    this.lookups += 1;
    if (this.lookups % 10_000 === 0) this.prune(now);
    if (checkpoints.length === 0) return { readTokens: 0, writeTokens: 0 };
    let hit = -1;
    for (let i = checkpoints.length - 1; i >= 0; i -= 1) {
      const entry = this.entries.get(this.key(modelId, checkpoints[i]!.prefixHash));
      if (entry && entry.readyAt <= now && entry.expiresAt > now) {
        hit = i;
        entry.expiresAt = now + this.ttlMs;
        break;
      }
    }
    const readTokens = hit >= 0 ? checkpoints[hit]!.prefixTokens : 0;
    const last = checkpoints[checkpoints.length - 1]!;
    const writeTokens = last.prefixTokens - readTokens;
    for (let i = hit + 1; i < checkpoints.length; i += 1) {
      const key = this.key(modelId, checkpoints[i]!.prefixHash);
      const existing = this.entries.get(key);
      // A write already in flight stays the one that lands first.
      if (existing && existing.expiresAt > now && existing.readyAt <= readyAt) continue;
      this.entries.set(key, { readyAt, expiresAt: readyAt + this.ttlMs });
    }
    return { readTokens, writeTokens };
  }

  /** Entries currently held (live or not yet pruned). */
  size(): number {
    return this.entries.size;
  }

  private key(modelId: string, prefixHash: string): string {
    return `${modelId}\u0000${prefixHash}`;
  }

  private prune(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
