/**
 * The cost ledger as CloudWatch metrics: a decorator over any CostLedgerPort that, for every
 * recorded attempt, also writes Embedded Metric Format lines (serialised by Powertools Metrics, so
 * the format is CloudWatch's own). Dimensions stay low-cardinality (stage, unit kind, agent, model);
 * run, unit and variant ids travel as EMF properties.
 *
 * Lines are handed to `write` rather than printed: in Lambda that is stdout, locally the EMF file
 * in the data dir (stdout there belongs to the CLI's JSON line).
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CostLedgerEntry, CostUnitKind, CostUnitRecord, CostUnitTotals } from '../../core/model';
import type { CostLedgerPort } from '../../core/ports';
import { budgetStatus } from '../../core/cost/budget';

export const COST_METRICS = {
  /** This attempt's spend (model + embeddings + infrastructure), per unit kind. */
  costUsd: 'CostUsd',
  modelCostUsd: 'ModelCostUsd',
  embeddingCostUsd: 'EmbeddingCostUsd',
  infrastructureCostUsd: 'InfrastructureCostUsd',
  /** 1 when the unit's total passed its cap: alarm on Sum > 0. */
  budgetBreached: 'CostBudgetBreached',
  /** 1 when the unit's total passed its target. */
  overTarget: 'CostOverTarget',
  downgrades: 'CostBudgetDowngrades',
  skippedSteps: 'CostBudgetSkippedSteps',
  /** Per agent and model: spend, calls and tokens. */
  calls: 'ModelCalls',
  inputTokens: 'InputTokens',
  outputTokens: 'OutputTokens',
  cacheReadTokens: 'CacheReadInputTokens',
  cacheWriteTokens: 'CacheWriteInputTokens',
} as const;

export interface EmfCostLedgerOptions {
  /** Where serialised EMF lines go (JSON objects separated by newlines, no trailing newline). */
  write: (line: string) => void;
  namespace: string;
  serviceName: string;
  stage: string;
}

export class EmfCostLedger implements CostLedgerPort {
  private readonly metrics: Metrics;

  constructor(
    private readonly inner: CostLedgerPort,
    private readonly options: EmfCostLedgerOptions,
  ) {
    this.metrics = new Metrics({
      namespace: options.namespace,
      serviceName: options.serviceName,
      defaultDimensions: { stage: options.stage },
    });
  }

  unitSpendUsd(runId: string, kind: CostUnitKind, unitId: string): Promise<CostUnitTotals> {
    return this.inner.unitSpendUsd(runId, kind, unitId);
  }

  async record(unit: CostUnitRecord, entries: CostLedgerEntry[]): Promise<CostUnitTotals | undefined> {
    const totals = await this.inner.record(unit, entries);
    // Without the ledger's totals (an outage) the attempt alone is judged: a breach may be missed, never invented.
    const unitTotalUsd = totals?.costUsd ?? unit.modelUsd + unit.embeddingUsd + unit.infrastructureUsd;
    // One write for all of a unit's lines: locally each write is a synchronous file append.
    const lines = [this.unitLine(unit, unitTotalUsd), ...entries.map((entry) => this.entryLine(unit, entry))];
    this.options.write(lines.join('\n'));
    return totals;
  }

  private unitLine(unit: CostUnitRecord, unitTotalUsd: number): string {
    const status = budgetStatus(unitTotalUsd, unit.budget);
    const m = this.metrics;
    m.addDimensions({ unitKind: unit.kind });
    m.addMetric(COST_METRICS.costUsd, MetricUnit.NoUnit, unit.modelUsd + unit.embeddingUsd + unit.infrastructureUsd);
    m.addMetric(COST_METRICS.modelCostUsd, MetricUnit.NoUnit, unit.modelUsd);
    m.addMetric(COST_METRICS.embeddingCostUsd, MetricUnit.NoUnit, unit.embeddingUsd);
    m.addMetric(COST_METRICS.infrastructureCostUsd, MetricUnit.NoUnit, unit.infrastructureUsd);
    m.addMetric(COST_METRICS.budgetBreached, MetricUnit.Count, status === 'over_cap' ? 1 : 0);
    m.addMetric(COST_METRICS.overTarget, MetricUnit.Count, status === 'within_target' ? 0 : 1);
    m.addMetric(COST_METRICS.downgrades, MetricUnit.Count, unit.downgrades);
    m.addMetric(COST_METRICS.skippedSteps, MetricUnit.Count, unit.skippedSteps.length);
    m.addMetadata('runId', unit.runId);
    m.addMetadata('unitId', unit.unitId);
    m.addMetadata('variant', unit.variant);
    m.addMetadata('priceVersion', unit.priceVersion);
    m.addMetadata('budgetStatus', status);
    m.addMetadata('unitTotalUsd', unitTotalUsd.toFixed(6));
    m.addMetadata('estimated', String(unit.estimated));
    return this.serialise();
  }

  private entryLine(unit: CostUnitRecord, entry: CostLedgerEntry): string {
    const m = this.metrics;
    m.addDimensions({ agent: entry.agent, model: entry.modelId });
    m.addMetric(COST_METRICS.costUsd, MetricUnit.NoUnit, entry.costUsd);
    if (entry.calls > 0) {
      m.addMetric(COST_METRICS.calls, MetricUnit.Count, entry.calls);
      m.addMetric(COST_METRICS.inputTokens, MetricUnit.Count, entry.usage.inputTokens);
      m.addMetric(COST_METRICS.outputTokens, MetricUnit.Count, entry.usage.outputTokens);
      m.addMetric(COST_METRICS.cacheReadTokens, MetricUnit.Count, entry.usage.cacheReadInputTokens);
      m.addMetric(COST_METRICS.cacheWriteTokens, MetricUnit.Count, entry.usage.cacheWriteInputTokens);
    }
    m.addMetadata('runId', unit.runId);
    m.addMetadata('unitKind', unit.kind);
    m.addMetadata('unitId', unit.unitId);
    m.addMetadata('task', entry.task);
    m.addMetadata('estimated', String(entry.estimated));
    return this.serialise();
  }

  /** Serialise and clear (synchronous, so concurrent units never mix their lines). */
  private serialise(): string {
    const line = JSON.stringify(this.metrics.serializeMetrics());
    this.metrics.clearMetrics();
    this.metrics.clearDimensions();
    this.metrics.clearMetadata();
    return line;
  }
}
