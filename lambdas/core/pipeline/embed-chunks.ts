/**
 * Embed only what changed (docs/DESIGN.md §5.3): look up every chunk's content hash in the cache with one
 * MGET, embed the misses, store their vectors, and only then record their hashes — so a cache hit
 * always means the vector is already stored.
 */
import type { ChunkRepository, EmbedderPort, EmbeddingHashCache } from '../ports';
import type { StoredChunk, IsoDate, SourceBundle } from '../model';
import { CHUNKER_VERSION, chunkDocuments } from '../chunking/section-chunker';
import type { ChunkSource } from '../chunking/section-chunker';
import { embeddingCacheKey } from '../embedding/cache-key';
import { encodeInt8 } from '../embedding/vector-codec';

/** Titan v2 and the local embedder both take batches; keep requests modest. */
const EMBED_BATCH = 32;

export interface EmbedStats {
  chunks: number;
  hits: number;
  misses: number;
  inputTokens: number;
  estimated: boolean;
  pruned: number;
}

/** Identifies how chunks were embedded; a change to any part means every chunk is embedded again. */
export function embeddingKeyOf(embedder: Pick<EmbedderPort, 'modelId' | 'dimensions'>): string {
  return `${CHUNKER_VERSION}|${embedder.modelId}@${embedder.dimensions}`;
}

export function chunkSourcesOf(bundle: SourceBundle): ChunkSource[] {
  return [
    ...bundle.filings.map((f) => ({
      docId: f.docId,
      kind: 'filings' as const,
      title: f.title,
      date: f.filed,
      sections: f.sections.map((s) => ({ section: s.item, title: s.title, text: s.text })),
    })),
    ...bundle.notes.map((n) => ({
      docId: n.docId,
      kind: 'research' as const,
      title: `${n.broker}: ${n.title}`,
      date: n.published,
      sections: [{ section: 'thesis', title: n.title, text: n.thesis }],
    })),
    ...bundle.news.map((n) => ({
      docId: n.docId,
      kind: 'news' as const,
      title: n.headline,
      date: n.published.slice(0, 10),
      sections: [{ section: 'body', title: n.headline, text: n.body }],
    })),
  ];
}

export async function embedChangedChunks(
  input: { ticker: string; asOf: IsoDate; sources: ChunkSource[] },
  deps: { cache: EmbeddingHashCache; embedder: EmbedderPort; chunks: ChunkRepository },
): Promise<EmbedStats> {
  const chunks = chunkDocuments(input.sources);
  // The vector size is part of the model identity: changing dimensions must re-embed everything.
  const modelKey = `${deps.embedder.modelId}@${deps.embedder.dimensions}`;
  const keys = chunks.map((c) =>
    embeddingCacheKey({ ticker: input.ticker, docId: c.docId, chunkIndex: c.index, chunkerVersion: CHUNKER_VERSION, modelId: modelKey }),
  );
  const cached = await deps.cache.getMany(keys);
  const changed = chunks.map((chunk, i) => ({ chunk, key: keys[i]! })).filter(({ chunk }, i) => cached[i] !== chunk.contentHash);
  let inputTokens = 0;
  let estimated = false;
  for (let start = 0; start < changed.length; start += EMBED_BATCH) {
    const batch = changed.slice(start, start + EMBED_BATCH);
    const result = await deps.embedder.embed(batch.map(({ chunk }) => chunk.text));
    inputTokens += result.inputTokens;
    estimated ||= result.estimated;
    const stored: StoredChunk[] = batch.map(({ chunk }, i) => ({
      ticker: input.ticker,
      chunkId: chunk.chunkId,
      docId: chunk.docId,
      kind: chunk.kind,
      section: chunk.section,
      text: chunk.text,
      contentHash: chunk.contentHash,
      modelId: deps.embedder.modelId,
      vector: encodeInt8(result.vectors[i]!),
      asOf: input.asOf,
    }));
    await deps.chunks.putChunks(stored);
    await deps.cache.setMany(batch.map(({ key, chunk }) => [key, chunk.contentHash]));
  }
  // Documents that left the source set (older news) take their chunks with them, but only look
  // when something changed: an unchanged stock cannot have lost a document.
  const pruned = changed.length > 0 ? await deps.chunks.pruneChunks(input.ticker, new Set(chunks.map((c) => c.chunkId))) : 0;
  return { chunks: chunks.length, hits: chunks.length - changed.length, misses: changed.length, inputTokens, estimated, pruned };
}
