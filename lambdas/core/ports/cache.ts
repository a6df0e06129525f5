/** The embedding-hash cache port. Redis/Valkey and a local file implement it. */
export type CacheDegradation = 'timeout' | 'error' | 'breaker_open';

/**
 * Content hashes of embedded chunks. Never fails: an error or timeout reads as a miss (null) and is
 * reported through `onDegraded`, because a slow cache must never fail a stock.
 */
export interface EmbeddingHashCache {
  getMany(keys: string[]): Promise<Array<string | null>>;
  setMany(entries: Array<[key: string, hash: string]>): Promise<void>;
  close(): Promise<void>;
}
