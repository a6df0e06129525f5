/** The cost ledger's records: what every unit of work (a stock in a run, a query) cost, by agent, model and task. */

import type { TokenUsage } from './summary';

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
