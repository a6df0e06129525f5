/**
 * The ports the query path depends on, beyond the shared ones in adapters/ports.ts. Adapters under
 * lambdas/adapters/store implement them on DynamoDB (dynalite locally).
 */
import type { StoredChunk, StoredSummary } from '../../adapters/ports';
import type { AnswerPayload } from './answer-types';

/** The latest brief of a stock (the summaries table's LATEST item). */
export interface SummaryReader {
  getLatest(ticker: string): Promise<StoredSummary | undefined>;
}

/** Every stored chunk of a stock, with its vector. */
export interface ChunkReader {
  chunksOf(ticker: string): Promise<StoredChunk[]>;
}

/** One question and answer in an FA's session. Only redacted text is ever stored. */
export interface SessionTurn {
  faId: string;
  sessionId: string;
  turnId: string;
  /** The question after PII redaction. */
  question: string;
  answer: string;
  tickers: string[];
  depth: 'simple' | 'deep';
  citations: Array<{ n: number; sourceId: string; title: string }>;
  confidence: number;
  /** ISO timestamp. */
  createdAt: string;
  /** Epoch seconds after which the turn no longer exists, whether or not the store has deleted it. */
  expiresAt: number;
}

export interface SessionStore {
  /**
   * The newest `limit` live turns of this FA's session, oldest first. Turns at or past their expiry
   * are never returned. Another FA's turns are unreachable: the FA id is part of the key.
   */
  recentTurns(faId: string, sessionId: string, limit: number, nowEpochSeconds: number): Promise<SessionTurn[]>;
  appendTurn(turn: SessionTurn): Promise<void>;
}

/** What the answer cache keeps: the answer without anything about the FA, session or request. */
export interface CachedAnswer {
  key: string;
  answer: AnswerPayload;
  cachedAt: string;
  /** Epoch seconds; an entry at or past it is a miss. */
  expiresAt: number;
}

export interface AnswerCacheStore {
  /** The live entry for `key`, or undefined (expired entries are misses). */
  get(key: string, nowEpochSeconds: number): Promise<CachedAnswer | undefined>;
  put(entry: CachedAnswer): Promise<void>;
}
