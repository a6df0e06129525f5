/**
 * The analysis of a running experiment and its decision (docs/EXPERIMENTS.md §Decision): ship,
 * roll back, continue or inconclusive, always with the reason. The order of the rules matters:
 * a sample-ratio mismatch voids everything; a guardrail breach rolls back whatever the primary
 * says; only then does the primary metric, with the success criteria, decide.
 */
import type { Experiment, GuardrailDefinition, MetricDefinition, SuccessCriterion } from './definitions';
import { controlArm, parseCriterion } from './definitions';
import type { Comparison, ExperimentCounts, MeanEstimate, SampleSize, SrmResult, SufficientStats } from './stats';
import {
  EMPTY_STATS,
  benjaminiHochberg,
  compareEstimates,
  holm,
  meanEstimate,
  msprtRatio,
  ratioEstimate,
  sampleRatioMismatch,
  sampleSize,
} from './stats';

export type Decision = 'ship' | 'roll_back' | 'continue' | 'inconclusive';

export interface MetricResult {
  metric: string;
  kind: MetricDefinition['kind'];
  direction: MetricDefinition['direction'];
  comparison: Comparison;
  /** The sequential p-value after the family's adjustment (Holm for guardrails, BH for secondaries). */
  adjustedP: number;
  significant: boolean;
  /** Whether the treatment is better, worse, or not distinguishable from control. */
  verdict: 'better' | 'worse' | 'flat';
}

export interface GuardrailResult extends MetricResult {
  allowedDegradation: number;
  /** How much worse than control the treatment is (metric units; negative is better). */
  degradation: number;
  /** Always-valid p-value of "degraded by more than the allowance", before Holm. */
  breachP: number;
  breached: boolean;
}

export interface CriterionResult {
  metric: string;
  criterion: string;
  met: boolean;
  /** The interval it was judged on (difference or relative lift, always-valid). */
  interval: readonly [number, number];
}

export interface ArmReport {
  arm: string;
  decision: Decision;
  reason: string;
  primary: MetricResult;
  secondary: MetricResult[];
  guardrails: GuardrailResult[];
  criteria: CriterionResult[];
}

export interface ExperimentReport {
  experiment: string;
  bucketVersion: number;
  control: string;
  decision: Decision;
  reason: string;
  srm: SrmResult;
  sampleSize: SampleSize;
  /** Units counted in the primary metric so far, over all arms. */
  units: number;
  elapsedDays: number;
  plannedDurationDays: number;
  arms: ArmReport[];
}

function statsOf(counts: ExperimentCounts, metric: string, arm: string): SufficientStats {
  return counts.metrics[metric]?.[arm] ?? EMPTY_STATS;
}

const NO_UNITS = { units: 0, x: 0, n: 0, xx: 0, nn: 0, xn: 0 };

/**
 * An arm's estimate of a metric: per unit (the ratio over units) where observations carried their
 * unit, else each observation as its own unit.
 */
function estimateOf(counts: ExperimentCounts, metric: string, arm: string): MeanEstimate {
  const perUnit = counts.perUnit?.[metric];
  return perUnit ? ratioEstimate(perUnit[arm] ?? NO_UNITS) : meanEstimate(statsOf(counts, metric, arm));
}

function verdictOf(direction: MetricDefinition['direction'], comparison: Comparison, significant: boolean): MetricResult['verdict'] {
  if (!significant) return 'flat';
  const up = comparison.relativeLift.value > 0 || (comparison.relativeLift.se === 0 && comparison.difference.value > 0);
  return up === (direction === 'increase') ? 'better' : 'worse';
}

/** `> control + d` holds when the whole always-valid interval is past the threshold. */
function criterionMet(criterion: SuccessCriterion, comparison: Comparison): { met: boolean; interval: readonly [number, number] } {
  const est = criterion.scale === 'absolute' ? comparison.difference : comparison.relativeLift;
  const [low, high] = est.sequential;
  const usable = est.se > 0;
  const met =
    usable &&
    (criterion.op === '>'
      ? low > criterion.value
      : criterion.op === '>='
        ? low >= criterion.value
        : criterion.op === '<'
          ? high < criterion.value
          : high <= criterion.value);
  return { met, interval: est.sequential };
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : x > 0 ? '+∞' : '−∞');
const num = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3));

export interface AnalyseOptions {
  /** Days since the experiment started. */
  elapsedDays: number;
}

/** Analyse every treatment arm against control and decide. */
export function analyse(experiment: Experiment, counts: ExperimentCounts, options: AnalyseOptions): ExperimentReport {
  const control = controlArm(experiment).key;
  const primaryDef = experiment.metrics.primary;
  const alpha = experiment.alpha;
  const plannedLift = primaryDef.minimumDetectableLift;
  const compareOptions = { alpha, plannedLift };

  const srm = sampleRatioMismatch(
    experiment.arms.map((a) => counts.exposures[a.key] ?? 0),
    experiment.arms.map((a) => a.weight),
  );
  const treatments = experiment.arms.slice(1);
  const plan = sampleSize({
    baseline: primaryDef.baseline,
    lift: plannedLift,
    alpha,
    power: experiment.power,
    weights: [experiment.arms[0]!.weight, treatments.reduce((s, a) => s + a.weight, 0) / Math.max(1, treatments.length)],
  });
  const units = experiment.arms.reduce((s, a) => s + estimateOf(counts, primaryDef.name, a.key).n, 0);

  const arms = treatments.map((arm): ArmReport => {
    const result = (def: MetricDefinition, adjustedP: number, comparison: Comparison): MetricResult => {
      const significant = adjustedP < alpha;
      return {
        metric: def.name,
        kind: def.kind,
        direction: def.direction,
        comparison,
        adjustedP,
        significant,
        verdict: verdictOf(def.direction, comparison, significant),
      };
    };
    const comparisonOf = (metric: string) =>
      compareEstimates(estimateOf(counts, metric, control), estimateOf(counts, metric, arm.key), compareOptions);

    const primaryComparison = comparisonOf(primaryDef.name);
    const primary = result(primaryDef, primaryComparison.relativeLift.sequentialP, primaryComparison);

    const secondaryComparisons = experiment.metrics.secondary.map((def) => comparisonOf(def.name));
    const bh = benjaminiHochberg(
      secondaryComparisons.map((c) => c.relativeLift.sequentialP),
      alpha,
    );
    const secondary = experiment.metrics.secondary.map((def, i) => result(def, bh.adjusted[i]!, secondaryComparisons[i]!));

    const guardrailInputs = experiment.metrics.guardrails.map((def: GuardrailDefinition) => {
      const comparison = comparisonOf(def.name);
      const d = comparison.difference;
      const degradation = def.direction === 'decrease' ? d.value : -d.value;
      const excess = degradation - def.allowedDegradation;
      // One-sided: only a degradation beyond the allowance counts as evidence; Λ of the shifted estimate.
      const tau = plannedLift * Math.max(Math.abs(comparison.control.mean), def.allowedDegradation, 1e-9);
      const breachP = d.se > 0 && excess > 0 ? Math.min(1, 1 / msprtRatio(excess, d.se * d.se, tau * tau)) : 1;
      return { def, comparison, degradation, breachP };
    });
    const holmed = holm(
      guardrailInputs.map((g) => g.breachP),
      alpha,
    );
    const guardrails = guardrailInputs.map((g, i): GuardrailResult => {
      const base = result(g.def, holmed.adjusted[i]!, g.comparison);
      return {
        ...base,
        allowedDegradation: g.def.allowedDegradation,
        degradation: g.degradation,
        breachP: g.breachP,
        breached: holmed.rejected[i]!,
      };
    });

    const byName = new Map<string, Comparison>([
      [primaryDef.name, primaryComparison],
      ...experiment.metrics.secondary.map((def, i) => [def.name, secondaryComparisons[i]!] as const),
      ...guardrailInputs.map((g) => [g.def.name, g.comparison] as const),
    ]);
    const criteria = Object.entries(experiment.successCriteria).map(([metric, text]): CriterionResult => {
      const criterion = parseCriterion(text)!;
      const { met, interval } = criterionMet(criterion, byName.get(metric)!);
      return { metric, criterion: criterion.text, met, interval };
    });

    const { decision, reason } = decide({ srm, primary, guardrails, criteria, units, plan, elapsedDays: options.elapsedDays, experiment });
    return { arm: arm.key, decision, reason, primary, secondary, guardrails, criteria };
  });

  const overall = overallDecision(arms);
  return {
    experiment: experiment.key,
    bucketVersion: experiment.bucketVersion,
    control,
    decision: overall.decision,
    reason: overall.reason,
    srm,
    sampleSize: plan,
    units,
    elapsedDays: options.elapsedDays,
    plannedDurationDays: experiment.plannedDurationDays,
    arms,
  };
}

interface DecideInput {
  srm: SrmResult;
  primary: MetricResult;
  guardrails: GuardrailResult[];
  criteria: CriterionResult[];
  units: number;
  plan: SampleSize;
  elapsedDays: number;
  experiment: Experiment;
}

function decide(input: DecideInput): { decision: Decision; reason: string } {
  const { srm, primary, guardrails, criteria, units, plan, elapsedDays, experiment } = input;
  if (srm.mismatch) {
    return {
      decision: 'inconclusive',
      reason: `sample ratio mismatch (chi-square p = ${srm.p.toExponential(2)} < 0.001): units per arm ${srm.observed.join('/')} against expected ${srm.expected.map((e) => e.toFixed(0)).join('/')}; fix assignment or logging before reading any metric`,
    };
  }
  const breached = guardrails.filter((g) => g.breached);
  if (breached.length > 0) {
    const g = breached[0]!;
    return {
      decision: 'roll_back',
      reason: `guardrail ${g.metric} degraded by ${num(g.degradation)}, beyond the allowed ${num(g.allowedDegradation)} (Holm-adjusted p = ${g.adjustedP.toPrecision(2)}); see runbooks/ab-guardrail.md`,
    };
  }
  const lift = primary.comparison.relativeLift;
  const ci = `${pct(lift.sequential[0])} to ${pct(lift.sequential[1])}`;
  if (primary.verdict === 'worse') {
    return {
      decision: 'roll_back',
      reason: `primary ${primary.metric} is worse: lift ${pct(lift.value)} (always-valid interval ${ci}, p = ${primary.adjustedP.toPrecision(2)})`,
    };
  }
  const unmet = criteria.filter((c) => !c.met);
  const more = units < plan.sequentialTotal || elapsedDays < experiment.plannedDurationDays;
  if (primary.verdict === 'better' && unmet.length === 0) {
    return {
      decision: 'ship',
      reason: `primary ${primary.metric} improved: lift ${pct(lift.value)} (always-valid interval ${ci}), every success criterion met, no guardrail breached`,
    };
  }
  if (more) {
    const why =
      primary.verdict === 'better'
        ? `primary ${primary.metric} improved (${pct(lift.value)}) but ${unmet.map((c) => `${c.metric} ${c.criterion}`).join(', ')} not yet shown`
        : lift.se > 0
          ? `no significant difference yet in ${primary.metric} (lift ${pct(lift.value)}, interval ${ci})`
          : `too few units yet to compare ${primary.metric}`;
    return {
      decision: 'continue',
      reason: `${why}; ${units} of ${plan.sequentialTotal} planned units, day ${Math.floor(elapsedDays)} of ${experiment.plannedDurationDays}`,
    };
  }
  if (primary.verdict === 'better') {
    return {
      decision: 'inconclusive',
      reason: `primary ${primary.metric} improved but ${unmet.map((c) => `${c.metric} ${c.criterion}`).join(', ')} was not shown by the planned end`,
    };
  }
  return {
    decision: 'inconclusive',
    reason: `reached the planned ${plan.sequentialTotal} units and ${experiment.plannedDurationDays} days with no detectable effect on ${primary.metric} (lift interval ${ci}); keep control`,
  };
}

function overallDecision(arms: ArmReport[]): { decision: Decision; reason: string } {
  const label = (a: ArmReport) => (arms.length > 1 ? `${a.arm}: ${a.reason}` : a.reason);
  const ship = arms
    .filter((a) => a.decision === 'ship')
    .sort((a, b) => b.primary.comparison.relativeLift.value - a.primary.comparison.relativeLift.value);
  if (ship.length > 0) return { decision: 'ship', reason: label(ship[0]!) };
  for (const decision of ['inconclusive', 'roll_back', 'continue'] as const) {
    // A mismatch voids all arms; a roll-back of one arm stops that arm even while others continue.
    const hit = arms.find((a) => a.decision === decision && (decision !== 'inconclusive' || a.reason.startsWith('sample ratio')));
    if (hit) return { decision, reason: label(hit) };
  }
  return { decision: arms[0]!.decision, reason: label(arms[0]!) };
}
