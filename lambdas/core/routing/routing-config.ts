/**
 * The model routing configuration: which model serves each task, with what limits, what it may fall
 * back to when throttled and what it may be downgraded to when the budget runs low. The YAML names
 * models once (`strong`, `small`) and tasks refer to those names, so a model id changes in one
 * place; parsing resolves the names to ids. Pure: the file is read by the adapter
 * (lambdas/adapters/llm/model-config.ts).
 */
import { z } from 'zod';
import type { LlmTask } from '../ports';
import { ConfigError } from '../errors';
import { firstIssue } from '../validation';

/** Every task of the LlmPort, at run time. */
export const LLM_TASKS = ['write_summary', 'regenerate_summary', 'extract_claims', 'classify', 'guardrail', 'answer'] as const;

// Compile-time guard: a task added to LlmTask in ports.ts without a route fails the type check here.
type UnroutedTask = Exclude<LlmTask, (typeof LLM_TASKS)[number]>;
const everyTaskRouted: [UnroutedTask] extends [never] ? true : never = true;
void everyTaskRouted;

/**
 * Tasks the router knows. `answer_deep` is a deep, multi-source answer: it is sent to the provider as
 * task `answer` (LlmTask has no deep variant) but routed to the strong model.
 */
export type RoutableTask = LlmTask | 'answer_deep';
export const ROUTABLE_TASKS: readonly RoutableTask[] = [...LLM_TASKS, 'answer_deep'];

/** The LlmTask a routable task is sent as. */
export function requestTaskOf(task: RoutableTask): LlmTask {
  return task === 'answer_deep' ? 'answer' : task;
}

/** Titan Text Embeddings v2 supports exactly these output sizes. */
const TITAN_V2_DIMENSIONS = [256, 512, 1024] as const;

const ModelSpecSchema = z.strictObject({
  /** Bedrock model id or cross-region inference profile id. */
  id: z.string().min(1),
  /** Relative price per token: a higher rank never costs less. Budget downgrades must go down in rank. */
  costRank: z.number().int().nonnegative(),
  /** Whether the model honours a `cachePoint` block; without it the adapter sends none. */
  promptCaching: z.boolean().default(true),
  description: z.string().optional(),
});

const TaskRouteSchema = z.strictObject({
  /** A model name from `models`. */
  model: z.string().min(1),
  maxTokens: z.number().int().positive(),
  temperature: z.number().min(0).max(1).optional(),
  /** Hard deadline per call; defaults to `defaults.timeoutMs`. */
  timeoutMs: z.number().int().positive().optional(),
  /** Retry once on `fallbackModel` when the provider throttles. */
  allowFallback: z.boolean(),
  fallbackModel: z.string().min(1).optional(),
  /** The cheaper model used when the remaining budget is below the downgrade threshold. */
  downgradeModel: z.string().min(1).optional(),
});

const TasksSchema = z.strictObject({
  write_summary: TaskRouteSchema,
  regenerate_summary: TaskRouteSchema,
  extract_claims: TaskRouteSchema,
  classify: TaskRouteSchema,
  guardrail: TaskRouteSchema,
  answer: TaskRouteSchema,
  answer_deep: TaskRouteSchema.optional(),
});

/** The YAML document, before model names are resolved to ids. */
export const ModelConfigFileSchema = z.strictObject({
  version: z.string().min(1),
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'expected an AWS region such as us-east-1'),
  models: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'model names are lower-case words'), ModelSpecSchema),
  embeddings: z.strictObject({
    modelId: z.string().min(1),
    dimensions: z.union(
      TITAN_V2_DIMENSIONS.map((d) => z.literal(d)),
      { error: `Titan v2 offers ${TITAN_V2_DIMENSIONS.join(', ')} dimensions` },
    ),
    normalize: z.boolean().default(true),
  }),
  local: z.strictObject({
    /** The deterministic local writer every model id maps to when FA_LLM=local. */
    modelId: z.string().min(1),
    embeddingModelId: z.string().min(1),
  }),
  budget: z
    .strictObject({
      /** Default threshold: below this many USD left, tasks with a downgrade model use it. */
      downgradeBelowUsd: z.number().nonnegative().optional(),
    })
    .default({}),
  defaults: z.strictObject({ timeoutMs: z.number().int().positive() }),
  tasks: TasksSchema,
});
export type ModelConfigFile = z.infer<typeof ModelConfigFileSchema>;

/** A model, keyed by its id in `ModelConfig.models`. */
export interface ModelSpec {
  id: string;
  /** The name the YAML gave it (`strong`, `small`, or `local`). */
  name: string;
  costRank: number;
  promptCaching: boolean;
}

/** One task's route, with model names resolved to ids. */
export interface TaskRoute {
  modelId: string;
  maxTokens: number;
  temperature?: number;
  timeoutMs: number;
  allowFallback: boolean;
  fallbackModelId?: string;
  downgradeModelId?: string;
}

/** The parsed, validated routing configuration. */
export interface ModelConfig {
  version: string;
  region: string;
  /** Keyed by model id. */
  models: Record<string, ModelSpec>;
  embeddings: { modelId: string; dimensions: 256 | 512 | 1024; normalize: boolean };
  local: { modelId: string; embeddingModelId: string };
  budget: { downgradeBelowUsd?: number };
  tasks: Record<LlmTask, TaskRoute> & { answer_deep?: TaskRoute };
}

/** Apply `fn` to every LlmTask's route (a literal, so the compiler checks every task is present). */
function mapTasks<T, U>(tasks: Record<LlmTask, T>, fn: (value: T) => U): Record<LlmTask, U> {
  return {
    write_summary: fn(tasks.write_summary),
    regenerate_summary: fn(tasks.regenerate_summary),
    extract_claims: fn(tasks.extract_claims),
    classify: fn(tasks.classify),
    guardrail: fn(tasks.guardrail),
    answer: fn(tasks.answer),
  };
}

function checkNames(file: ModelConfigFile, ctx: z.RefinementCtx): void {
  const ranks = new Map<string, number>();
  for (const [name, spec] of Object.entries(file.models)) {
    const seen = ranks.get(spec.id);
    if (seen !== undefined && seen !== spec.costRank) {
      ctx.addIssue({
        code: 'custom',
        path: ['models', name, 'costRank'],
        message: `model id ${spec.id} is listed twice with different cost ranks`,
      });
    }
    ranks.set(spec.id, spec.costRank);
  }
  for (const [task, route] of Object.entries(file.tasks)) {
    if (!route) continue;
    const known = (field: 'model' | 'fallbackModel' | 'downgradeModel'): boolean => {
      const name = route[field];
      if (name === undefined || name in file.models) return true;
      ctx.addIssue({
        code: 'custom',
        path: ['tasks', task, field],
        message: `unknown model name "${name}" (known: ${Object.keys(file.models).join(', ')})`,
      });
      return false;
    };
    const modelKnown = known('model');
    known('fallbackModel');
    const downgradeKnown = known('downgradeModel');
    if (route.allowFallback && route.fallbackModel === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['tasks', task, 'fallbackModel'],
        message: 'allowFallback is true but no fallbackModel is named',
      });
    }
    if (route.fallbackModel !== undefined && route.fallbackModel === route.model) {
      ctx.addIssue({ code: 'custom', path: ['tasks', task, 'fallbackModel'], message: 'the fallback model must differ from the model' });
    }
    if (modelKnown && downgradeKnown && route.downgradeModel !== undefined) {
      const from = file.models[route.model]!.costRank;
      const to = file.models[route.downgradeModel]!.costRank;
      if (to >= from) {
        ctx.addIssue({
          code: 'custom',
          path: ['tasks', task, 'downgradeModel'],
          message: `the downgrade model must cost less than the model (cost rank ${to} is not below ${from})`,
        });
      }
    }
  }
}

const CheckedModelConfigFileSchema = ModelConfigFileSchema.superRefine(checkNames);

/**
 * Validate a parsed YAML/JSON document and resolve model names to ids.
 * @param source names the document in the error (a file path).
 * @throws ConfigError with a one-line reason naming the first bad field.
 */
export function parseModelConfig(document: unknown, source = 'models config'): ModelConfig {
  const parsed = CheckedModelConfigFileSchema.safeParse(document);
  if (!parsed.success) {
    const { path, message } = firstIssue(parsed.error);
    throw new ConfigError(`${source} is invalid${path ? ` at ${path}` : ''}: ${message}`);
  }
  const file = parsed.data;
  const idOf = (name: string): string => file.models[name]!.id;
  const models: Record<string, ModelSpec> = {};
  for (const [name, spec] of Object.entries(file.models)) {
    models[spec.id] ??= { id: spec.id, name, costRank: spec.costRank, promptCaching: spec.promptCaching };
  }
  const resolveRoute = (route: z.infer<typeof TaskRouteSchema>): TaskRoute => ({
    modelId: idOf(route.model),
    maxTokens: route.maxTokens,
    ...(route.temperature !== undefined ? { temperature: route.temperature } : {}),
    timeoutMs: route.timeoutMs ?? file.defaults.timeoutMs,
    allowFallback: route.allowFallback,
    ...(route.fallbackModel !== undefined ? { fallbackModelId: idOf(route.fallbackModel) } : {}),
    ...(route.downgradeModel !== undefined ? { downgradeModelId: idOf(route.downgradeModel) } : {}),
  });
  const { answer_deep: answerDeep, ...required } = file.tasks;
  const tasks = mapTasks(required, resolveRoute);
  return {
    version: file.version,
    region: file.region,
    models,
    embeddings: file.embeddings,
    local: file.local,
    budget: file.budget,
    tasks: answerDeep ? { ...tasks, answer_deep: resolveRoute(answerDeep) } : tasks,
  };
}

/** Where model calls go: the deterministic local provider, the loopback simulator, or Bedrock. */
export type LlmMode = 'local' | 'sim' | 'bedrock';

/**
 * The configuration a runtime mode actually uses. `sim` and `bedrock` keep the Bedrock ids (the
 * simulator answers to them, so prices and metrics stay comparable); `local` maps every generation
 * model to the local provider and the embedding model to the local embedder, so no route can reach
 * a model that is not there. Fallbacks and downgrades that would point at the same model vanish.
 */
export function resolveModelIds(config: ModelConfig, mode: LlmMode): ModelConfig {
  if (mode !== 'local') return config;
  const local = config.local.modelId;
  const toLocal = (route: TaskRoute): TaskRoute => {
    const { fallbackModelId: _fallback, downgradeModelId: _downgrade, ...rest } = route;
    // One local model: nothing to fall back to, nothing cheaper to downgrade to.
    return { ...rest, modelId: local, allowFallback: false };
  };
  const tasks = mapTasks(config.tasks, toLocal);
  return {
    ...config,
    models: { [local]: { id: local, name: 'local', costRank: 0, promptCaching: false } },
    embeddings: { ...config.embeddings, modelId: config.local.embeddingModelId },
    tasks: config.tasks.answer_deep ? { ...tasks, answer_deep: toLocal(config.tasks.answer_deep) } : tasks,
  };
}

/** A predicate for the Converse adapter: send a cache point only to models that support caching. */
export function promptCachingFor(config: ModelConfig): (modelId: string) => boolean {
  return (modelId) => config.models[modelId]?.promptCaching ?? false;
}
