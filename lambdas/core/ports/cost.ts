/** Cost ledger ports: writing a unit's spend and reading a run back. */
import type { CostUnitKind, CostUnitTotals, CostUnitRecord, CostLedgerEntry, CostLedgerRun } from '../model';

export interface CostLedgerPort {
  /** Spend already recorded for a unit by earlier attempts (0 when none). */
  unitSpendUsd(runId: string, kind: CostUnitKind, unitId: string): Promise<CostUnitTotals>;
  /**
   * Add one attempt's spend: run counters, per agent/model/task counters, and the unit's row.
   * Resolves with the unit's totals after this attempt, or undefined when the ledger could not be
   * written (a ledger outage never fails the unit).
   */
  record(unit: CostUnitRecord, entries: CostLedgerEntry[]): Promise<CostUnitTotals | undefined>;
}

export interface CostLedgerReader {
  /** Runs with ledger rows, newest first. */
  listRuns(limit: number): Promise<Array<{ runId: string; lastAt: string; costUsd: number; attempts: number }>>;
  readRun(runId: string): Promise<CostLedgerRun | undefined>;
}
