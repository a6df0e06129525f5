/**
 * Ports: the interfaces the pure core depends on. Implementations live beside this file (AWS and
 * local) and own their I/O policy: timeouts, retries, circuit breaking and failure metrics.
 */
import type {
  CompanyFactsJson,
  CompanyProfile,
  FilingDocument,
  FundamentalsRecord,
  IsoDate,
  NewsItem,
  ResearchNote,
  TokenUsage,
} from '../core/model';

// ---------------------------------------------------------------------------------------------
// Sources: one port per source kind.

export interface UniverseSource {
  /** Every company in the universe, in a stable order. */
  list(): Promise<CompanyProfile[]>;
  get(ticker: string): Promise<CompanyProfile | undefined>;
}

export interface FilingsSource {
  /** XBRL facts filed on or before `asOf`, or undefined when the company has none. */
  companyFacts(company: CompanyProfile, asOf: IsoDate): Promise<CompanyFactsJson | undefined>;
  /** The latest 10-K and the 10-Qs after it (text sections), filed on or before `asOf`. */
  filings(company: CompanyProfile, asOf: IsoDate): Promise<FilingDocument[]>;
}

export interface FundamentalsSource {
  fundamentals(company: CompanyProfile, asOf: IsoDate): Promise<FundamentalsRecord | undefined>;
}

export interface ResearchSource {
  /** The most recent research notes published on or before `asOf`, newest first. */
  notes(company: CompanyProfile, asOf: IsoDate): Promise<ResearchNote[]>;
}

export interface NewsSource {
  /** The most recent news items published on or before `asOf`, newest first. */
  news(company: CompanyProfile, asOf: IsoDate): Promise<NewsItem[]>;
}

export interface Sources {
  universe: UniverseSource;
  filings: FilingsSource;
  fundamentals: FundamentalsSource;
  research: ResearchSource;
  news: NewsSource;
}

// ---------------------------------------------------------------------------------------------
// Models.

export type LlmTask = 'write_summary' | 'regenerate_summary' | 'extract_claims' | 'classify' | 'guardrail' | 'answer';

export interface LlmRequest {
  task: LlmTask;
  modelId: string;
  /** Static instructions first, so Bedrock prompt caching can reuse them (a cache point follows). */
  system: string;
  /** The per-call content (facts, sources, findings). */
  prompt: string;
  maxTokens: number;
  temperature?: number;
  /** Hard deadline for the call, in milliseconds. */
  timeoutMs?: number;
}

export interface LlmResponse {
  text: string;
  modelId: string;
  usage: TokenUsage;
  /** True when token counts are estimates (the local provider), not the provider's own figures. */
  estimated: boolean;
  latencyMs: number;
  stopReason: string;
}

export interface LlmPort {
  converse(request: LlmRequest): Promise<LlmResponse>;
}

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

// ---------------------------------------------------------------------------------------------
// Embedding-hash cache.

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
