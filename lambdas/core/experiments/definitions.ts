/**
 * A/B test definitions (config/ab_tests.yaml), validated with zod: the contract between the file,
 * the assignment code, the metric counters and the statistics (docs/EXPERIMENTS.md).
 */
import { z } from 'zod';
import { describeIssue } from '../validation';
import { EXPERIMENT_OBSERVED_METRICS } from '../contracts/metrics';

/** Where an experiment is assigned, and what its unit is there. */
export const SURFACES = ['batch', 'query'] as const;
export type Surface = (typeof SURFACES)[number];

const KEY = /^[a-z][a-z0-9_]{0,47}$/;

/** `> control + 0.02`, `< control`, `>= control * 1.05`: the treatment arm against the control arm. */
const CRITERION = /^\s*(>=|<=|>|<)\s*control\s*(?:([+*-])\s*(\d+(?:\.\d+)?))?\s*$/;

export interface SuccessCriterion {
  op: '>' | '>=' | '<' | '<=';
  /** `absolute`: treatment − control against `value`; `relative`: treatment / control − 1 against `value`. */
  scale: 'absolute' | 'relative';
  value: number;
  /** The text as written, for reports. */
  text: string;
}

export function parseCriterion(text: string): SuccessCriterion | undefined {
  const match = CRITERION.exec(text);
  if (!match) return undefined;
  const op = match[1] as SuccessCriterion['op'];
  const sign = match[2];
  const amount = match[3] === undefined ? 0 : Number(match[3]);
  if (sign === '*') return { op, scale: 'relative', value: amount - 1, text: text.trim() };
  return { op, scale: 'absolute', value: sign === '-' ? -amount : amount, text: text.trim() };
}

const MetricSchema = z.object({
  name: z.string().regex(KEY, 'must be snake_case'),
  /** `proportion`: each unit contributes 0 or 1; `mean`: any number (sum and sum of squares kept). */
  kind: z.enum(['proportion', 'mean']),
  /** Which way is better. */
  direction: z.enum(['increase', 'decrease']),
});

const PrimaryMetricSchema = MetricSchema.extend({
  /** The control arm's expected value, for power and sample size. */
  baseline: z.number().positive(),
  /** Relative lift the test is sized to detect (0.1 = 10 %). */
  minimumDetectableLift: z.number().positive().max(10),
});

const GuardrailSchema = MetricSchema.extend({
  /** How much worse than control (in the metric's own units) the treatment may be before it is rolled back. */
  allowedDegradation: z.number().min(0),
});

const ArmSchema = z.object({
  key: z.string().regex(KEY, 'must be snake_case'),
  weight: z.number().min(0).max(1),
  params: z
    .object({
      /** Writer prompt variant (lambdas/core/summary/writer-prompt.ts). */
      promptVersion: z.enum(['v1', 'v2']).optional(),
      modelId: z.string().min(1).optional(),
      temperature: z.number().min(0).max(1).optional(),
      maxTokens: z.number().int().positive().optional(),
    })
    .strict()
    .default({}),
});

export const ExperimentSchema = z
  .object({
    key: z.string().regex(KEY, 'must be snake_case'),
    description: z.string().min(1),
    /** `draft`: defined but not assigned; `running`: assigned; `stopped`: everyone gets the control arm. */
    status: z.enum(['draft', 'running', 'stopped']),
    /** GrowthBook's hash version; 2 is the unbiased one. */
    hashVersion: z.literal(2).default(2),
    /** Hash seed (defaults to the key). */
    seed: z.string().min(1).optional(),
    /** Bumping it re-randomises every unit on purpose (old sticky assignments are ignored). */
    bucketVersion: z.number().int().min(0).default(0),
    units: z
      .object({ batch: z.literal('ticker').optional(), query: z.literal('fa_id').optional() })
      .refine((u) => u.batch !== undefined || u.query !== undefined, 'name at least one surface'),
    /** Share of units in the experiment at all (the rest get the control arm and are not counted). */
    coverage: z.number().min(0).max(1).default(1),
    /** Experiments in one namespace with disjoint ranges never share a unit. */
    namespace: z
      .object({
        name: z.string().regex(KEY, 'must be snake_case'),
        range: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]).refine(([a, b]) => a < b, 'start must be below end'),
      })
      .optional(),
    /** The first arm is the control. */
    arms: z.array(ArmSchema).min(2).max(8),
    plannedDurationDays: z.number().int().min(1).max(365),
    alpha: z.number().gt(0).lt(0.5).default(0.05),
    power: z.number().gt(0.5).lt(1).default(0.8),
    metrics: z.object({
      primary: PrimaryMetricSchema,
      secondary: z.array(MetricSchema).default([]),
      guardrails: z.array(GuardrailSchema).default([]),
    }),
    successCriteria: z.record(z.string(), z.string()).default({}),
  })
  .superRefine((e, ctx) => {
    const total = e.arms.reduce((sum, a) => sum + a.weight, 0);
    if (Math.abs(total - 1) > 1e-9) ctx.addIssue({ code: 'custom', path: ['arms'], message: `weights add up to ${total}, not 1` });
    const armKeys = e.arms.map((a) => a.key);
    if (new Set(armKeys).size !== armKeys.length) ctx.addIssue({ code: 'custom', path: ['arms'], message: 'arm keys must be unique' });
    const names = [e.metrics.primary.name, ...e.metrics.secondary.map((m) => m.name), ...e.metrics.guardrails.map((m) => m.name)];
    if (new Set(names).size !== names.length) ctx.addIssue({ code: 'custom', path: ['metrics'], message: 'metric names must be unique' });
    for (const name of names) {
      if (!(name in EXPERIMENT_OBSERVED_METRICS))
        ctx.addIssue({
          code: 'custom',
          path: ['metrics'],
          message: `${name} is not observed by the code (known: ${Object.keys(EXPERIMENT_OBSERVED_METRICS).join(', ')})`,
        });
    }
    for (const [metric, text] of Object.entries(e.successCriteria)) {
      if (!names.includes(metric))
        ctx.addIssue({ code: 'custom', path: ['successCriteria', metric], message: 'names no metric of this experiment' });
      else if (!parseCriterion(text))
        ctx.addIssue({ code: 'custom', path: ['successCriteria', metric], message: `"${text}" is not like "> control + 0.02"` });
    }
  });

export type Experiment = z.infer<typeof ExperimentSchema>;
export type ExperimentArm = Experiment['arms'][number];
export type ArmParams = ExperimentArm['params'];
export type MetricDefinition = z.infer<typeof MetricSchema>;
export type GuardrailDefinition = z.infer<typeof GuardrailSchema>;

export const ExperimentFileSchema = z.object({ version: z.literal(1), experiments: z.array(ExperimentSchema) }).superRefine((file, ctx) => {
  const keys = file.experiments.map((e) => e.key);
  if (new Set(keys).size !== keys.length)
    ctx.addIssue({ code: 'custom', path: ['experiments'], message: 'experiment keys must be unique' });
  // Two running experiments in one namespace must not overlap, or a unit could be in both.
  const running = file.experiments.filter((e) => e.status === 'running' && e.namespace);
  for (const [i, a] of running.entries()) {
    for (const b of running.slice(i + 1)) {
      if (a.namespace!.name !== b.namespace!.name) continue;
      const [a0, a1] = a.namespace!.range;
      const [b0, b1] = b.namespace!.range;
      if (a0 < b1 && b0 < a1)
        ctx.addIssue({ code: 'custom', path: ['experiments'], message: `${a.key} and ${b.key} overlap in namespace ${a.namespace!.name}` });
    }
  }
});
export type ExperimentFile = z.infer<typeof ExperimentFileSchema>;

export class ExperimentConfigError extends Error {
  override name = 'ExperimentConfigError';
}

/** Parse a loaded YAML document; a bad one throws with the path of its first bad field. */
export function parseExperimentFile(raw: unknown, source = 'ab_tests'): ExperimentFile {
  const parsed = ExperimentFileSchema.safeParse(raw);
  if (!parsed.success) throw new ExperimentConfigError(`${source} is invalid at ${describeIssue(parsed.error)}`);
  return parsed.data;
}

/** The control arm: the first one. */
export function controlArm(experiment: Experiment): ExperimentArm {
  return experiment.arms[0]!;
}

/** Label recorded on briefs, answers and ledger rows: `<experiment>:<arm>`. */
export function armLabel(experiment: string, arm: string): string {
  return `${experiment}:${arm}`;
}
