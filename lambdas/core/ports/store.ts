/** Storage ports (DynamoDB in both runtimes; dynalite locally). */
import type { StoredSummary, SummaryFingerprint, StoredChunk, RunAudit, StockOutcome, SessionTurn, CachedAnswer } from '../model';

export interface SummaryRepository {
  getLatest(ticker: string): Promise<StoredSummary | undefined>;
  getLatestFingerprint(ticker: string): Promise<SummaryFingerprint | undefined>;
  /** Idempotent on (runId, ticker): writes the history item, then moves LATEST forward (never back in as-of). */
  putSummary(summary: StoredSummary): Promise<void>;
  history(ticker: string, limit: number): Promise<StoredSummary[]>;
}

export interface ChunkRepository {
  putChunks(chunks: StoredChunk[]): Promise<void>;
  /** Remove chunks of documents that are no longer in the stock's source set. Returns how many went. */
  pruneChunks(ticker: string, keepChunkIds: Set<string>): Promise<number>;
  countChunks(ticker: string): Promise<number>;
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

/** The latest brief of a stock (the summaries table's LATEST item). */
export interface SummaryReader {
  getLatest(ticker: string): Promise<StoredSummary | undefined>;
}

/** Every stored chunk of a stock, with its vector. */
export interface ChunkReader {
  chunksOf(ticker: string): Promise<StoredChunk[]>;
}

export interface SessionStore {
  /**
   * The newest `limit` live turns of this FA's session, oldest first. Turns at or past their expiry
   * are never returned. Another FA's turns are unreachable: the FA id is part of the key.
   */
  recentTurns(faId: string, sessionId: string, limit: number, nowEpochSeconds: number): Promise<SessionTurn[]>;
  appendTurn(turn: SessionTurn): Promise<void>;
}

export interface AnswerCacheStore {
  /** The live entry for `key`, or undefined (expired entries are misses). */
  get(key: string, nowEpochSeconds: number): Promise<CachedAnswer | undefined>;
  put(entry: CachedAnswer): Promise<void>;
}
