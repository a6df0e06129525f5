/** The embedding port. Titan v2 and the local feature-hash embedder implement it. */
export interface EmbeddingResult {
  vectors: Float32Array[];
  inputTokens: number;
  estimated: boolean;
}

export interface EmbedderPort {
  /** Model id, part of every embedding-cache key so a model change re-embeds everything. */
  readonly modelId: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<EmbeddingResult>;
}
