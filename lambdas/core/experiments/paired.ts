/**
 * Paired comparison for the pre-launch check (`npm run ab -- simulate`): every unit is run through
 * both arms on the same material, so the arms are compared unit by unit. The paired difference
 * removes the variation between units (a stock with thin data is thin in both arms), which makes a
 * few dozen units enough to see a real difference.
 */
import type { Experiment } from './definitions';
import { controlArm } from './definitions';
import { phi, phiInverse } from './stats';

export interface PairedMetric {
  metric: string;
  /** Units paired. */
  n: number;
  control: number;
  treatment: number;
  /** Mean of treatment − control over the units. */
  difference: number;
  se: number;
  /** (1 − α) normal interval of the mean difference. */
  interval: readonly [number, number];
  p: number;
}

/** Mean paired difference with its standard error and a two-sided normal interval. */
export function pairedDifference(metric: string, pairs: ReadonlyArray<readonly [number, number]>, alpha = 0.05): PairedMetric {
  const n = pairs.length;
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  const diffs = pairs.map(([c, t]) => t - c);
  const d = mean(diffs);
  const variance = n > 1 ? diffs.reduce((s, x) => s + (x - d) ** 2, 0) / (n - 1) : 0;
  const se = n > 0 ? Math.sqrt(variance / n) : 0;
  const z = phiInverse(1 - alpha / 2);
  return {
    metric,
    n,
    control: mean(pairs.map(([c]) => c)),
    treatment: mean(pairs.map(([, t]) => t)),
    difference: d,
    se,
    interval: [d - z * se, d + z * se],
    p: se > 0 ? 2 * phi(-Math.abs(d / se)) : d === 0 ? 1 : 0,
  };
}

export interface PrelaunchCheck {
  experiment: string;
  control: string;
  treatment: string;
  units: number;
  metrics: PairedMetric[];
  /** False when a guardrail is worse by more than its allowance with the whole interval past it. */
  passed: boolean;
  reason: string;
}

/** Judge the treatment arm's paired results against the experiment's guardrails. */
export function prelaunchCheck(
  experiment: Experiment,
  treatment: string,
  values: Record<string, ReadonlyArray<readonly [number, number]>>,
): PrelaunchCheck {
  const metrics = Object.entries(values).map(([metric, pairs]) => pairedDifference(metric, pairs, experiment.alpha));
  const harmful = experiment.metrics.guardrails.flatMap((g) => {
    const m = metrics.find((x) => x.metric === g.name);
    if (!m) return [];
    const worseLow = g.direction === 'decrease' ? m.interval[0] : -m.interval[1];
    return worseLow > g.allowedDegradation
      ? [
          `${g.name} is worse by ${(g.direction === 'decrease' ? m.difference : -m.difference).toPrecision(3)} (allowed ${g.allowedDegradation})`,
        ]
      : [];
  });
  const units = Math.max(0, ...Object.values(values).map((pairs) => pairs.length));
  return {
    experiment: experiment.key,
    control: controlArm(experiment).key,
    treatment,
    units,
    metrics,
    passed: harmful.length === 0,
    reason: harmful.length > 0 ? `blocked: ${harmful.join('; ')}` : `no guardrail degrades beyond its allowance over ${units} paired units`,
  };
}

/** One evaluation run's items of one suite: each item's verdict and its experiment observations. */
export type EvaluatedItems = Readonly<Record<string, { pass: boolean; observations?: Readonly<Record<string, number>> }>>;

/**
 * The pairs of two evaluation runs of the same items, one per arm (suite name → items): per
 * experiment metric, the items that observed it in both runs; per suite, the items' pass verdicts as
 * `eval_pass.<suite>`. Items only one run has are left out (they cannot be paired).
 */
export function pairEvaluationItems(
  control: Readonly<Record<string, EvaluatedItems>>,
  treatment: Readonly<Record<string, EvaluatedItems>>,
): Record<string, Array<[number, number]>> {
  const pairs: Record<string, Array<[number, number]>> = {};
  const add = (metric: string, c: number, t: number) => (pairs[metric] ??= []).push([c, t]);
  for (const [suite, items] of Object.entries(control)) {
    const other = treatment[suite];
    if (!other) continue;
    for (const [id, c] of Object.entries(items)) {
      const t = other[id];
      if (!t) continue;
      add(`eval_pass.${suite}`, c.pass ? 1 : 0, t.pass ? 1 : 0);
      for (const [metric, value] of Object.entries(c.observations ?? {})) {
        const paired = t.observations?.[metric];
        if (paired !== undefined && Number.isFinite(value) && Number.isFinite(paired)) add(metric, value, paired);
      }
    }
  }
  return pairs;
}
