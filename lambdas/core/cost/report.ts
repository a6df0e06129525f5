/**
 * The cost report of a run (`npm run cost`): where the money went by agent, model, task and AWS
 * service; the distribution of cost per stock (and per query) against the budgets; the units that
 * cost most. Computed from the cost ledger alone, so it counts every attempt, failed ones included.
 * Pure.
 */
import { quantileSorted } from 'simple-statistics';
import type { CostLedgerRun, CostUnitKind } from '../model';
import type { Budgets, UnitBudget } from './budget';
import { INFRASTRUCTURE_AGENT } from './ledger';

export interface Share {
  name: string;
  costUsd: number;
  /** Of the run's total, 0–1. */
  share: number;
  calls: number;
}

export interface Distribution {
  count: number;
  totalUsd: number;
  meanUsd: number;
  minUsd: number;
  p50Usd: number;
  p95Usd: number;
  maxUsd: number;
}

export interface UnitSection {
  kind: CostUnitKind;
  distribution: Distribution;
  budget: UnitBudget;
  /** Mean cost per unit against the target. */
  meetsTarget: boolean;
  overTarget: number;
  overCap: number;
  downgrades: number;
  skippedSteps: number;
  /** Units that needed more than one attempt. */
  retried: number;
  /** Split of the units' cost. */
  modelUsd: number;
  embeddingUsd: number;
  infrastructureUsd: number;
  /** Histogram of unit costs: equal-width bins from 0 to the larger of max and cap. */
  histogram: Array<{ fromUsd: number; toUsd: number; count: number }>;
  /** The most expensive units. */
  top: Array<{ unitId: string; costUsd: number; attempts: number; status: string }>;
}

export interface CostReport {
  runId: string;
  priceVersion: string;
  firstAt: string;
  lastAt: string;
  estimated: boolean;
  total: CostLedgerRun['total'];
  byAgent: Share[];
  byModel: Share[];
  byTask: Array<
    Share & { agent: string; modelId: string; tokens: { input: number; output: number; cacheRead: number; cacheWrite: number } }
  >;
  infrastructure: Array<Share & { units: string }>;
  stocks?: UnitSection;
  queries?: UnitSection;
}

function round(value: number, digits = 6): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function distributionOf(values: readonly number[]): Distribution {
  if (values.length === 0) return { count: 0, totalUsd: 0, meanUsd: 0, minUsd: 0, p50Usd: 0, p95Usd: 0, maxUsd: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const total = sorted.reduce((sum, v) => sum + v, 0);
  return {
    count: sorted.length,
    totalUsd: round(total),
    meanUsd: round(total / sorted.length),
    minUsd: round(sorted[0]!),
    p50Usd: round(quantileSorted(sorted, 0.5)),
    p95Usd: round(quantileSorted(sorted, 0.95)),
    maxUsd: round(sorted[sorted.length - 1]!),
  };
}

function histogramOf(values: readonly number[], upper: number, bins = 20): UnitSection['histogram'] {
  const width = upper / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor(v / width)))]! += 1;
  return counts.map((count, i) => ({ fromUsd: round(i * width), toUsd: round((i + 1) * width), count }));
}

function grouped<T>(
  items: readonly T[],
  key: (item: T) => string,
  cost: (item: T) => number,
  calls: (item: T) => number,
  total: number,
): Share[] {
  const map = new Map<string, { costUsd: number; calls: number }>();
  for (const item of items) {
    const k = key(item);
    const entry = map.get(k) ?? { costUsd: 0, calls: 0 };
    entry.costUsd += cost(item);
    entry.calls += calls(item);
    map.set(k, entry);
  }
  return [...map]
    .map(([name, v]) => ({ name, costUsd: round(v.costUsd), share: total > 0 ? round(v.costUsd / total, 4) : 0, calls: v.calls }))
    .sort((a, b) => b.costUsd - a.costUsd);
}

function unitSection(run: CostLedgerRun, kind: CostUnitKind, budget: UnitBudget): UnitSection | undefined {
  const units = run.units.filter((u) => u.kind === kind);
  if (units.length === 0) return undefined;
  const costs = units.map((u) => u.costUsd);
  const distribution = distributionOf(costs);
  const sum = (pick: (u: (typeof units)[number]) => number) => round(units.reduce((total, u) => total + pick(u), 0));
  return {
    kind,
    distribution,
    budget,
    meetsTarget: distribution.meanUsd <= budget.targetUsd,
    overTarget: units.filter((u) => u.costUsd > budget.targetUsd).length,
    overCap: units.filter((u) => u.costUsd > budget.capUsd).length,
    downgrades: sum((u) => u.downgrades),
    skippedSteps: sum((u) => u.skippedSteps.length),
    retried: units.filter((u) => u.attempts > 1).length,
    modelUsd: sum((u) => u.modelUsd),
    embeddingUsd: sum((u) => u.embeddingUsd),
    infrastructureUsd: sum((u) => u.infrastructureUsd),
    histogram: histogramOf(costs, Math.max(distribution.maxUsd, budget.targetUsd * 2)),
    top: [...units]
      .sort((a, b) => b.costUsd - a.costUsd)
      .slice(0, 10)
      .map((u) => ({ unitId: u.unitId, costUsd: round(u.costUsd), attempts: u.attempts, status: u.budget.status })),
  };
}

/** The report of one run's ledger, judged against `budgets`. */
export function costReport(run: CostLedgerRun, budgets: Budgets): CostReport {
  const total = run.total.costUsd;
  const modelLines = run.lines.filter((l) => l.agent !== INFRASTRUCTURE_AGENT);
  const infraLines = run.lines.filter((l) => l.agent === INFRASTRUCTURE_AGENT);
  const byTaskMap = new Map<string, CostReport['byTask'][number]>();
  for (const line of modelLines) {
    const key = `${line.agent}\u0000${line.modelId}\u0000${line.task}`;
    const entry = byTaskMap.get(key) ?? {
      name: line.task,
      agent: line.agent,
      modelId: line.modelId,
      costUsd: 0,
      share: 0,
      calls: 0,
      tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    };
    entry.costUsd += line.costUsd;
    entry.calls += line.calls;
    entry.tokens.input += line.usage.inputTokens;
    entry.tokens.output += line.usage.outputTokens;
    entry.tokens.cacheRead += line.usage.cacheReadInputTokens;
    entry.tokens.cacheWrite += line.usage.cacheWriteInputTokens;
    byTaskMap.set(key, entry);
  }
  const stocks = unitSection(run, 'stock', budgets.stock);
  const queries = unitSection(run, 'query', budgets.query);
  return {
    runId: run.runId,
    priceVersion: run.total.priceVersion,
    firstAt: run.total.firstAt,
    lastAt: run.total.lastAt,
    estimated: run.total.estimated,
    total: run.total,
    byAgent: grouped(
      run.lines,
      (l) => l.agent,
      (l) => l.costUsd,
      (l) => l.calls,
      total,
    ),
    byModel: grouped(
      modelLines,
      (l) => l.modelId,
      (l) => l.costUsd,
      (l) => l.calls,
      total,
    ),
    byTask: [...byTaskMap.values()]
      .map((t) => ({ ...t, costUsd: round(t.costUsd), share: total > 0 ? round(t.costUsd / total, 4) : 0 }))
      .sort((a, b) => b.costUsd - a.costUsd),
    infrastructure: infraLines
      .map((l) => ({
        name: l.modelId.replace(/^aws:/, ''),
        costUsd: round(l.costUsd, 8),
        share: total > 0 ? round(l.costUsd / total, 5) : 0,
        calls: 0,
        units: l.task,
      }))
      .sort((a, b) => b.costUsd - a.costUsd),
    ...(stocks ? { stocks } : {}),
    ...(queries ? { queries } : {}),
  };
}
