/** FA conversation turns and cached answers. */

import type { AnswerPayload } from './answer';

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

/** What the answer cache keeps: the answer without anything about the FA, session or request. */
export interface CachedAnswer {
  key: string;
  answer: AnswerPayload;
  cachedAt: string;
  /** Epoch seconds; an entry at or past it is a miss. */
  expiresAt: number;
}
