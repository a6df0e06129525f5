/** A numbered citation: the `n` the answer text shows as `[n]`. */
import type { SourceKind } from './company';
import type { TextRiskSummary } from './summary';

export type AnswerDepth = 'simple' | 'deep';

export interface AnswerCitation {
  n: number;
  /** The source document id (accession number, vendor record, note or news id). */
  sourceId: string;
  ticker: string;
  kind: SourceKind;
  title: string;
  /** ISO date of the document. */
  date: string;
  /** The passage or data line of the source that the cited sentences rest on. */
  quote: string;
}

export interface AnswerSentenceOut {
  text: string;
  /** Citation numbers (`AnswerCitation.n`). */
  citations: number[];
}

export type ConfidenceLabel = 'high' | 'medium' | 'low';

export interface AnswerPayload {
  /** The answer as prose, each sentence followed by its citation markers, e.g. `… $1.2 billion. [1][2]`. */
  answer: string;
  sentences: AnswerSentenceOut[];
  citations: AnswerCitation[];
  tickers: string[];
  depth: AnswerDepth;
  /** 0–1. */
  confidence: number;
  confidenceLabel: ConfidenceLabel;
  /** Why confidence is what it is, and what the guardrails changed (codes, see docs/API.md). */
  flags: string[];
  /** The detector's risk over the sentences shown (absent on answers cached before it was recorded). */
  risk?: TextRiskSummary;
  disclaimer: string;
  /** The newest as-of date of the briefs the answer rests on. */
  asOf: string;
  modelIds: string[];
  promptVersion: string;
  promptVariant: string;
}
