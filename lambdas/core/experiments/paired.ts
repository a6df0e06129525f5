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
