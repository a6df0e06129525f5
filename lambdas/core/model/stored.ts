/** What the pipeline stores per stock: the brief with its verification, chunks and vectors, model calls. */

import type { LlmTask } from '../ports';
import type { IsoDate } from './company';
import type { FactSnapshot, DocumentRef } from './facts';
import type { TokenUsage, VerificationStatus, SummaryDraft, VerificationResult } from './summary';

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
  documents: DocumentRef[];
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
export type SummaryFingerprint = Pick<StoredSummary, 'sourceHash' | 'promptVersion' | 'embeddingKey' | 'status' | 'asOf'> &
  Partial<Pick<StoredSummary, 'experimentVariant'>>;

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
