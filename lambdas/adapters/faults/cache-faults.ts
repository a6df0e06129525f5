/**
 * A black-holed embedding cache: inside the plan's window every lookup and write goes unanswered
 * until the cache client's deadline, then reads as a miss and is reported degraded ('timeout'),
 * which is what the Redis adapter does when its server stops answering. Outside the window the real
 * cache answers.
 */
import type { CacheDegradation, EmbeddingHashCache } from '../../core/ports';
import type { FaultPlan } from './fault-plan';

export function withCacheBlackhole(
  cache: EmbeddingHashCache,
  plan: FaultPlan,
  onDegraded: (reason: CacheDegradation, detail: string) => void,
  now: () => number = Date.now,
): EmbeddingHashCache {
  const window = plan.config.cacheBlackhole;
  if (!window) return cache;
  const unanswered = async (what: string, keys: number): Promise<void> => {
    plan.record('cache_blackhole', `${what}:${keys}`);
    await new Promise((resolve) => setTimeout(resolve, window.timeoutMs));
    onDegraded('timeout', `embedding cache ${what} of ${keys} keys unanswered for ${window.timeoutMs} ms (black-holed)`);
  };
  return {
    getMany: async (keys) => {
      if (!plan.cacheBlackholed(now())) return cache.getMany(keys);
      await unanswered('get', keys.length);
      return keys.map(() => null);
    },
    setMany: async (entries) => {
      if (!plan.cacheBlackholed(now())) return cache.setMany(entries);
      await unanswered('set', entries.length);
    },
    close: () => cache.close(),
  };
}
