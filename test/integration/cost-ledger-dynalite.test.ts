/**
 * The cost ledger on dynalite: atomic ADD counters that 100 concurrent writers add up exactly, one
 * row per unit, reads for the report; the DynamoDB capacity meter; and one stock processed end to
 * end with the ledger and budgets wired in.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CostLedgerEntry, CostUnitRecord } from '../../lambdas/core/model';
import { createDocumentClient, createRepositories } from '../../lambdas/adapters/store/dynamo-repositories';
import { DynamoCostLedger } from '../../lambdas/adapters/store/cost-ledger-repository';
import { meterConsumedCapacity } from '../../lambdas/adapters/cost/dynamo-capacity-meter';
import { EmfCostLedger } from '../../lambdas/adapters/cost/emf-cost-ledger';
import { loadBudgets } from '../../lambdas/adapters/cost/budgets-file';
import { FileHashCache } from '../../lambdas/adapters/cache/file-hash-cache';
import { LocalEmbedder } from '../../lambdas/adapters/embedder/local-embedder';
import { LocalGroundedLlm } from '../../lambdas/adapters/llm/local-grounded-llm';
import { loadModelConfig } from '../../lambdas/adapters/llm/model-config';
import { loadPriceTable } from '../../lambdas/adapters/price-table-file';
import { ModelRouter } from '../../lambdas/core/routing/model-router';
import { processStock } from '../../lambdas/core/pipeline/process-stock';
import { costReport } from '../../lambdas/core/cost/report';
import { tableNamesFor } from '../../lambdas/core/contracts/tables';
import { memoryUniverse } from '../support/memory-sources';
import { startTestDynamo } from '../support/dynalite';
import type { TestDynamo } from '../support/dynalite';

const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
let dynamo: TestDynamo;
let doc: DynamoDBDocumentClient;
let ledger: DynamoCostLedger;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  doc = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
  ledger = new DynamoCostLedger({ doc, tableName: tableNamesFor('').costLedger });
});
afterAll(async () => {
  doc.destroy();
  await dynamo.close();
});

function unitRecord(runId: string, unitId: string, modelUsd: number, at: string): CostUnitRecord {
  return {
    runId,
    kind: 'stock',
    unitId,
    variant: 'control',
    priceVersion: '2026-11-01',
    modelUsd,
    embeddingUsd: 0.0001,
    infrastructureUsd: 0.001,
    budget: { capUsd: 0.4, targetUsd: 0.1 },
    downgrades: 0,
    skippedSteps: [],
    estimated: false,
    at,
  };
}

function writerEntry(costUsd: number): CostLedgerEntry {
  return {
    agent: 'writer',
    task: 'write_summary',
    modelId: SONNET,
    calls: 1,
    usage: { inputTokens: 14_000, outputTokens: 1_800, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
    costUsd,
    estimated: false,
    downgrades: 0,
  };
}

describe('the cost ledger in DynamoDB', () => {
  it('adds 100 concurrent units into the run counters exactly, with one row per unit', async () => {
    const costs = Array.from({ length: 100 }, (_, i) => 0.05 + i * 0.0001);
    await Promise.all(
      costs.map((cost, i) =>
        ledger.record(unitRecord('run-a', `T${i}`, cost, `2026-11-24T10:00:${String(i % 60).padStart(2, '0')}Z`), [
          writerEntry(cost),
          {
            agent: 'infrastructure',
            task: 'GB-seconds, requests',
            modelId: 'aws:lambda',
            calls: 0,
            usage: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
            costUsd: 0.001,
            estimated: true,
            downgrades: 0,
          },
        ]),
      ),
    );
    const run = (await ledger.readRun('run-a'))!;
    const expectedModel = costs.reduce((a, b) => a + b, 0);
    expect(run.total.attempts).toBe(100);
    expect(run.total.modelUsd).toBeCloseTo(expectedModel, 9);
    expect(run.total.costUsd).toBeCloseTo(expectedModel + 100 * 0.0011, 9);
    expect(run.total.tokens.input).toBe(1_400_000);
    expect(run.units).toHaveLength(100);
    const writer = run.lines.find((l) => l.agent === 'writer')!;
    expect(writer).toMatchObject({ modelId: SONNET, task: 'write_summary', calls: 100 });
    expect(writer.costUsd).toBeCloseTo(expectedModel, 9);
    expect(run.lines.find((l) => l.modelId === 'aws:lambda')!.costUsd).toBeCloseTo(0.1, 9);
  });

  it('adds a retried unit’s attempts into its one row and tells the next attempt what was spent', async () => {
    expect(await ledger.record(unitRecord('run-b', 'RTRY', 0.02, '2026-11-24T11:00:00Z'), [writerEntry(0.02)])).toEqual({
      costUsd: 0.0211,
      attempts: 1,
    });
    expect(await ledger.unitSpendUsd('run-b', 'stock', 'RTRY')).toEqual({ costUsd: 0.0211, attempts: 1 });
    const totals = await ledger.record(
      { ...unitRecord('run-b', 'RTRY', 0.45, '2026-11-24T11:00:05Z'), skippedSteps: ['regenerate_summary'] },
      [writerEntry(0.45)],
    );
    expect(totals).toEqual({ costUsd: 0.4722, attempts: 2 });
    const run = (await ledger.readRun('run-b'))!;
    expect(run.units).toEqual([expect.objectContaining({ unitId: 'RTRY', attempts: 2, skippedSteps: ['regenerate_summary'] })]);
    expect(run.units[0]!.costUsd).toBeCloseTo(0.4722, 12);
    expect(run.units[0]!.budget.status).toBe('over_cap');
    expect(await ledger.unitSpendUsd('run-b', 'stock', 'NEVER')).toEqual({ costUsd: 0, attempts: 0 });
  });

  it('lists runs newest first', async () => {
    const runs = await ledger.listRuns(10);
    expect(runs.map((r) => r.runId).slice(0, 2)).toEqual(['run-b', 'run-a']);
  });

  it('reports a failed write instead of throwing it', async () => {
    const errors: string[] = [];
    const broken = new DynamoCostLedger({ doc, tableName: 'no-such-table', onError: (operation) => errors.push(operation) });
    expect(await broken.record(unitRecord('run-x', 'X', 0.01, 'now'), [writerEntry(0.01)])).toBeUndefined();
    expect(await broken.unitSpendUsd('run-x', 'stock', 'X')).toEqual({ costUsd: 0, attempts: 0 });
    expect(errors).toEqual(['write', 'read']);
  });
});

describe('the DynamoDB capacity meter', () => {
  it('reports the write and read units DynamoDB charged for each call', async () => {
    const metered = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
    const seen = { readUnits: 0, writeUnits: 0 };
    meterConsumedCapacity(metered, (c) => {
      seen.readUnits += c.readUnits;
      seen.writeUnits += c.writeUnits;
    });
    const table = tableNamesFor('').runs;
    await metered.send(new PutCommand({ TableName: table, Item: { pk: 'METER', sk: 'X', text: 'x'.repeat(2_500) } }));
    expect(seen.writeUnits).toBe(3); // 2.5 KB → 3 write units
    await metered.send(new GetCommand({ TableName: table, Key: { pk: 'METER', sk: 'X' } }));
    expect(seen.readUnits).toBe(0.5); // eventually consistent read of ≤ 4 KB
    metered.destroy();
  });
});

describe('one stock with the ledger and budgets wired in', () => {
  it('records its model, embedding and infrastructure spend in the ledger and in EMF, within its budget', async () => {
    const universe = memoryUniverse();
    const router = new ModelRouter(loadModelConfig('config/models.yaml'));
    const emf: string[] = [];
    const capacity = { readUnits: 0, writeUnits: 0 };
    const metered = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
    meterConsumedCapacity(metered, (c) => {
      capacity.readUnits += c.readUnits;
      capacity.writeUnits += c.writeUnits;
    });
    const meteredLedger = new DynamoCostLedger({ doc: metered, tableName: tableNamesFor('').costLedger });
    const repositories = createRepositories(metered, tableNamesFor(''));
    const outcome = await processStock(
      { runId: 'run-stock', asOf: '2026-11-24', ticker: 'QZXV' },
      {
        sources: universe.sources,
        extractMetrics: () => [],
        summaries: repositories.summaries,
        runs: repositories.runs,
        chunks: repositories.chunks,
        cache: new FileHashCache({ directory: mkdtempSync(join(tmpdir(), 'fa-cache-')) }),
        embedder: new LocalEmbedder(),
        llm: new LocalGroundedLlm({ slipRate: 0 }),
        chooseModel: (task, context) => router.route(task, context),
        prices: loadPriceTable('config/prices.yaml'),
        experimentVariant: 'control',
        cacheDegradations: () => 0,
        now: () => new Date(),
        cost: {
          ledger: new EmfCostLedger(meteredLedger, {
            write: (lines) => emf.push(...lines.split('\n')),
            namespace: 'FAAdvisorAI',
            serviceName: 'test',
            stage: 'test',
          }),
          budgets: loadBudgets('config/budgets.yaml'),
          consumedCapacity: () => ({ ...capacity }),
        },
      },
    );
    const run = (await ledger.readRun('run-stock'))!;
    expect(run.units).toEqual([
      expect.objectContaining({ unitId: 'QZXV', attempts: 1, budget: expect.objectContaining({ status: 'within_target' }) }),
    ]);
    expect(run.units[0]!.costUsd).toBeCloseTo(outcome.costUsd, 9);
    expect(run.total.infrastructureUsd).toBeGreaterThan(0);
    expect(run.lines.map((l) => l.agent)).toEqual(expect.arrayContaining(['writer', 'embedder', 'infrastructure']));
    expect(run.lines.find((l) => l.modelId === 'aws:dynamodb')!.costUsd).toBeGreaterThan(0);
    const report = costReport(run, loadBudgets('config/budgets.yaml'));
    expect(report.stocks!.distribution.count).toBe(1);
    const unitLine = emf
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.unitId === 'QZXV' && 'CostBudgetBreached' in line)!;
    expect(unitLine).toMatchObject({ runId: 'run-stock', unitKind: 'stock', CostBudgetBreached: 0, budgetStatus: 'within_target' });
    metered.destroy();
  });
});
