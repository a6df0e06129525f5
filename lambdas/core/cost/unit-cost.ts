/**
 * The spend of one attempt at one unit of work (a stock in a run, a query), as it happens: model
 * calls are recorded when each response arrives (so an attempt that fails halfway still records
 * what it spent), embeddings and infrastructure are added by the caller, and the budget is judged
 * on everything the unit has cost in this run, earlier attempts included. `finish` (or `abandon`
 * for a failed attempt) writes it all to the cost ledger once, and the ledger answers with the
 * unit's totals. Earlier attempts' spend is read only when a model call must be planned against
 * the budget, so a unit that calls no model (a stock reused unchanged) costs two ledger writes and
 * no read. Pure: I/O goes through the ports.
 */
import type { BudgetStatus, CostLedgerEntry, CostUnitKind, CostUnitTotals, ModelCallRecord } from '../model';
import type { CostLedgerPort, LlmPort, LlmRequest, LlmResponse, LlmTask } from '../ports';
import type { Budgets, UnitBudget } from './budget';
import { budgetFor, budgetStatus } from './budget';
import type { ConsumedCapacity, InfrastructureLine } from './infrastructure';
import { queryInfrastructure, stockInfrastructure, totalUsd } from './infrastructure';
import { embeddingEntries, entriesUsd, infrastructureEntries, modelCallEntries } from './ledger';
import type { PriceTable } from './price-table';
import { costOfUsage } from './price-table';

/** What a unit needs to account for its cost. */
export interface CostDeps {
  ledger: CostLedgerPort;
  budgets: Budgets;
  prices: PriceTable;
  /** DynamoDB capacity consumed so far in this unit's scope (the adapter meters it; zeros if unmetered). */
  consumedCapacity: () => ConsumedCapacity;
  now: () => Date;
}

export interface UnitRef {
  runId: string;
  kind: CostUnitKind;
  unitId: string;
  variant: string;
}

/** The result of a finished attempt. */
export interface UnitCost {
  modelUsd: number;
  embeddingUsd: number;
  infrastructureUsd: number;
  /** This attempt. */
  attemptUsd: number;
  /** All attempts at this unit in this run, this one included. */
  unitTotalUsd: number;
  status: BudgetStatus;
  budget: UnitBudget;
  infrastructure: InfrastructureLine[];
  estimated: boolean;
}

export class UnitCostTracker {
  private readonly calls: ModelCallRecord[] = [];
  private embedding: CostLedgerEntry[] = [];
  private readonly downgraded = new Set<number>();
  private readonly skipped: string[] = [];
  private recorded = false;
  /** Spend and attempts recorded for this unit before this attempt, once read. */
  private prior: CostUnitTotals | undefined;
  private readonly capacityAtStart: ConsumedCapacity;

  private constructor(
    private readonly deps: CostDeps,
    readonly unit: UnitRef,
  ) {
    this.capacityAtStart = deps.consumedCapacity();
  }

  /** Start accounting for an attempt. */
  static async begin(deps: CostDeps, unit: UnitRef): Promise<UnitCostTracker> {
    return new UnitCostTracker(deps, unit);
  }

  /** What earlier attempts at this unit spent (read from the ledger once, on first need). */
  async priorSpend(): Promise<CostUnitTotals> {
    this.prior ??= await this.deps.ledger.unitSpendUsd(this.unit.runId, this.unit.kind, this.unit.unitId);
    return this.prior;
  }

  get budget(): UnitBudget {
    return budgetFor(this.deps.budgets, this.unit.kind);
  }

  /** This attempt's ordinal: 1 for the first (assumed when earlier attempts were never read). */
  get attempt(): number {
    return (this.prior?.attempts ?? 0) + 1;
  }

  /** This attempt's calls and embeddings so far. */
  private attemptModelUsd(): number {
    return this.calls.reduce((sum, c) => sum + c.costUsd, 0) + entriesUsd(this.embedding);
  }

  /** Spent on the unit so far: earlier attempts plus this one's calls and embeddings. */
  async spentUsd(): Promise<number> {
    return (await this.priorSpend()).costUsd + this.attemptModelUsd();
  }

  /** The unit's budget for the writer (core/pipeline/write-and-verify.ts). */
  async writeBudget(): Promise<{ budget: UnitBudget; spentUsd: number; optionalTasks: readonly LlmTask[] }> {
    return { budget: this.budget, spentUsd: await this.spentUsd(), optionalTasks: this.deps.budgets.optionalTasks };
  }

  /** `llm`, recording every response's usage and cost on this unit as it arrives. */
  meter(llm: LlmPort): LlmPort {
    return {
      converse: async (request: LlmRequest): Promise<LlmResponse> => {
        const response = await llm.converse(request);
        this.calls.push({
          task: request.task,
          modelId: response.modelId,
          usage: response.usage,
          costUsd: costOfUsage(this.deps.prices, response.modelId, response.usage),
          estimated: response.estimated,
          latencyMs: response.latencyMs,
        });
        return response;
      },
    };
  }

  /** Record calls another component metered already (the query path prices its own calls as they return). */
  addCalls(calls: readonly ModelCallRecord[]): void {
    this.calls.push(...calls);
  }

  /** Record the unit's embedding calls. */
  addEmbedding(modelId: string, inputTokens: number, texts: number, estimated: boolean): void {
    const usage = { inputTokens, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };
    const costUsd = inputTokens > 0 ? costOfUsage(this.deps.prices, modelId, usage) : 0;
    this.embedding = embeddingEntries(modelId, inputTokens, texts, costUsd, estimated);
  }

  /** What the budget did: indexes (in call order) of downgraded calls, and skipped steps. */
  addBudgetActions(downgradedCalls: readonly number[], skippedSteps: readonly string[]): void {
    for (const index of downgradedCalls) this.downgraded.add(index);
    this.skipped.push(...skippedSteps);
  }

  /** Price this attempt's infrastructure and write the attempt to the ledger. */
  async finish(measures: { cacheLookups: number; cacheWrites: number } = { cacheLookups: 0, cacheWrites: 0 }): Promise<UnitCost> {
    const cost = this.price(measures);
    const totals = await this.record(cost);
    // The ledger's total counts every attempt; without it (an outage) fall back to what is known.
    const unitTotalUsd = totals?.costUsd ?? (this.prior?.costUsd ?? 0) + cost.attemptUsd;
    return { ...cost, unitTotalUsd, status: budgetStatus(unitTotalUsd, cost.budget) };
  }

  /**
   * Record what a failed attempt spent before it failed (a retry will add its own), then let the
   * caller rethrow. Never throws itself: a ledger failure must not mask the original error.
   */
  async abandon(): Promise<void> {
    if (this.recorded) return;
    try {
      await this.record(this.price({ cacheLookups: 0, cacheWrites: 0 }));
    } catch {
      // The original error matters more; the ledger misses one attempt's partial spend.
    }
  }

  private price(measures: { cacheLookups: number; cacheWrites: number }): Omit<UnitCost, 'unitTotalUsd' | 'status'> {
    const consumed = this.deps.consumedCapacity();
    const dynamo = {
      readUnits: Math.max(0, consumed.readUnits - this.capacityAtStart.readUnits),
      writeUnits: Math.max(0, consumed.writeUnits - this.capacityAtStart.writeUnits),
    };
    const modelLatencyMs = this.calls.reduce((sum, c) => sum + c.latencyMs, 0);
    const infrastructure =
      this.unit.kind === 'stock'
        ? stockInfrastructure(this.deps.prices, { attempt: this.attempt, modelLatencyMs, dynamo, ...measures })
        : queryInfrastructure(this.deps.prices, { modelLatencyMs, dynamo, ...measures });
    const modelUsd = this.calls.reduce((sum, c) => sum + c.costUsd, 0);
    const embeddingUsd = entriesUsd(this.embedding);
    const infrastructureUsd = totalUsd(infrastructure);
    return {
      modelUsd,
      embeddingUsd,
      infrastructureUsd,
      attemptUsd: modelUsd + embeddingUsd + infrastructureUsd,
      budget: this.budget,
      infrastructure,
      estimated: this.calls.some((c) => c.estimated) || this.embedding.some((e) => e.estimated),
    };
  }

  private async record(cost: Omit<UnitCost, 'unitTotalUsd' | 'status'>): Promise<CostUnitTotals | undefined> {
    this.recorded = true;
    const entries = [...modelCallEntries(this.calls, this.downgraded), ...this.embedding, ...infrastructureEntries(cost.infrastructure)];
    return this.deps.ledger.record(
      {
        runId: this.unit.runId,
        kind: this.unit.kind,
        unitId: this.unit.unitId,
        variant: this.unit.variant,
        priceVersion: this.deps.prices.version,
        modelUsd: cost.modelUsd,
        embeddingUsd: cost.embeddingUsd,
        infrastructureUsd: cost.infrastructureUsd,
        budget: { capUsd: cost.budget.capUsd, targetUsd: cost.budget.targetUsd },
        downgrades: this.downgraded.size,
        skippedSteps: [...this.skipped],
        estimated: cost.estimated,
        at: this.deps.now().toISOString(),
      },
      entries,
    );
  }
}
