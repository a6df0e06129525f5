/**
 * Faults injected by configuration, here at the composition root and nowhere else, so that runbooks
 * and drills can make the real batch fail the way production does without touching the core.
 *
 * `FA_FAULT_FAIL_TICKERS=A,B` makes the listed stocks fail when ProcessStock stores their outcome:
 * the state machine catches the error, RecordFailure stores the stock as failed with the reason,
 * and the run finishes with those stocks failed (runbooks/batch-execution-failed.md). A later
 * process without the variable (a redrive) processes them normally.
 */
import type { RunRepository } from '../core/ports';

/** A failure someone asked for by configuration; never retried by the state machine. */
export class InjectedFaultError extends Error {
  override readonly name = 'InjectedFaultError';
}

/** The run repository ProcessStock writes through, failing for the configured tickers. */
export function withInjectedStockFailures(runs: RunRepository, failTickers: ReadonlySet<string>): RunRepository {
  if (failTickers.size === 0) return runs;
  return {
    createRun: (audit) => runs.createRun(audit),
    getRun: (runId) => runs.getRun(runId),
    runningRuns: () => runs.runningRuns(),
    updateRun: (audit) => runs.updateRun(audit),
    getStockOutcome: (runId, ticker) => runs.getStockOutcome(runId, ticker),
    listStockOutcomes: (runId) => runs.listStockOutcomes(runId),
    putStockOutcome: async (outcome) => {
      if (failTickers.has(outcome.ticker)) {
        throw new InjectedFaultError(`storing ${outcome.ticker} failed: fault injected by FA_FAULT_FAIL_TICKERS`);
      }
      await runs.putStockOutcome(outcome);
    },
  };
}
