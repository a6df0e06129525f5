/**
 * Faults injected by configuration, here at the composition root and nowhere else, so that chaos
 * runs, runbooks and drills make the real batch and query path fail the way production does
 * without any code path elsewhere knowing about faults.
 *
 * - `FA_FAULTS`: the fault plan of a chaos run (docs/CHAOS.md), built once per process and applied
 *   to the DynamoDB client (stores.ts), the embedding cache (cache.ts) and the vendor sources
 *   (sources.ts).
 * - `FA_FAULT_FAIL_TICKERS=A,B`: the listed stocks fail when ProcessStock stores their outcome; the
 *   state machine catches the error, RecordFailure stores the stock as failed with the reason, and
 *   the run finishes with those stocks failed (runbooks/batch-execution-failed.md). A later process
 *   without the variable (a redrive) processes them normally.
 */
import type { RunRepository } from '../core/ports';
import { FaultPlan } from '../adapters/faults/fault-plan';
import type { RuntimeConfig } from './config';
import { logger } from './telemetry';

let plan: FaultPlan | undefined;
let planFor: RuntimeConfig['FA_FAULTS'];

/** The process's fault plan, or undefined when FA_FAULTS is unset (every deployed stage). */
export function faultPlanOf(config: RuntimeConfig): FaultPlan | undefined {
  if (!config.FA_FAULTS) return undefined;
  if (!plan || planFor !== config.FA_FAULTS) {
    plan = new FaultPlan(config.FA_FAULTS);
    planFor = config.FA_FAULTS;
    logger.warn('fault injection is on (FA_FAULTS): this process is part of a chaos run', { faults: config.FA_FAULTS });
  }
  return plan;
}

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
