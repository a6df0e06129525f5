import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadModelConfig, parseModelConfigYaml, promptCachingFor, resolveModelIds } from '../../../lambdas/adapters/llm/model-config';
import { ModelRouter } from '../../../lambdas/core/routing/model-router';
import { LLM_TASKS, parseModelConfig, ROUTABLE_TASKS } from '../../../lambdas/core/routing/routing-config';
import type { ModelConfigFile } from '../../../lambdas/core/routing/routing-config';
import { ConfigError } from '../../../lambdas/core/errors';

const CONFIG_PATH = fileURLToPath(new URL('../../../config/models.yaml', import.meta.url));
const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

const config = loadModelConfig(CONFIG_PATH);
const router = new ModelRouter(config);

/** A small valid document to vary in the validation tests. */
function baseDocument(): ModelConfigFile {
  const route = { model: 'small', maxTokens: 100, allowFallback: false };
  return {
    version: 'test',
    region: 'us-east-1',
    models: { strong: { id: 'm-strong', costRank: 2, promptCaching: true }, small: { id: 'm-small', costRank: 1, promptCaching: false } },
    embeddings: { modelId: 'amazon.titan-embed-text-v2:0', dimensions: 256, normalize: true },
    local: { modelId: 'local/grounded-writer-v1', embeddingModelId: 'local/feature-hash-v1' },
    budget: { downgradeBelowUsd: 0.05 },
    defaults: { timeoutMs: 1000 },
    tasks: {
      write_summary: { model: 'strong', maxTokens: 2000, allowFallback: true, fallbackModel: 'small', downgradeModel: 'small' },
      regenerate_summary: { model: 'strong', maxTokens: 2000, allowFallback: true, fallbackModel: 'small' },
      extract_claims: route,
      classify: route,
      guardrail: route,
      answer: route,
    },
  };
}

function configErrorFor(document: unknown): ConfigError {
  try {
    parseModelConfig(document, 'test.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('config/models.yaml', () => {
  it('routes summaries to Sonnet 4.5 with Haiku 4.5 as fallback, and the small tasks to Haiku 4.5', () => {
    expect(config.region).toBe('us-east-1');
    for (const task of ['write_summary', 'regenerate_summary'] as const) {
      expect(router.route(task)).toMatchObject({ modelId: SONNET, fallbackModelId: HAIKU, downgraded: false, requestTask: task });
    }
    for (const task of ['extract_claims', 'classify', 'guardrail', 'answer'] as const) {
      const choice = router.route(task);
      expect(choice.modelId).toBe(HAIKU);
      expect(choice.fallbackModelId).toBeUndefined();
    }
  });

  it('routes deep answers to the strong model but sends them as task answer', () => {
    expect(router.route('answer_deep')).toMatchObject({ modelId: SONNET, requestTask: 'answer', fallbackModelId: HAIKU });
  });

  it('names Titan v2 embeddings at 256 dimensions and the local provider', () => {
    expect(config.embeddings).toEqual({ modelId: 'amazon.titan-embed-text-v2:0', dimensions: 256, normalize: true });
    expect(config.local.modelId).toBe('local/grounded-writer-v1');
  });

  it('gives every choice a positive maxTokens and deadline', () => {
    for (const task of ROUTABLE_TASKS) {
      const choice = router.route(task);
      expect(Number.isInteger(choice.maxTokens) && choice.maxTokens > 0).toBe(true);
      expect(choice.timeoutMs).toBeGreaterThan(0);
    }
  });

  it('marks which models take a prompt cache point', () => {
    const caching = promptCachingFor(config);
    expect(caching(SONNET)).toBe(true);
    expect(caching('some.unknown-model')).toBe(false);
  });
});

describe('ModelRouter.route', () => {
  const budget = fc.record(
    {
      budgetRemainingUsd: fc.double({ min: 0, max: 10, noNaN: true }),
      downgradeBelowUsd: fc.double({ min: 0, max: 10, noNaN: true }),
    },
    { requiredKeys: [] },
  );

  it('routes every task to a configured model whatever the budget', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROUTABLE_TASKS), budget, (task, context) => {
        const choice = router.route(task, context);
        expect(config.models[choice.modelId]).toBeDefined();
        if (choice.fallbackModelId !== undefined) expect(config.models[choice.fallbackModelId]).toBeDefined();
        expect(LLM_TASKS).toContain(choice.requestTask);
      }),
    );
  });

  it('downgrades exactly when the remaining budget is below the threshold, and only to a cheaper model', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROUTABLE_TASKS), budget, (task, context) => {
        const normal = router.route(task);
        const choice = router.route(task, context);
        const threshold = context.downgradeBelowUsd ?? config.budget.downgradeBelowUsd;
        const low = context.budgetRemainingUsd !== undefined && threshold !== undefined && context.budgetRemainingUsd < threshold;
        expect(router.costRank(choice.modelId)!).toBeLessThanOrEqual(router.costRank(normal.modelId)!);
        if (choice.downgraded) {
          expect(low).toBe(true);
          expect(router.costRank(choice.modelId)!).toBeLessThan(router.costRank(normal.modelId)!);
        } else {
          expect(choice.modelId).toBe(normal.modelId);
        }
        if (choice.fallbackModelId !== undefined) expect(choice.fallbackModelId).not.toBe(choice.modelId);
      }),
    );
  });

  it('never downgrades when the budget is unknown', () => {
    for (const task of ROUTABLE_TASKS) expect(router.route(task, { downgradeBelowUsd: 1_000 }).downgraded).toBe(false);
  });

  it('drops the fallback once a summary has been downgraded to the fallback model itself', () => {
    const choice = router.route('write_summary', { budgetRemainingUsd: 0.001 });
    expect(choice).toMatchObject({ modelId: HAIKU, downgraded: true });
    expect(choice.fallbackModelId).toBeUndefined();
  });

  it('routes answer_deep like answer when the config has no deep route', () => {
    const { answer_deep: _deep, ...tasks } = baseDocument().tasks;
    const plain = new ModelRouter(parseModelConfig({ ...baseDocument(), tasks }));
    expect(plain.route('answer_deep')).toEqual(plain.route('answer'));
  });

  it('never downgrades to a pricier model for any valid generated config (invalid ones are rejected)', () => {
    const names = ['a', 'b', 'c'];
    const routeArb = fc.record({
      model: fc.constantFrom(...names),
      downgradeModel: fc.option(fc.constantFrom(...names), { nil: undefined }),
      maxTokens: fc.integer({ min: 1, max: 8000 }),
    });
    fc.assert(
      fc.property(
        fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5)),
        fc.array(routeArb, { minLength: 6, maxLength: 6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ([ra, rb, rc], routes, remaining) => {
          const document = baseDocument();
          document.models = {
            a: { id: 'id-a', costRank: ra, promptCaching: true },
            b: { id: 'id-b', costRank: rb, promptCaching: true },
            c: { id: 'id-c', costRank: rc, promptCaching: true },
          };
          const tasks = { ...document.tasks };
          LLM_TASKS.forEach((task, index) => {
            const generated = routes[index]!;
            tasks[task] = {
              model: generated.model,
              maxTokens: generated.maxTokens,
              allowFallback: false,
              ...(generated.downgradeModel !== undefined ? { downgradeModel: generated.downgradeModel } : {}),
            };
          });
          document.tasks = tasks;
          const rank = (name: string): number => document.models[name]!.costRank;
          const valid = LLM_TASKS.every((task) => {
            const route = tasks[task];
            return route.downgradeModel === undefined || rank(route.downgradeModel) < rank(route.model);
          });
          if (!valid) {
            expect(() => parseModelConfig(document)).toThrow(ConfigError);
            return;
          }
          const generatedRouter = new ModelRouter(parseModelConfig(document));
          for (const task of LLM_TASKS) {
            const normal = generatedRouter.route(task);
            const pressed = generatedRouter.route(task, { budgetRemainingUsd: remaining, downgradeBelowUsd: 0.5 });
            expect(generatedRouter.costRank(pressed.modelId)!).toBeLessThanOrEqual(generatedRouter.costRank(normal.modelId)!);
          }
        },
      ),
    );
  });
});

describe('resolveModelIds', () => {
  it('maps every model to the local provider in local mode, with nothing to fall back or downgrade to', () => {
    const local = new ModelRouter(resolveModelIds(config, 'local'));
    for (const task of ROUTABLE_TASKS) {
      const choice = local.route(task, { budgetRemainingUsd: 0 });
      expect(choice.modelId).toBe('local/grounded-writer-v1');
      expect(choice.fallbackModelId).toBeUndefined();
      expect(choice.downgraded).toBe(false);
      expect(choice.maxTokens).toBe(router.route(task).maxTokens);
    }
    expect(resolveModelIds(config, 'local').embeddings.modelId).toBe('local/feature-hash-v1');
  });

  it('keeps the Bedrock ids for the simulator and for Bedrock', () => {
    expect(resolveModelIds(config, 'sim')).toEqual(config);
    expect(resolveModelIds(config, 'bedrock')).toEqual(config);
  });
});

describe('model config validation', () => {
  it('accepts the base test document', () => {
    expect(() => parseModelConfig(baseDocument())).not.toThrow();
  });

  const broken: Array<[string, (document: ModelConfigFile) => unknown, RegExp]> = [
    [
      'an unknown model name',
      (d) => ({ ...d, tasks: { ...d.tasks, classify: { model: 'huge', maxTokens: 10, allowFallback: false } } }),
      /tasks\.classify\.model: unknown model name "huge"/,
    ],
    [
      'a fallback allowed but not named',
      (d) => ({ ...d, tasks: { ...d.tasks, answer: { model: 'small', maxTokens: 10, allowFallback: true } } }),
      /allowFallback is true but no fallbackModel/,
    ],
    [
      'a fallback to the same model',
      (d) => ({ ...d, tasks: { ...d.tasks, answer: { model: 'small', maxTokens: 10, allowFallback: true, fallbackModel: 'small' } } }),
      /must differ/,
    ],
    [
      'a downgrade that is not cheaper',
      (d) => ({ ...d, tasks: { ...d.tasks, answer: { model: 'small', maxTokens: 10, allowFallback: false, downgradeModel: 'strong' } } }),
      /must cost less/,
    ],
    [
      'maxTokens of zero',
      (d) => ({ ...d, tasks: { ...d.tasks, answer: { model: 'small', maxTokens: 0, allowFallback: false } } }),
      /tasks\.answer\.maxTokens/,
    ],
    ['a missing task', (d) => ({ ...d, tasks: { ...d.tasks, guardrail: undefined } }), /tasks\.guardrail/],
    ['an unknown task', (d) => ({ ...d, tasks: { ...d.tasks, poetry: { model: 'small', maxTokens: 1, allowFallback: false } } }), /tasks/],
    [
      'an embedding size Titan v2 does not offer',
      (d) => ({ ...d, embeddings: { ...d.embeddings, dimensions: 300 } }),
      /embeddings\.dimensions: Titan v2 offers 256, 512, 1024/,
    ],
    ['a region that is not one', (d) => ({ ...d, region: 'virginia' }), /region/],
  ];

  it.each(broken)('rejects %s with a one-line ConfigError naming the field', (_label, breakIt, reason) => {
    const error = configErrorFor(breakIt(baseDocument()));
    expect(error.name).toBe('ConfigError');
    expect(error.message).toMatch(/^test\.yaml is invalid/);
    expect(error.message).toMatch(reason);
    expect(error.message).not.toContain('\n');
  });

  it('rejects text that is not YAML and a file that does not exist, with a one-line reason', () => {
    expect(() => parseModelConfigYaml('tasks: [unclosed', 'bad.yaml')).toThrow(/^bad\.yaml is not valid YAML: [^\n]+$/);
    expect(() => loadModelConfig('/nonexistent/models.yaml')).toThrow(ConfigError);
  });

  it('loads a YAML file written from a valid document', () => {
    const dir = mkdtempSync(join(tmpdir(), 'models-config-'));
    const file = join(dir, 'models.yaml');
    writeFileSync(file, stringify(baseDocument()));
    const loaded = loadModelConfig(file);
    expect(loaded.tasks.write_summary).toEqual({
      modelId: 'm-strong',
      maxTokens: 2000,
      timeoutMs: 1000,
      allowFallback: true,
      fallbackModelId: 'm-small',
      downgradeModelId: 'm-small',
    });
  });
});
