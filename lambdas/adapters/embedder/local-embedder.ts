/**
 * The embedded default's embedder (FA_LLM=local): the pure feature-hash embedder behind
 * `EmbedderPort`. No model is called, so token counts are estimates and marked as such; the cost
 * ledger prices them like Titan tokens so local runs show what AWS would charge.
 */
import type { EmbedderPort, EmbeddingResult } from '../../core/ports';
import { DEFAULT_FEATURE_HASH_DIMENSIONS, FEATURE_HASH_MODEL_ID, featureHashEmbedding } from '../../core/embedding/feature-hash-embedder';

export interface LocalEmbedderOptions {
  /** Default 256. */
  dimensions?: number;
}

/** Tokens per word for English prose under typical sub-word tokenisers. */
const TOKENS_PER_WORD = 1.3;

/** Estimated input tokens of `texts`: ⌈words × 1.3⌉ over all of them. */
export function estimateEmbeddingTokens(texts: string[]): number {
  let words = 0;
  for (const text of texts) {
    const trimmed = text.trim();
    if (trimmed !== '') words += trimmed.split(/\s+/).length;
  }
  return Math.ceil(words * TOKENS_PER_WORD);
}

export class LocalEmbedder implements EmbedderPort {
  readonly modelId = FEATURE_HASH_MODEL_ID;
  readonly dimensions: number;

  constructor(options: LocalEmbedderOptions = {}) {
    this.dimensions = options.dimensions ?? DEFAULT_FEATURE_HASH_DIMENSIONS;
    if (!Number.isInteger(this.dimensions) || this.dimensions < 1) {
      throw new RangeError(`dimensions must be a positive integer, got ${this.dimensions}`);
    }
  }

  async embed(texts: string[]): Promise<EmbeddingResult> {
    return {
      vectors: texts.map((text) => featureHashEmbedding(text, this.dimensions)),
      inputTokens: estimateEmbeddingTokens(texts),
      estimated: true,
    };
  }
}
