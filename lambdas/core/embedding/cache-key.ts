/**
 * Embedding-cache keys (docs/DESIGN.md §5.3): one key per chunk position, holding the content hash of the
 * chunk that was last embedded there. The chunker version and the model id are part of the key, so
 * changing either one re-embeds everything without any explicit invalidation.
 */

export interface EmbeddingCacheKeyParts {
  ticker: string;
  docId: string;
  chunkIndex: number;
  chunkerVersion: string;
  modelId: string;
}

/**
 * `emb:{TICKER}:<chunkerVersion>:<modelId>:<docId>#<chunkIndex>`.
 *
 * The ticker sits in a Redis hash tag (`{…}`) because ElastiCache Serverless runs in cluster mode
 * behind a single endpoint: a multi-key MGET must stay inside one hash slot or it fails with
 * CROSSSLOT, and every stock's lookup is one MGET over that stock's keys.
 *
 * @throws RangeError when the ticker is empty or contains braces (it would break the hash tag).
 */
export function embeddingCacheKey(parts: EmbeddingCacheKeyParts): string {
  if (parts.ticker === '' || /[{}]/.test(parts.ticker)) {
    throw new RangeError(`ticker ${JSON.stringify(parts.ticker)} cannot be used in a cache key hash tag`);
  }
  if (!Number.isInteger(parts.chunkIndex) || parts.chunkIndex < 0) {
    throw new RangeError(`chunkIndex must be a non-negative integer, got ${parts.chunkIndex}`);
  }
  return `emb:{${parts.ticker}}:${parts.chunkerVersion}:${parts.modelId}:${parts.docId}#${parts.chunkIndex}`;
}
