/**
 * The operator's cost dashboard over a date range, from the cost ledger alone (every attempt,
 * failed ones included): cost per stock-night and per query over time against the targets and the
 * naive baseline, cost by agent and by model per date (stacked bars), and the budget burn for the
 * range's last day and its month. Pure.
 */
import type { CostLedgerRun, IsoDate } from '../model';
import type { Budgets } from '../cost/budget';
import type { DateRange } from './runs';
import { inRange } from './runs';

/** The query path books a day's queries under one ledger run (lambdas/core/contracts/tables.ts). */
const QUERY_RUN = /^queries-(\d{4}-\d{2}-\d{2})$/;

export interface CostPoint {
  date: IsoDate;
  runId: string;
  /** Mean cost of a unit (a stock in a night, or a query) in this run. */
  perUnitUsd: number;
  units: number;
  totalUsd: number;
}

export interface StackedBar {
  date: IsoDate;
  runId: string;
  /** Part name (agent or model id) → USD. */
  parts: Record<string, number>;
}

export interface Burn {
  period: string;
  spentUsd: number;
  budgetUsd?: number;
  /** Spent over budget, 0–∞ (absent without a budget). */
  share?: number;
}

export interface CostOverview {
  range: DateRange;
  targets: { stockUsd: number; stockCapUsd: number; queryUsd: number; queryCapUsd: number };
  baseline?: { naiveStockUsd: number; measured: string };
  stockNights: CostPoint[];
  queries: CostPoint[];
  byAgent: StackedBar[];
  byModel: StackedBar[];
  agents: string[];
  models: string[];
  burn: { day: Burn; month: Burn };
  totalUsd: number;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** The date a ledger run counts on: a query day's own date, a batch run's as-of date. */
export function ledgerDateOf(runId: string, asOfOfRun: ReadonlyMap<string, IsoDate>, fallback: string): IsoDate | undefined {
  const query = QUERY_RUN.exec(runId);
  if (query) return query[1];
  return asOfOfRun.get(runId) ?? (fallback ? fallback.slice(0, 10) : undefined);
}

function pointOf(run: CostLedgerRun, date: IsoDate, kind: 'stock' | 'query'): CostPoint | undefined {
  const units = run.units.filter((u) => u.kind === kind);
  if (units.length === 0) return undefined;
  const total = units.reduce((sum, u) => sum + u.costUsd, 0);
  return { date, runId: run.runId, perUnitUsd: round(total / units.length), units: units.length, totalUsd: round(total) };
}

function barOf(run: CostLedgerRun, date: IsoDate, key: (line: CostLedgerRun['lines'][number]) => string): StackedBar {
  const parts: Record<string, number> = {};
  for (const line of run.lines) parts[key(line)] = round((parts[key(line)] ?? 0) + line.costUsd);
  return { date, runId: run.runId, parts };
}

const byDate = <T extends { date: string; runId: string }>(a: T, b: T) => a.date.localeCompare(b.date) || a.runId.localeCompare(b.runId);

/**
 * The cost overview of the ledger runs dated in `range`. `asOfOfRun` maps batch run ids to their
 * as-of dates (from the run audits); a run the audits do not know counts on the day it was last written.
 */
export function costOverview(
  runs: readonly CostLedgerRun[],
  asOfOfRun: ReadonlyMap<string, IsoDate>,
  budgets: Budgets,
  range: DateRange,
): CostOverview {
  const dated = runs
    .map((run) => ({ run, date: ledgerDateOf(run.runId, asOfOfRun, run.total.lastAt) }))
    .filter((r): r is { run: CostLedgerRun; date: IsoDate } => r.date !== undefined);
  const inside = dated.filter((r) => inRange(r.date, range));
  const stockNights = inside.flatMap(({ run, date }) => pointOf(run, date, 'stock') ?? []).sort(byDate);
  const queries = inside.flatMap(({ run, date }) => pointOf(run, date, 'query') ?? []).sort(byDate);
  const byAgent = inside.map(({ run, date }) => barOf(run, date, (l) => l.agent)).sort(byDate);
  const byModel = inside.map(({ run, date }) => barOf(run, date, (l) => l.modelId)).sort(byDate);
  const names = (bars: StackedBar[]) => [...new Set(bars.flatMap((b) => Object.keys(b.parts)))].sort();
  // The burn is judged on the range's last day and that day's calendar month, over every ledger run.
  const month = range.to.slice(0, 7);
  const spent = (match: (date: string) => boolean) =>
    round(dated.filter((r) => match(r.date)).reduce((s, r) => s + r.run.total.costUsd, 0));
  const burn = (period: string, spentUsd: number, budgetUsd: number | undefined): Burn => ({
    period,
    spentUsd,
    ...(budgetUsd ? { budgetUsd, share: round(spentUsd / budgetUsd) } : {}),
  });
  return {
    range,
    targets: {
      stockUsd: budgets.stock.targetUsd,
      stockCapUsd: budgets.stock.capUsd,
      queryUsd: budgets.query.targetUsd,
      queryCapUsd: budgets.query.capUsd,
    },
    ...(budgets.baseline ? { baseline: budgets.baseline } : {}),
    stockNights,
    queries,
    byAgent,
    byModel,
    agents: names(byAgent),
    models: names(byModel),
    burn: {
      day: burn(
        range.to,
        spent((d) => d === range.to),
        budgets.spend?.dailyUsd,
      ),
      month: burn(
        month,
        spent((d) => d.startsWith(month) && d <= range.to),
        budgets.spend?.monthlyUsd,
      ),
    },
    totalUsd: round(inside.reduce((s, r) => s + r.run.total.costUsd, 0)),
  };
}
