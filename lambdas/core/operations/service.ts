/**
 * The operator routes' reads, over the OperationsReader port: which runs fall in a range, one run's
 * detail, the cost overview and the quality overview. The aggregation itself is in runs.ts,
 * cost.ts and quality.ts.
 */
import type { Budgets } from '../cost/budget';
import type { RunAudit } from '../model';
import type { OperationsReader } from '../ports';
import { costOverview, ledgerDateOf } from './cost';
import type { CostOverview } from './cost';
import { qualityOverview } from './quality';
import type { QualityOverview } from './quality';
import { runDetailOf, runsInRange } from './runs';
import type { DateRange, RunDetail, RunRow } from './runs';

export interface OperationsDeps {
  reader: OperationsReader;
  budgets: Budgets;
}

/** Ledger runs that are not a query day are batch runs, whose audits say their as-of dates. */
async function batchAudits(reader: OperationsReader): Promise<{ audits: RunAudit[]; ledger: Map<string, number> }> {
  const ledgerRuns = await reader.ledgerRuns();
  const batchIds = ledgerRuns.filter((r) => !r.runId.startsWith('queries-')).map((r) => r.runId);
  const audits = (await Promise.all(batchIds.map((id) => reader.audit(id)))).filter((a): a is RunAudit => a !== undefined);
  return { audits, ledger: new Map(ledgerRuns.map((r) => [r.runId, r.costUsd])) };
}

export async function listRuns(range: DateRange, deps: OperationsDeps): Promise<RunRow[]> {
  const { audits, ledger } = await batchAudits(deps.reader);
  return runsInRange(audits, range, ledger);
}

export async function runDetail(runId: string, deps: OperationsDeps): Promise<RunDetail | undefined> {
  const audit = await deps.reader.audit(runId);
  if (!audit) return undefined;
  const [outcomes, ledger] = await Promise.all([deps.reader.outcomes(runId), deps.reader.ledgerRun(runId)]);
  return runDetailOf(audit, outcomes, ledger?.total.costUsd);
}

export async function costOf(range: DateRange, deps: OperationsDeps): Promise<CostOverview> {
  const ledgerRuns = await deps.reader.ledgerRuns();
  const { audits } = await batchAudits(deps.reader);
  const asOf = new Map(audits.map((a) => [a.runId, a.asOf]));
  // Only the runs that can count in the range or its month are read in full (a run holds a row per unit).
  const month = range.to.slice(0, 7);
  const wanted = ledgerRuns.filter((r) => {
    const date = ledgerDateOf(r.runId, asOf, r.lastAt);
    return date !== undefined && ((date >= range.from && date <= range.to) || date.startsWith(month));
  });
  const runs = (await Promise.all(wanted.map((r) => deps.reader.ledgerRun(r.runId)))).filter((r) => r !== undefined);
  return costOverview(runs, asOf, deps.budgets, range);
}

export async function qualityOf(range: DateRange, deps: OperationsDeps): Promise<QualityOverview> {
  const [{ audits }, evaluation, experiments] = await Promise.all([
    batchAudits(deps.reader),
    deps.reader.latestEvaluation(),
    deps.reader.experiments(),
  ]);
  return qualityOverview(audits, range, { ...(evaluation ? { evaluation } : {}), experiments });
}
