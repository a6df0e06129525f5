/**
 * Ledger entries and the per-unit cost tracker: calls grouped by agent/model/task, spend recorded
 * as responses arrive (so a failed attempt still records what it spent), earlier attempts counted
 * against the budget, and the report computed from what the ledger holds.
 */
import { describe, expect, it } from 'vitest';
import type { CostLedgerEntry, CostLedgerRun, CostUnitRecord, ModelCallRecord } from '../../../lambdas/core/model/index';
import type { CostLedgerPort, LlmPort } from '../../../lambdas/core/ports/index';
import { loadBudgets } from '../../../lambdas/adapters/cost/budgets-file';
import { loadPriceTable } from '../../../lambdas/adapters/price-table-file';
import { infrastructureEntries, modelCallEntries } from '../../../lambdas/core/cost/ledger';
import { costReport, distributionOf } from '../../../lambdas/core/cost/report';
import { UnitCostTracker } from '../../../lambdas/core/cost/unit-cost';
import { ModelThrottledError } from '../../../lambdas/core/errors';

const prices = loadPriceTable('config/prices.yaml');
const budgets = loadBudgets('config/budgets.yaml');
const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

function call(task: ModelCallRecord['task'], modelId: string, costUsd: number): ModelCallRecord {
  return {
    task,
    modelId,
    usage: { inputTokens: 1000, outputTokens: 100, cacheReadInputTokens: 10, cacheWriteInputTokens: 0 },
    costUsd,
    estimated: false,
    latencyMs: 1000,
  };
}

/** A ledger in memory that adds up attempts like the DynamoDB one. */
function memoryLedger(): CostLedgerPort & { records: Array<{ unit: CostUnitRecord; entries: CostLedgerEntry[] }> } {
  const records: Array<{ unit: CostUnitRecord; entries: CostLedgerEntry[] }> = [];
  return {
    records,
    unitSpendUsd: async (runId, kind, unitId) => {
      const mine = records.filter((r) => r.unit.runId === runId && r.unit.kind === kind && r.unit.unitId === unitId);
      return {
        costUsd: mine.reduce((sum, r) => sum + r.unit.modelUsd + r.unit.embeddingUsd + r.unit.infrastructureUsd, 0),
        attempts: mine.length,
      };
    },
    record: async (unit, entries) => {
      records.push({ unit, entries });
      const mine = records.filter((r) => r.unit.runId === unit.runId && r.unit.kind === unit.kind && r.unit.unitId === unit.unitId);
      return {
        costUsd: mine.reduce((sum, r) => sum + r.unit.modelUsd + r.unit.embeddingUsd + r.unit.infrastructureUsd, 0),
        attempts: mine.length,
      };
    },
  };
}

function fakeLlm(behaviour: (modelId: string, n: number) => 'answer' | 'throttle'): LlmPort {
  let n = 0;
  return {
    converse: async (request) => {
      n += 1;
      if (behaviour(request.modelId, n) === 'throttle') throw new ModelThrottledError('throttled');
      return {
        text: '{}',
        modelId: request.modelId,
        usage: { inputTokens: 10_000, outputTokens: 1_500, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
        estimated: false,
        latencyMs: 25_000,
        stopReason: 'end_turn',
      };
    },
  };
}

const deps = (ledger: CostLedgerPort) => ({
  ledger,
  budgets,
  prices,
  consumedCapacity: () => ({ readUnits: 0, writeUnits: 0 }),
  now: () => new Date('2026-11-24T10:00:00Z'),
});
const unit = { runId: 'run-1', kind: 'stock' as const, unitId: 'ABCD', variant: 'control' };

describe('ledger entries', () => {
  it('group calls by agent, model and task, adding tokens, cost and downgrades', () => {
    const entries = modelCallEntries(
      [call('write_summary', SONNET, 0.05), call('regenerate_summary', HAIKU, 0.01), call('write_summary', SONNET, 0.04)],
      new Set([1]),
    );
    expect(entries).toHaveLength(2);
    const writer = entries.find((e) => e.task === 'write_summary')!;
    expect(writer).toMatchObject({ agent: 'writer', modelId: SONNET, calls: 2, downgrades: 0 });
    expect(writer.costUsd).toBeCloseTo(0.09, 12);
    expect(writer.usage.inputTokens).toBe(2000);
    expect(entries.find((e) => e.task === 'regenerate_summary')).toMatchObject({ modelId: HAIKU, downgrades: 1 });
  });

  it('turn infrastructure lines into one estimated entry per AWS service', () => {
    const entries = infrastructureEntries([
      { service: 'lambda', unit: 'GB-second', quantity: 50, usd: 0.0006 },
      { service: 'lambda', unit: 'request', quantity: 1, usd: 0.0000002 },
      { service: 'dynamodb', unit: 'write request unit', quantity: 80, usd: 0.00005 },
    ]);
    expect(entries.map((e) => [e.modelId, e.agent, e.estimated])).toEqual([
      ['aws:lambda', 'infrastructure', true],
      ['aws:dynamodb', 'infrastructure', true],
    ]);
    expect(entries[0]!.costUsd).toBeCloseTo(0.0006002, 12);
  });
});

describe('the cost of one unit', () => {
  it('records each response as it arrives, with infrastructure, in one ledger write', async () => {
    const ledger = memoryLedger();
    const tracker = await UnitCostTracker.begin(deps(ledger), unit);
    const llm = tracker.meter(fakeLlm(() => 'answer'));
    await llm.converse({ task: 'write_summary', modelId: SONNET, system: '', prompt: 'x', maxTokens: 4096 });
    tracker.addEmbedding('amazon.titan-embed-text-v2:0', 7_000, 17, false);
    const cost = await tracker.finish({ cacheLookups: 17, cacheWrites: 17 });
    expect(ledger.records).toHaveLength(1);
    expect(cost.modelUsd).toBeCloseTo((10_000 * 3 + 1_500 * 15) / 1e6, 12);
    expect(cost.embeddingUsd).toBeCloseTo((7_000 * 0.02) / 1e6, 12);
    expect(cost.infrastructureUsd).toBeGreaterThan(0);
    expect(cost.status).toBe('within_target');
    const agents = ledger.records[0]!.entries.map((e) => e.agent);
    expect(agents).toEqual(expect.arrayContaining(['writer', 'embedder', 'infrastructure']));
  });

  it('keeps what a failed attempt spent, and counts it against the budget of the retry', async () => {
    const ledger = memoryLedger();
    const first = await UnitCostTracker.begin(deps(ledger), unit);
    const flaky = first.meter(fakeLlm((_model, n) => (n === 1 ? 'answer' : 'throttle')));
    await flaky.converse({ task: 'write_summary', modelId: SONNET, system: '', prompt: 'x', maxTokens: 4096 });
    await expect(
      flaky.converse({ task: 'regenerate_summary', modelId: SONNET, system: '', prompt: 'x', maxTokens: 4096 }),
    ).rejects.toThrow();
    await first.abandon();
    expect(ledger.records).toHaveLength(1);
    const spentBefore = ledger.records[0]!.unit.modelUsd;
    expect(spentBefore).toBeGreaterThan(0);

    const retry = await UnitCostTracker.begin(deps(ledger), unit);
    expect(await retry.spentUsd()).toBeCloseTo(spentBefore + ledger.records[0]!.unit.infrastructureUsd, 12);
    expect(retry.attempt).toBe(2);
    const cost = await retry.finish();
    expect(cost.unitTotalUsd).toBeCloseTo(spentBefore + ledger.records[0]!.unit.infrastructureUsd + cost.attemptUsd, 12);
  });

  it('reads earlier attempts only when a call must be planned: a unit with no model call costs no read', async () => {
    let reads = 0;
    const ledger = memoryLedger();
    const counting = {
      ...ledger,
      unitSpendUsd: async (...args: Parameters<CostLedgerPort['unitSpendUsd']>) => ((reads += 1), ledger.unitSpendUsd(...args)),
    };
    const reused = await UnitCostTracker.begin(deps(counting), unit);
    const cost = await reused.finish();
    expect(reads).toBe(0);
    expect(cost.unitTotalUsd).toBeCloseTo(cost.infrastructureUsd, 12);
    const writing = await UnitCostTracker.begin(deps(counting), unit);
    await writing.writeBudget();
    await writing.writeBudget();
    expect(reads).toBe(1);
  });

  it('never throws from abandon, so the original error is the one that surfaces', async () => {
    const broken: CostLedgerPort = {
      unitSpendUsd: async () => ({ costUsd: 0, attempts: 0 }),
      record: async () => Promise.reject(new Error('ledger down')),
    };
    const tracker = await UnitCostTracker.begin(deps(broken), unit);
    await expect(tracker.abandon()).resolves.toBeUndefined();
  });

  it('marks a unit over its cap as a breach', async () => {
    const ledger = memoryLedger();
    ledger.records.push({
      unit: {
        ...unit,
        priceVersion: 'x',
        modelUsd: 0.39,
        embeddingUsd: 0,
        infrastructureUsd: 0,
        budget: { capUsd: 0.4, targetUsd: 0.1 },
        downgrades: 0,
        skippedSteps: [],
        estimated: false,
        at: '',
      },
      entries: [],
    });
    const tracker = await UnitCostTracker.begin(deps(ledger), unit);
    await tracker
      .meter(fakeLlm(() => 'answer'))
      .converse({ task: 'write_summary', modelId: SONNET, system: '', prompt: 'x', maxTokens: 4096 });
    const cost = await tracker.finish();
    expect(cost.status).toBe('over_cap');
    expect(cost.unitTotalUsd).toBeGreaterThan(0.4);
  });
});

describe('the cost report', () => {
  const run: CostLedgerRun = {
    runId: 'run-1',
    total: {
      costUsd: 0.3,
      modelUsd: 0.25,
      embeddingUsd: 0.01,
      infrastructureUsd: 0.04,
      attempts: 4,
      calls: 10,
      tokens: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 },
      estimated: false,
      firstAt: 'a',
      lastAt: 'b',
      priceVersion: 'v',
    },
    lines: [
      {
        agent: 'writer',
        task: 'write_summary',
        modelId: SONNET,
        calls: 3,
        usage: { inputTokens: 1, outputTokens: 1, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
        costUsd: 0.2,
        estimated: false,
        downgrades: 0,
      },
      {
        agent: 'writer',
        task: 'regenerate_summary',
        modelId: HAIKU,
        calls: 1,
        usage: { inputTokens: 1, outputTokens: 1, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
        costUsd: 0.05,
        estimated: false,
        downgrades: 1,
      },
      {
        agent: 'embedder',
        task: 'embed',
        modelId: 'amazon.titan-embed-text-v2:0',
        calls: 6,
        usage: { inputTokens: 1, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
        costUsd: 0.01,
        estimated: false,
        downgrades: 0,
      },
      {
        agent: 'infrastructure',
        task: 'GB-seconds, requests',
        modelId: 'aws:lambda',
        calls: 0,
        usage: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
        costUsd: 0.04,
        estimated: true,
        downgrades: 0,
      },
    ],
    units: [0.05, 0.07, 0.08, 0.1].map((costUsd, i) => ({
      kind: 'stock' as const,
      unitId: `T${i}`,
      variant: 'control',
      costUsd,
      modelUsd: costUsd * 0.9,
      embeddingUsd: 0,
      infrastructureUsd: costUsd * 0.1,
      attempts: i === 3 ? 2 : 1,
      downgrades: 0,
      skippedSteps: [],
      budget: { capUsd: 0.4, targetUsd: 0.1, status: 'within_target' as const },
      estimated: false,
    })),
  };

  it('splits the total by agent and model with shares that add up', () => {
    const report = costReport(run, budgets);
    expect(report.byAgent.map((a) => a.name)).toEqual(['writer', 'infrastructure', 'embedder']);
    expect(report.byAgent.reduce((sum, a) => sum + a.share, 0)).toBeCloseTo(1, 3);
    expect(report.byModel.map((m) => m.name)).toEqual([SONNET, HAIKU, 'amazon.titan-embed-text-v2:0']);
    expect(report.infrastructure).toEqual([expect.objectContaining({ name: 'lambda', units: 'GB-seconds, requests' })]);
  });

  it('gives the per-stock distribution against the budget, with a histogram that counts every stock', () => {
    const stocks = costReport(run, budgets).stocks!;
    expect(stocks.distribution).toMatchObject({ count: 4, maxUsd: 0.1, minUsd: 0.05 });
    expect(stocks.distribution.meanUsd).toBeCloseTo(0.075, 9);
    expect(stocks.meetsTarget).toBe(true);
    expect(stocks.retried).toBe(1);
    expect(stocks.histogram.reduce((sum, b) => sum + b.count, 0)).toBe(4);
    expect(stocks.top[0]).toMatchObject({ unitId: 'T3', costUsd: 0.1 });
  });

  it('has percentiles between the minimum and maximum', () => {
    const d = distributionOf([3, 1, 2, 10, 4]);
    expect(d.p50Usd).toBe(3);
    expect(d.p95Usd).toBeGreaterThan(4);
    expect(d.p95Usd).toBeLessThanOrEqual(10);
  });
});
