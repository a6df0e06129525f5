/**
 * A small in-process read-through cache with a time to live, a size bound (least recently used
 * goes first) and single flight: concurrent misses for one key share one load. Briefs and chunks
 * change once a night, while hundreds of FAs ask about the same popular stocks within seconds, so a
 * warm query function keeps them for a short while instead of reading DynamoDB on every question.
 * The TTL bounds how stale an answer can be after the batch publishes a new brief.
 *
 * Pure: the clock is injected.
 */
import type { StoredChunk, StoredSummary } from '../../adapters/ports';
import type { AnswerCacheStore, CachedAnswer, ChunkReader, SummaryReader } from './ports';

export interface TtlCacheOptions {
  ttlMs: number;
  maxEntries: number;
  now: () => number;
}

interface Entry<V> {
  value: Promise<V>;
  expiresAt: number;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly options: TtlCacheOptions) {}

  get size(): number {
    return this.entries.size;
  }

  /** The cached value of `key`, or the result of `load` (shared by concurrent callers). A failed load is not kept. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.options.now();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now) {
      // Re-insert to mark it most recently used.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.value;
    }
    const value = load();
    const fresh: Entry<V> = { value, expiresAt: now + this.options.ttlMs };
    this.entries.delete(key);
    this.entries.set(key, fresh);
    value.catch(() => {
      if (this.entries.get(key) === fresh) this.entries.delete(key);
    });
    while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/** A SummaryReader that keeps each stock's latest brief for `ttlMs`. */
export function cachedSummaryReader(reader: SummaryReader, options: TtlCacheOptions): SummaryReader {
  const cache = new TtlCache<StoredSummary | undefined>(options);
  return { getLatest: (ticker) => cache.get(ticker, () => reader.getLatest(ticker)) };
}

/** A ChunkReader that keeps each stock's chunks for `ttlMs`. */
export function cachedChunkReader(reader: ChunkReader, options: TtlCacheOptions): ChunkReader {
  const cache = new TtlCache<StoredChunk[]>(options);
  return { chunksOf: (ticker) => cache.get(ticker, () => reader.chunksOf(ticker)) };
}

/**
 * An answer cache with an in-process first level in front of the shared store: a warm process
 * serves repeated questions without a DynamoDB read, and every process still shares the store.
 * Entries keep their own expiry; the first level never serves one past it.
 */
export function layeredAnswerCache(store: AnswerCacheStore, options: TtlCacheOptions): AnswerCacheStore {
  const local = new Map<string, { entry: CachedAnswer; until: number }>();
  const remember = (entry: CachedAnswer) => {
    local.delete(entry.key);
    local.set(entry.key, { entry, until: options.now() + options.ttlMs });
    while (local.size > options.maxEntries) local.delete(local.keys().next().value!);
  };
  return {
    async get(key, nowEpochSeconds) {
      const hit = local.get(key);
      if (hit && hit.until > options.now() && hit.entry.expiresAt > nowEpochSeconds) return hit.entry;
      const entry = await store.get(key, nowEpochSeconds);
      if (entry) remember(entry);
      return entry;
    },
    async put(entry) {
      await store.put(entry);
      remember(entry);
    },
  };
}
