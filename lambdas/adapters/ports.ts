/**
 * Ports: the interfaces the pure core depends on. Implementations live beside this file (AWS and
 * local) and own their I/O policy: timeouts, retries, circuit breaking and failure metrics.
 */
import type {
  CompanyFactsJson,
  CompanyProfile,
  DocumentRef as StoredDocumentRef,
  FactSnapshot,
  SourceFailure,
  SummaryDraft,
  VerificationResult,
  VerificationStatus,
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

// ---------------------------------------------------------------------------------------------
// Storage (DynamoDB in both runtimes; dynalite locally).

/** One model call, as the cost ledger needs it. */
export interface ModelCallRecord {
  task: LlmTask;
  modelId: string;
  usage: TokenUsage;
  costUsd: number;
  estimated: boolean;
  latencyMs: number;
}

export interface StoredSummary {
  ticker: string;
  asOf: IsoDate;
  runId: string;
  status: Exclude<VerificationStatus, 'failed'>;
  summary: SummaryDraft;
  verification: VerificationResult;
  /** 0–1: lower when sources were missing, stale or in conflict, or when the draft needed help. */
  confidence: number;
  snapshot: FactSnapshot;
  documents: StoredDocumentRef[];
  sourceHash: string;
  promptVersion: string;
  modelId: string;
  /** Chunker version, embedding model and dimensions the stock's chunks were embedded with. */
  embeddingKey: string;
  experimentVariant: string;
  calls: ModelCallRecord[];
  costUsd: number;
  costEstimated: boolean;
  generatedAt: string;
}

/** What the skip-unchanged check needs of the latest brief, without reading the brief itself. */
export type SummaryFingerprint = Pick<StoredSummary, 'sourceHash' | 'promptVersion' | 'embeddingKey' | 'status' | 'asOf'>;

export interface SummaryRepository {
  getLatest(ticker: string): Promise<StoredSummary | undefined>;
  getLatestFingerprint(ticker: string): Promise<SummaryFingerprint | undefined>;
  /** Idempotent on (runId, ticker): writes the history item, then moves LATEST forward (never back in as-of). */
  putSummary(summary: StoredSummary): Promise<void>;
  history(ticker: string, limit: number): Promise<StoredSummary[]>;
}

export interface StoredChunk {
  ticker: string;
  chunkId: string;
  docId: string;
  kind: string;
  section: string;
  text: string;
  contentHash: string;
  modelId: string;
  vector: Uint8Array;
  asOf: IsoDate;
}

export interface ChunkRepository {
  putChunks(chunks: StoredChunk[]): Promise<void>;
  /** Remove chunks of documents that are no longer in the stock's source set. Returns how many went. */
  pruneChunks(ticker: string, keepChunkIds: Set<string>): Promise<number>;
  countChunks(ticker: string): Promise<number>;
}

export type StockStatus = VerificationStatus;

export interface StockOutcome {
  runId: string;
  ticker: string;
  asOf: IsoDate;
  status: StockStatus;
  skippedUnchanged: boolean;
  embedding: { hits: number; misses: number; chunks: number; degraded: number };
  claimsChecked: number;
  findings: number;
  sourceFailures: SourceFailure[];
  costUsd: number;
  costEstimated: boolean;
  tokens: { input: number; output: number; cacheRead: number; cacheWrite: number };
  durationMs: number;
  error?: string;
  completedAt: string;
}

export interface RunAudit {
  runId: string;
  asOf: IsoDate;
  status: 'running' | 'succeeded' | 'interrupted';
  /** The tickers this run was asked to process: a ticker with no outcome at the end was lost. */
  tickers: string[];
  startedAt: string;
  finishedAt?: string;
  concurrency: number;
  totals?: RunTotals;
}

export interface RunTotals {
  stocks: number;
  succeeded: number;
  failed: number;
  skippedUnchanged: number;
  verified: number;
  regenerated: number;
  factsOnly: number;
  durationMs: number;
  embeddingCache: { hits: number; misses: number; hitRate: number; degraded: number };
  verification: { passRate: number; claimsChecked: number; findings: number };
  cost: { totalUsd: number; perStockUsd: number; estimated: boolean };
  tokens: { input: number; output: number; cacheRead: number; cacheWrite: number };
  failures: Array<{ ticker: string; error: string }>;
}

export interface RunRepository {
  createRun(audit: RunAudit): Promise<void>;
  getRun(runId: string): Promise<RunAudit | undefined>;
  /** Runs still marked running (a killed batch never finalised them). */
  runningRuns(): Promise<RunAudit[]>;
  updateRun(audit: RunAudit): Promise<void>;
  getStockOutcome(runId: string, ticker: string): Promise<StockOutcome | undefined>;
  putStockOutcome(outcome: StockOutcome): Promise<void>;
  listStockOutcomes(runId: string): Promise<StockOutcome[]>;
}

// ---------------------------------------------------------------------------------------------
// Cost ledger (DESIGN §7): what every unit of work (a stock in a run, a query) cost, by agent,
// model and task, with atomic counters per run and one row per unit.

/** What a unit of spend belongs to. */
export type CostUnitKind = 'stock' | 'query';

/** Where a unit stands against its budget. */
export type BudgetStatus = 'within_target' | 'over_target' | 'over_cap';

/**
 * One line of spend within a unit: the calls of one agent on one model for one task, or one AWS
 * service's share (agent `infrastructure`, model `aws:<service>`).
 */
export interface CostLedgerEntry {
  /** The component that spent: writer, verifier, answerer, guardrails, router, embedder, infrastructure. */
  agent: string;
  /** The LlmTask, `embed`, or the AWS unit for infrastructure lines. */
  task: string;
  modelId: string;
  calls: number;
  usage: TokenUsage;
  costUsd: number;
  /** True when the figures are estimates (the local provider's token counts, infrastructure assumptions). */
  estimated: boolean;
  /** Calls moved to a cheaper model by the budget. */
  downgrades: number;
}

/**
 * One unit's spend in one attempt (a retried stock records each attempt; the ledger adds them up).
 * Its budget status is judged on the unit's total across attempts, which the ledger returns.
 */
export interface CostUnitRecord {
  /** The batch run, or `queries-<YYYY-MM-DD>` for queries. */
  runId: string;
  kind: CostUnitKind;
  /** Ticker or query id. */
  unitId: string;
  /** Experiment variant the unit ran under. */
  variant: string;
  /** Price table version the figures were computed with. */
  priceVersion: string;
  modelUsd: number;
  embeddingUsd: number;
  infrastructureUsd: number;
  budget: { capUsd: number; targetUsd: number };
  downgrades: number;
  /** Optional steps the budget skipped (e.g. `regenerate_summary`). */
  skippedSteps: string[];
  estimated: boolean;
  /** ISO time of the record. */
  at: string;
}

/** What a run's ledger holds, read back for reports. */
export interface CostLedgerRun {
  runId: string;
  total: {
    costUsd: number;
    modelUsd: number;
    embeddingUsd: number;
    infrastructureUsd: number;
    attempts: number;
    calls: number;
    tokens: { input: number; output: number; cacheRead: number; cacheWrite: number };
    estimated: boolean;
    firstAt: string;
    lastAt: string;
    priceVersion: string;
  };
  /** Counters per agent, model and task. */
  lines: CostLedgerEntry[];
  units: Array<{
    kind: CostUnitKind;
    unitId: string;
    variant: string;
    costUsd: number;
    modelUsd: number;
    embeddingUsd: number;
    infrastructureUsd: number;
    attempts: number;
    downgrades: number;
    skippedSteps: string[];
    budget: { capUsd: number; targetUsd: number; status: BudgetStatus };
    estimated: boolean;
  }>;
}

/** A unit's spend across all its attempts in a run. */
export interface CostUnitTotals {
  costUsd: number;
  attempts: number;
}

export interface CostLedgerPort {
  /** Spend already recorded for a unit by earlier attempts (0 when none). */
  unitSpendUsd(runId: string, kind: CostUnitKind, unitId: string): Promise<CostUnitTotals>;
  /**
   * Add one attempt's spend: run counters, per agent/model/task counters, and the unit's row.
   * Resolves with the unit's totals after this attempt, or undefined when the ledger could not be
   * written (a ledger outage never fails the unit).
   */
  record(unit: CostUnitRecord, entries: CostLedgerEntry[]): Promise<CostUnitTotals | undefined>;
}

export interface CostLedgerReader {
  /** Runs with ledger rows, newest first. */
  listRuns(limit: number): Promise<Array<{ runId: string; lastAt: string; costUsd: number; attempts: number }>>;
  readRun(runId: string): Promise<CostLedgerRun | undefined>;
}
