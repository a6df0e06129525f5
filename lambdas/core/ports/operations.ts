/** What the operator dashboard reads: run audits, per-stock outcomes, the cost ledger, evaluation and experiment results. */
import type { CostLedgerRun, RunAudit, StockOutcome } from '../model';
import type { EvaluationSummary, ExperimentSummary } from '../operations/quality';

export interface OperationsReader {
  /** Every run the cost ledger has rows for (batch runs and query days), newest first. */
  ledgerRuns(): Promise<Array<{ runId: string; lastAt: string; costUsd: number }>>;
  ledgerRun(runId: string): Promise<CostLedgerRun | undefined>;
  audit(runId: string): Promise<RunAudit | undefined>;
  outcomes(runId: string): Promise<StockOutcome[]>;
  /** The latest evaluation report, where one was written (locally evals/reports; absent in AWS). */
  latestEvaluation(): Promise<EvaluationSummary | undefined>;
  experiments(): Promise<ExperimentSummary[]>;
}
