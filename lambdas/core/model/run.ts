/** Batch runs: the audit of a run and the outcome of each stock in it. */
import type { IsoDate } from './company';
import type { SourceFailure } from './source-payloads';
import type { VerificationStatus } from './summary';

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
