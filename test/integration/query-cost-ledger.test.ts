/**
 * Every answered query is a unit of the cost ledger on dynalite: one row per answer in the day's
 * `queries-<date>` run, under the FA's arm, with the answer's own model and embedding cost and its
 * share of the infrastructure; a cached answer costs no model call but still its request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalAnswerLlm } from '../../lambdas/adapters/llm/local-answer-llm';
import { createDocumentClient } from '../../lambdas/adapters/store/dynamo-repositories';
import { DynamoCostLedger } from '../../lambdas/adapters/store/cost-ledger-repository';
import { loadBudgets } from '../../lambdas/adapters/cost/budgets-file';
import { tableNamesFor } from '../../lambdas/core/contracts/tables';
import { answerQuery } from '../../lambdas/core/query/query-service';
import { queryRunId } from '../../lambdas/core/query/query-cost';
import type { ExperimentPort } from '../../lambdas/core/ports';
import { startTestDynamo } from '../support/dynalite';
import type { TestDynamo } from '../support/dynalite';
import { testQueryDeps } from './query-fixtures';

let dynamo: TestDynamo;
let doc: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  doc = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
}, 60_000);
afterAll(async () => {
  doc.destroy();
  await dynamo.close();
});

// Every FA in the treatment arm: the label is what the ledger must carry.
const treatment: ExperimentPort = {
  assign: async (_surface, unitId) => ({ label: 'medium_writer:v2', experiment: 'medium_writer', arm: 'v2', unitId, params: {} }),
  record: async () => undefined,
};

describe('the query path in the cost ledger', () => {
  it("records each answer once under the day's run and the FA's arm, at the answer's model and embedding cost plus infrastructure", async () => {
    const ledger = new DynamoCostLedger({ doc, tableName: tableNamesFor('').costLedger });
    const base = await testQueryDeps({ llm: new LocalAnswerLlm() });
    const deps = {
      ...base,
      experiments: treatment,
      cost: {
        ledger,
        budgets: loadBudgets('config/budgets.yaml'),
        prices: base.prices,
        consumedCapacity: () => ({ readUnits: 0, writeUnits: 0 }),
        now: () => new Date(base.now()),
      },
    };
    const question = { question: 'What was KQRV revenue last quarter?' };
    const first = await answerQuery('fa-alice', question, deps);
    const cached = await answerQuery('fa-alice', question, deps);
    const other = await answerQuery('fa-bob', { question: 'Compare Kelorix and Hajelon on valuation and analyst views' }, deps);
    if (first.kind !== 'answered' || cached.kind !== 'answered' || other.kind !== 'answered') throw new Error('expected answers');
    expect(cached.answer.cache.hit).toBe(true);

    const run = await ledger.readRun(queryRunId(new Date(base.now())));
    expect(run?.runId).toBe('queries-2026-11-24');
    const byId = new Map(run!.units.map((u) => [u.unitId, u]));
    expect(run!.units).toHaveLength(3);
    for (const outcome of [first, cached, other]) {
      const unit = byId.get(outcome.answer.requestId)!;
      expect(unit).toMatchObject({ kind: 'query', variant: 'medium_writer:v2', attempts: 1 });
      expect(unit.modelUsd + unit.embeddingUsd).toBeCloseTo(outcome.answer.cost.usd, 8);
      expect(unit.infrastructureUsd).toBeGreaterThan(0);
    }
    expect(byId.get(cached.answer.requestId)!.modelUsd).toBe(0);
    expect(byId.get(first.answer.requestId)!.modelUsd).toBeGreaterThan(0);
    expect(run!.total.costUsd).toBeCloseTo(
      run!.units.reduce((sum, u) => sum + u.costUsd, 0),
      8,
    );
    expect(run!.lines.filter((l) => l.agent === 'answerer').reduce((sum, l) => sum + l.calls, 0)).toBe(
      first.answer.cost.calls.length + other.answer.cost.calls.length,
    );
  });
});
