/**
 * Budgets: status at the target and cap, call planning against the cap (downgrade, skip), and the
 * writer honouring the plan — a unit nearing its cap downgrades or skips the optional step.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LlmPort, LlmRequest, LlmTask } from '../../../lambdas/core/ports/index';
import { loadBudgets } from '../../../lambdas/adapters/cost/budgets-file';
import { loadModelConfig } from '../../../lambdas/adapters/llm/model-config';
import { loadPriceTable } from '../../../lambdas/adapters/price-table-file';
import { budgetStatus, parseBudgets, planCall } from '../../../lambdas/core/cost/budget';
import { costOfUsage, worstCaseCallUsd } from '../../../lambdas/core/cost/price-table';
import { ModelRouter } from '../../../lambdas/core/routing/model-router';
import { writeAndVerify } from '../../../lambdas/core/pipeline/write-and-verify';
import { ConfigError } from '../../../lambdas/core/errors';
import { LocalGroundedLlm } from '../../../lambdas/adapters/llm/local-grounded-llm';
import { createDemoSources } from '../../../lambdas/adapters/sources/demo/index';
import { gatherSources } from '../../../lambdas/core/pipeline/process-stock';
import { buildFactSnapshot, sourceHashOf } from '../../../lambdas/core/facts/normalise';
import { briefInputFrom } from '../../../lambdas/core/summary/brief-input';

const prices = loadPriceTable('config/prices.yaml');
const router = new ModelRouter(loadModelConfig('config/models.yaml'));
const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

describe('budgets config', () => {
  it('holds the seed caps and our targets per stock and per query', () => {
    const budgets = loadBudgets('config/budgets.yaml');
    expect(budgets.stock).toEqual({ targetUsd: 0.1, capUsd: 0.4 });
    expect(budgets.query).toEqual({ targetUsd: 0.02, capUsd: 0.08 });
    expect(budgets.optionalTasks).toContain('regenerate_summary');
  });

  it('refuses a cap below its target with a one-line reason', () => {
    expect(() =>
      parseBudgets({ version: 'x', stock: { targetUsd: 0.5, capUsd: 0.4 }, query: { targetUsd: 0.02, capUsd: 0.08 } }),
    ).toThrowError(ConfigError);
    expect(() => parseBudgets({ version: 'x', stock: { targetUsd: 0.1, capUsd: 0.4 } })).toThrowError(/at query/);
  });
});

describe('budget status', () => {
  const budget = { targetUsd: 0.1, capUsd: 0.4 };
  it('is within the target up to and including it, over the target above it, over the cap above the cap', () => {
    expect(budgetStatus(0, budget)).toBe('within_target');
    expect(budgetStatus(0.1, budget)).toBe('within_target');
    expect(budgetStatus(0.1000001, budget)).toBe('over_target');
    expect(budgetStatus(0.4, budget)).toBe('over_target');
    expect(budgetStatus(0.41, budget)).toBe('over_cap');
  });
});

describe('planning a call against the cap', () => {
  const route = (task: Parameters<ModelRouter['route']>[0]) => (context?: { budgetRemainingUsd: number; downgradeBelowUsd: number }) =>
    router.route(task, context);
  const budget = { targetUsd: 0.1, capUsd: 0.4 };

  it('sends the call as routed when its worst case fits under the cap', () => {
    const plan = planCall({ route: route('write_summary'), prices, budget, spentUsd: 0.05, inputTokens: 10_000, optional: false });
    expect(plan).toMatchObject({ downgraded: false, skip: false });
    expect(plan.choice.modelId).toBe(SONNET);
  });

  it('downgrades to the cheaper model when the strong model could take the unit past its cap', () => {
    const plan = planCall({ route: route('regenerate_summary'), prices, budget, spentUsd: 0.35, inputTokens: 10_000, optional: true });
    expect(plan).toMatchObject({ downgraded: true, skip: false });
    expect(plan.choice.modelId).toBe(HAIKU);
  });

  it('skips an optional step that even the cheaper model cannot afford, but never a required one', () => {
    expect(planCall({ route: route('regenerate_summary'), prices, budget, spentUsd: 0.39, inputTokens: 10_000, optional: true }).skip).toBe(
      true,
    );
    const required = planCall({ route: route('write_summary'), prices, budget, spentUsd: 0.39, inputTokens: 10_000, optional: false });
    expect(required.skip).toBe(false);
    expect(required.choice.modelId).toBe(HAIKU);
  });

  it('never lets a call it sends cost more than the cap leaves, whatever the call really produces', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.4, noNaN: true }),
        fc.integer({ min: 100, max: 60_000 }),
        fc.integer({ min: 0, max: 4096 }),
        (spent, inputTokens, outputTokens) => {
          const plan = planCall({ route: route('regenerate_summary'), prices, budget, spentUsd: spent, inputTokens, optional: true });
          if (plan.skip) return;
          // A real call bills at most the planned input and at most maxTokens of output.
          const usage = {
            inputTokens,
            outputTokens: Math.min(outputTokens, plan.choice.maxTokens),
            cacheReadInputTokens: 0,
            cacheWriteInputTokens: 0,
          };
          const cost = costOfUsage(prices, plan.choice.modelId, usage);
          expect(cost).toBeLessThanOrEqual(worstCaseCallUsd(prices, plan.choice.modelId, inputTokens, plan.choice.maxTokens) + 1e-12);
          if (!plan.downgraded || plan.worstCaseUsd <= budget.capUsd - spent)
            expect(spent + cost).toBeLessThanOrEqual(budget.capUsd + 1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the writer within a stock budget', () => {
  async function input() {
    const sources = createDemoSources({});
    const company = (await sources.universe.list())[3]!;
    const bundle = await gatherSources(company, '2026-11-24', sources);
    const snapshot = buildFactSnapshot(bundle, [], sourceHashOf(bundle));
    return { snapshot, brief: briefInputFrom(snapshot, bundle) };
  }

  /** The local writer, but every first draft slips (so a regeneration is needed). */
  function recording(): LlmPort & { requests: LlmRequest[] } {
    const slipping = new LocalGroundedLlm({ slipRate: 1 });
    const requests: LlmRequest[] = [];
    return { requests, converse: (request) => (requests.push(request), slipping.converse(request)) };
  }

  const deps = (llm: LlmPort) => ({
    llm,
    chooseModel: (task: LlmTask, context?: Parameters<ModelRouter['route']>[1]) => router.route(task, context),
    prices,
  });

  it('regenerates on the strong model when the budget has room', async () => {
    const { snapshot, brief } = await input();
    const llm = recording();
    const result = await writeAndVerify(snapshot, brief, deps(llm), {
      budget: { budget: { targetUsd: 0.1, capUsd: 0.4 }, spentUsd: 0, optionalTasks: ['regenerate_summary'] },
    });
    expect(llm.requests.map((r) => r.modelId)).toEqual([SONNET, SONNET]);
    expect(result.downgradedCalls).toEqual([]);
  });

  it('regenerates on the small model when the stock nears its cap, and records the downgrade', async () => {
    const { snapshot, brief } = await input();
    const llm = recording();
    const result = await writeAndVerify(snapshot, brief, deps(llm), {
      budget: { budget: { targetUsd: 0.1, capUsd: 0.4 }, spentUsd: 0.32, optionalTasks: ['regenerate_summary'] },
    });
    expect(llm.requests.map((r) => [r.task, r.modelId])).toEqual([
      ['write_summary', SONNET],
      ['regenerate_summary', HAIKU],
    ]);
    expect(result.downgradedCalls).toEqual([1]);
  });

  it('skips the regeneration and publishes facts-only when not even the small model fits', async () => {
    const { snapshot, brief } = await input();
    const llm = recording();
    const result = await writeAndVerify(snapshot, brief, deps(llm), {
      budget: { budget: { targetUsd: 0.1, capUsd: 0.4 }, spentUsd: 0.37, optionalTasks: ['regenerate_summary'] },
    });
    expect(llm.requests.map((r) => r.task)).toEqual(['write_summary']);
    expect(result.status).toBe('facts_only');
    expect(result.skippedSteps).toEqual(['regenerate_summary']);
  });
});
