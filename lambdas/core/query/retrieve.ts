/**
 * Retrieval (docs/DESIGN.md §6): the latest brief of each stock (with its fact snapshot and documents) and
 * the stored chunks most similar to the question, by cosine similarity of their vectors, within
 * those stocks only. Pure orchestration over injected readers and the embedder.
 */
import type { EmbedderPort, ChunkReader, SummaryReader } from '../ports';
import type { StoredChunk, StoredSummary } from '../model';
import { describeError } from '../errors';
import { cosine, decodeVector } from '../embedding/vector-codec';

export interface RankedChunk {
  chunk: StoredChunk;
  /** Cosine similarity to the question, in [-1, 1]. */
  score: number;
}

export interface RetrievedStock {
  ticker: string;
  summary: StoredSummary;
  /** Best first. */
  chunks: RankedChunk[];
}

export interface Retrieval {
  stocks: RetrievedStock[];
  /** Tickers with no stored brief yet. */
  missing: string[];
  embedding: { inputTokens: number; estimated: boolean; modelId: string };
  /** True when stored vectors came from another embedding model and were ranked by order instead. */
  modelMismatch: boolean;
  /**
   * Why the question could not be embedded, when it could not: chunks are then ranked by document
   * order. A failed embedding degrades retrieval; it never fails the question.
   */
  embeddingError?: string;
  /** Time spent reading briefs and chunks, and embedding the question (the two run side by side). */
  timing: { readMs: number; embedMs: number };
}

export interface RetrievalDeps {
  summaries: SummaryReader;
  chunks: ChunkReader;
  embedder: EmbedderPort;
  now: () => number;
}

export interface RetrievalOptions {
  chunksPerTicker: number;
}

// Decoding is cheap but not free under load; stored chunks are shared by the reader's cache, so
// their decoded vectors can be kept alongside them for as long as the chunks live.
const decoded = new WeakMap<StoredChunk, Float32Array | null>();

function vectorOf(chunk: StoredChunk, dimensions: number): Float32Array | null {
  let vector = decoded.get(chunk);
  if (vector === undefined) {
    try {
      vector = decodeVector(chunk.vector, dimensions);
    } catch {
      vector = null; // stored with other dimensions: unusable for this embedder
    }
    decoded.set(chunk, vector);
  }
  return vector;
}

/** Retrieve the briefs and the best chunks of `tickers` for `question`. */
export async function retrieve(
  tickers: readonly string[],
  question: string,
  deps: RetrievalDeps,
  options: RetrievalOptions = { chunksPerTicker: 4 },
): Promise<Retrieval> {
  const started = deps.now();
  const timing = { readMs: 0, embedMs: 0 };
  const [embedding, perTicker] = await Promise.all([
    deps.embedder
      .embed([question])
      .then(
        (result) => ({ ok: true as const, result }),
        (error: unknown) => ({ ok: false as const, error: describeError(error) }),
      )
      .finally(() => (timing.embedMs = deps.now() - started)),
    Promise.all(
      tickers.map(async (ticker) => ({
        ticker,
        summary: await deps.summaries.getLatest(ticker),
        chunks: await deps.chunks.chunksOf(ticker),
      })),
    ).finally(() => (timing.readMs = deps.now() - started)),
  ]);
  const query = embedding.ok ? embedding.result.vectors[0]! : undefined;
  let modelMismatch = false;
  const stocks: RetrievedStock[] = [];
  const missing: string[] = [];
  for (const { ticker, summary, chunks } of perTicker) {
    if (!summary) {
      missing.push(ticker);
      continue;
    }
    const ranked = chunks.map((chunk, index) => {
      const vector = chunk.modelId === deps.embedder.modelId ? vectorOf(chunk, deps.embedder.dimensions) : null;
      if (!vector || !query) {
        if (query) modelMismatch = true;
        // Without a comparable vector, keep document order with scores below any real match.
        return { chunk, score: -1 - index / chunks.length };
      }
      return { chunk, score: cosine(query, vector) };
    });
    ranked.sort((a, b) => b.score - a.score || a.chunk.chunkId.localeCompare(b.chunk.chunkId));
    stocks.push({ ticker, summary, chunks: ranked.slice(0, options.chunksPerTicker) });
  }
  return {
    stocks,
    missing,
    embedding: embedding.ok
      ? { inputTokens: embedding.result.inputTokens, estimated: embedding.result.estimated, modelId: deps.embedder.modelId }
      : { inputTokens: 0, estimated: false, modelId: deps.embedder.modelId },
    modelMismatch,
    ...(embedding.ok ? {} : { embeddingError: embedding.error }),
    timing,
  };
}
