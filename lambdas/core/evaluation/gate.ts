/**
 * The quality gate: every metric against its threshold (evals/thresholds.json) and against the last
 * accepted baseline (evals/baselines/), which it may not fall below by more than its own interval.
 * Pure: the thresholds and baseline come in parsed, the verdicts go out.
 */
import { z } from 'zod';
import { ConfigError } from '../errors';
import { describeIssue } from '../validation';
import type { Estimate } from './stats';

export const SUITES = ['regression', 'adversarial', 'query'] as const;
export type SuiteName = (typeof SUITES)[number];

const LimitSchema = z
  .strictObject({
    /** The metric must be at least this (rates, recall), or … */
    min: z.number().optional(),
    /** … at most this (false positives, latency, cost). */
    max: z.number().optional(),
    /** A hard gate: one failing item fails the suite, whatever the interval. */
    hard: z.boolean().optional(),
    /** false: never compared with the baseline (wall-clock figures depend on the machine, not the change). */
    paired: z.boolean().optional(),
    /** What the metric measures, for the reports. */
    about: z.string().optional(),
  })
  .refine((l) => (l.min === undefined) !== (l.max === undefined), 'give exactly one of min and max');
export type Limit = z.infer<typeof LimitSchema>;

export const ThresholdsSchema = z.strictObject({
  version: z.string().min(1),
  /** Per suite, per metric name; `prefix.*` applies to every metric `prefix.<anything>` without its own entry. */
  suites: z.partialRecord(z.enum(SUITES), z.record(z.string().min(1), LimitSchema)),
});
export type Thresholds = z.infer<typeof ThresholdsSchema>;

const BaselineMetricSchema = z.strictObject({ value: z.number(), low: z.number(), high: z.number() });
export const BaselineSchema = z.strictObject({
  acceptedAt: z.string().min(1),
  llm: z.string().min(1),
  datasets: z.record(z.string(), z.string()),
  suites: z.partialRecord(
    z.enum(SUITES),
    z.strictObject({ n: z.number().int().nonnegative(), metrics: z.record(z.string(), BaselineMetricSchema) }),
  ),
});
export type Baseline = z.infer<typeof BaselineSchema>;

/** Parse a thresholds or baseline document. @throws ConfigError with a one-line reason. */
export function parseThresholds(document: unknown, name = 'thresholds'): Thresholds {
  const parsed = ThresholdsSchema.safeParse(document);
  if (!parsed.success) throw new ConfigError(`${name} is invalid at ${describeIssue(parsed.error, 'the top level')}`);
  return parsed.data;
}

export function parseBaseline(document: unknown, name = 'baseline'): Baseline {
  const parsed = BaselineSchema.safeParse(document);
  if (!parsed.success) throw new ConfigError(`${name} is invalid at ${describeIssue(parsed.error, 'the top level')}`);
  return parsed.data;
}

/** The limit of one metric: its own entry, else the longest matching `prefix.*` entry. */
export function limitFor(thresholds: Thresholds, suite: SuiteName, metric: string): Limit | undefined {
  const limits = thresholds.suites[suite] ?? {};
  if (limits[metric]) return limits[metric];
  const wildcards = Object.keys(limits)
    .filter((key) => key.endsWith('.*') && metric.startsWith(key.slice(0, -1)))
    .sort((a, b) => b.length - a.length);
  return wildcards[0] ? limits[wildcards[0]] : undefined;
}

export interface BaselineComparison {
  value: number;
  delta: number;
  /** Worse than the baseline by more than the current interval's half-width. */
  regressed: boolean;
}

export interface MetricVerdict {
  value: number;
  low: number;
  high: number;
  threshold: number;
  pass: boolean;
  n: number;
  direction: 'min' | 'max';
  hard: boolean;
  about?: string;
  /** Why it failed, one line. */
  reason?: string;
  baseline?: BaselineComparison;
}

/**
 * Judge one metric. A hard gate needs every item to pass (value at its limit); other metrics need
 * the point estimate within the threshold. Either way the metric may not regress past its interval
 * against the baseline when the baseline was measured on the same dataset.
 */
export function judgeMetric(estimate: Estimate, limit: Limit, baseline?: { value: number }): MetricVerdict {
  const direction = limit.min !== undefined ? 'min' : 'max';
  const threshold = (limit.min ?? limit.max)!;
  const eps = 1e-9;
  const within = direction === 'min' ? estimate.value >= threshold - eps : estimate.value <= threshold + eps;
  const noEvidence = estimate.n === 0;
  let reason: string | undefined;
  if (noEvidence) reason = 'no items were measured';
  else if (!within)
    reason = `${estimate.value} is ${direction === 'min' ? 'below' : 'above'} the ${limit.hard ? 'hard gate' : 'threshold'} ${threshold}`;
  let comparison: BaselineComparison | undefined;
  if (baseline && limit.paired !== false) {
    const half = (estimate.high - estimate.low) / 2;
    const delta = Math.round((estimate.value - baseline.value) * 1e6) / 1e6;
    const regressed = direction === 'min' ? delta < -half - eps : delta > half + eps;
    comparison = { value: baseline.value, delta, regressed };
    if (regressed && !reason)
      reason = `${estimate.value} is worse than the baseline ${baseline.value} by more than its interval (±${Math.round(half * 1e4) / 1e4})`;
  }
  return {
    value: estimate.value,
    low: estimate.low,
    high: estimate.high,
    threshold,
    pass: reason === undefined,
    n: estimate.n,
    direction,
    hard: limit.hard === true,
    ...(limit.about ? { about: limit.about } : {}),
    ...(reason ? { reason } : {}),
    ...(comparison ? { baseline: comparison } : {}),
  };
}

/**
 * Judge a suite's estimates. A metric without a threshold is a configuration error (a new metric
 * must be given a limit before it can gate), as is a threshold whose metric was never measured.
 */
export function judgeSuite(
  suite: SuiteName,
  estimates: Record<string, Estimate>,
  thresholds: Thresholds,
  baseline?: { metrics: Record<string, { value: number }> },
): Record<string, MetricVerdict> {
  const verdicts: Record<string, MetricVerdict> = {};
  for (const [name, estimate] of Object.entries(estimates)) {
    const limit = limitFor(thresholds, suite, name);
    if (!limit) throw new ConfigError(`evals/thresholds.json has no limit for ${suite} metric ${name}`);
    verdicts[name] = judgeMetric(estimate, limit, baseline?.metrics[name]);
  }
  for (const name of Object.keys(thresholds.suites[suite] ?? {})) {
    if (!name.endsWith('.*') && !(name in estimates))
      throw new ConfigError(`evals/thresholds.json sets a limit for ${suite} metric ${name}, which the suite does not measure`);
  }
  return verdicts;
}
