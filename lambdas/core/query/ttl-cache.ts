/**
 * A small in-process read-through cache with a time to live, a size bound (least recently used
 * goes first) and single flight: concurrent misses for one key share one load. Briefs and chunks
 * change once a night, while hundreds of FAs ask about the same popular stocks within seconds, so a
 * warm query function keeps them for a short while instead of reading DynamoDB on every question.
 * The TTL bounds how stale an answer can be after the batch publishes a new brief.
 *
 * Pure: the clock is injected.
 */
import type { StoredChunk, StoredSummary, SummaryFingerprint, CachedAnswer } from '../model';
import type { AnswerCacheStore, ChunkReader, SummaryReader } from '../ports';

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

/** Reads the small fingerprint of a stock's latest brief (a projection, not the whole item). */
export interface FingerprintReader {
  getLatestFingerprint(ticker: string): Promise<SummaryFingerprint | undefined>;
}

function sameBrief(a: SummaryFingerprint | undefined, b: SummaryFingerprint | undefined): boolean {
  if (!a || !b) return a === b;
  return a.sourceHash === b.sourceHash && a.promptVersion === b.promptVersion && a.status === b.status && a.asOf === b.asOf;
}

/**
 * Briefs and chunks kept in process and revalidated rather than re-read: after `ttlMs` a stock's
 * brief is checked against its fingerprint (a small projection) and read again only when it changed;
 * its chunks are read again only when the brief's source hash changed, since the batch writes both
 * from the same sources. A brief (about 50 KB) and its chunks are read once per change instead of
 * once a minute, and a new brief is picked up within `ttlMs`.
 */
export function revalidatedBriefs(
  readers: { summaries: SummaryReader & FingerprintReader; chunks: ChunkReader },
  options: TtlCacheOptions,
): { summaries: SummaryReader; chunks: ChunkReader } {
  const briefs = new Map<string, { summary: StoredSummary | undefined; checkedAt: number }>();
  const inFlight = new Map<string, Promise<StoredSummary | undefined>>();
  const chunkSets = new Map<string, { sourceHash: string | undefined; chunks: Promise<StoredChunk[]> }>();

  const bound = <V>(map: Map<string, V>) => {
    while (map.size > options.maxEntries) map.delete(map.keys().next().value!);
  };

  async function load(ticker: string): Promise<StoredSummary | undefined> {
    const known = briefs.get(ticker);
    if (known) {
      const fingerprint = await readers.summaries.getLatestFingerprint(ticker);
      if (sameBrief(fingerprint, known.summary)) {
        briefs.set(ticker, { summary: known.summary, checkedAt: options.now() });
        return known.summary;
      }
    }
    const summary = await readers.summaries.getLatest(ticker);
    briefs.delete(ticker);
    briefs.set(ticker, { summary, checkedAt: options.now() });
    bound(briefs);
    return summary;
  }

  const summaries: SummaryReader = {
    getLatest(ticker) {
      const known = briefs.get(ticker);
      if (known && options.now() - known.checkedAt < options.ttlMs) return Promise.resolve(known.summary);
      let pending = inFlight.get(ticker);
      if (!pending) {
        pending = load(ticker).finally(() => inFlight.delete(ticker));
        inFlight.set(ticker, pending);
      }
      return pending;
    },
  };
  const chunks: ChunkReader = {
    async chunksOf(ticker) {
      const sourceHash = (await summaries.getLatest(ticker))?.sourceHash;
      const known = chunkSets.get(ticker);
      if (known && known.sourceHash === sourceHash) return known.chunks;
      const loading = readers.chunks.chunksOf(ticker);
      chunkSets.delete(ticker);
      chunkSets.set(ticker, { sourceHash, chunks: loading });
      bound(chunkSets);
      loading.catch(() => {
        if (chunkSets.get(ticker)?.chunks === loading) chunkSets.delete(ticker);
      });
      return loading;
    },
  };
  return { summaries, chunks };
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
