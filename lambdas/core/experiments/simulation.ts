/**
 * Seeded simulations of the statistics (`npm run ab -- aa`): A/A runs peeked at many times (the
 * false-positive rate must stay at α), a planted lift (detected at the planned power), and a planted
 * split that does not match the weights (SRM must fire). Units are drawn one by one: each gets an
 * arm by the weights and a 0/1 outcome, exactly as the counters would see them.
 */
import { compare, sampleRatioMismatch, sampleSize } from './stats';
import type { SufficientStats } from './stats';

/** A small, fast, seeded generator (mulberry32): the same seed gives the same runs everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SimulationDesign {
  /** Control's rate. */
  baseline: number;
  /** Relative lift the test is planned for (the mixture scale). */
  plannedLift: number;
  alpha: number;
  power: number;
  /** Treatment share of units (the rest are control). */
  treatmentShare: number;
}

export interface PeekingOptions {
  runs: number;
  peeks: number;
  /** Units in a run, spread evenly over the peeks. */
  units: number;
  /** The true relative lift (0 for A/A). */
  trueLift: number;
  seed: number;
}

/** Share of runs in which the sequential test rejected at any of the peeks. */
export function rejectionRate(design: SimulationDesign, options: PeekingOptions): number {
  const random = seededRandom(options.seed);
  const pT = design.baseline * (1 + options.trueLift);
  const perPeek = Math.ceil(options.units / options.peeks);
  let rejected = 0;
  for (let run = 0; run < options.runs; run += 1) {
    const control: SufficientStats = { n: 0, sum: 0, sumSq: 0 };
    const treatment: SufficientStats = { n: 0, sum: 0, sumSq: 0 };
    for (let peek = 0; peek < options.peeks; peek += 1) {
      for (let u = 0; u < perPeek; u += 1) {
        const arm = random() < design.treatmentShare ? treatment : control;
        const y = random() < (arm === treatment ? pT : design.baseline) ? 1 : 0;
        arm.n += 1;
        arm.sum += y;
        arm.sumSq += y;
      }
      const result = compare(control, treatment, { alpha: design.alpha, plannedLift: design.plannedLift });
      if (result.relativeLift.sequentialP < design.alpha) {
        rejected += 1;
        break;
      }
    }
  }
  return rejected / options.runs;
}

export interface AaSummary {
  aa: { runs: number; peeks: number; falsePositiveRate: number };
  power: { plannedLift: number; plannedPower: number; detectedRate: number };
  srm: { detected: boolean; p: number };
}

/** The three checks of `npm run ab -- aa`, sized from the experiment's own plan. */
export function simulateStatistics(
  design: SimulationDesign,
  options: { runs: number; peeks: number; seed: number },
): AaSummary & { units: number } {
  const plan = sampleSize({
    baseline: design.baseline,
    lift: design.plannedLift,
    alpha: design.alpha,
    power: design.power,
    weights: [1 - design.treatmentShare, design.treatmentShare],
  });
  const units = plan.sequentialTotal;
  const falsePositiveRate = rejectionRate(design, { runs: options.runs, peeks: options.peeks, units, trueLift: 0, seed: options.seed });
  const detectedRate = rejectionRate(design, {
    runs: options.runs,
    peeks: options.peeks,
    units,
    trueLift: design.plannedLift,
    seed: options.seed + 1,
  });
  // A 50/50 design whose logged units came out 45/55 (a broken assignment or a lossy logger).
  const random = seededRandom(options.seed + 2);
  const observed = [0, 0];
  for (let u = 0; u < units; u += 1) observed[random() < 0.55 ? 1 : 0]! += 1;
  const srm = sampleRatioMismatch(observed, [0.5, 0.5]);
  return {
    aa: { runs: options.runs, peeks: options.peeks, falsePositiveRate },
    power: { plannedLift: design.plannedLift, plannedPower: design.power, detectedRate },
    srm: { detected: srm.mismatch, p: srm.p },
    units,
  };
}
