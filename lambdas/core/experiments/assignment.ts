/**
 * Assignment: which arm a unit (a ticker in the batch, an FA on the query path) gets. The hash
 * decides a unit's first exposure; from then on the stored first exposure decides (sticky), so
 * changing weights never moves a unit already assigned. A new bucket version changes the seed and
 * the key of the stored exposures, which re-randomises everyone on purpose.
 */
import type { ArmParams, Experiment, ExperimentArm, ExperimentFile, Surface } from './definitions';
import { armLabel, controlArm } from './definitions';
import { bucketRanges, chooseArm, hashToUnit, inNamespace } from './hashing';

export type AssignmentReason = 'hashed' | 'sticky' | 'not_running' | 'not_on_surface' | 'namespace' | 'coverage';

export interface AssignmentDecision {
  experiment: string;
  bucketVersion: number;
  /** False when the unit is outside the experiment: it gets the control arm and is not counted. */
  inExperiment: boolean;
  arm: ExperimentArm;
  reason: AssignmentReason;
}

/** The seed actually hashed: the experiment's, with the bucket version appended once it is above 0. */
export function seedOf(experiment: Experiment): string {
  const seed = experiment.seed ?? experiment.key;
  return experiment.bucketVersion > 0 ? `${seed}:bv${experiment.bucketVersion}` : seed;
}

/** The hash alone, with no stored state: pure and deterministic. */
export function hashAssignment(experiment: Experiment, surface: Surface, unitId: string, status = experiment.status): AssignmentDecision {
  const base = { experiment: experiment.key, bucketVersion: experiment.bucketVersion };
  const outside = (reason: AssignmentReason): AssignmentDecision => ({ ...base, inExperiment: false, arm: controlArm(experiment), reason });
  if (status !== 'running') return outside('not_running');
  if (experiment.units[surface] === undefined) return outside('not_on_surface');
  if (experiment.namespace && !inNamespace(unitId, experiment.namespace)) return outside('namespace');
  const n = hashToUnit(seedOf(experiment), unitId, experiment.hashVersion)!;
  const ranges = bucketRanges(
    experiment.arms.length,
    experiment.coverage,
    experiment.arms.map((a) => a.weight),
  );
  const index = chooseArm(n, ranges);
  if (index < 0) return outside('coverage');
  return { ...base, inExperiment: true, arm: experiment.arms[index]!, reason: 'hashed' };
}

/** A unit's first exposure to an experiment, as stored. */
export interface ExposureRecord {
  experiment: string;
  bucketVersion: number;
  surface: Surface;
  unitId: string;
  arm: string;
  /** ISO time of the first exposure. */
  firstExposedAt: string;
}

/** Where first exposures are kept (DynamoDB: a conditional write, so the first writer wins). */
export interface ExposureStore {
  /** The stored first exposure, if any. */
  get(experiment: string, bucketVersion: number, surface: Surface, unitId: string): Promise<ExposureRecord | undefined>;
  /** Store `record` unless one exists; returns the one that is stored (ours or the earlier one). */
  putFirst(record: ExposureRecord): Promise<{ record: ExposureRecord; created: boolean }>;
}

/** What the pipeline and the query path get: the label to record and the arm's parameters. */
export interface ArmChoice {
  /** `<experiment>:<arm>`, or `control` when the unit is in no running experiment. */
  label: string;
  experiment?: string;
  arm?: string;
  /** The unit assigned (observations are aggregated per unit). */
  unitId?: string;
  params: ArmParams;
  /** Set by configuration, not randomised: recorded on what it produces, never counted in the analysis. */
  forced?: true;
}

export const NO_EXPERIMENT: ArmChoice = { label: 'control', params: {} };

export interface AssignerDeps {
  store: ExposureStore;
  now: () => Date;
  /** Run-time status from `npm run ab -- start|stop` (overrides the file's status). */
  statusOf?: (experiment: string) => Experiment['status'] | undefined;
  /** Told of every first exposure (telemetry). */
  onExposure?: (record: ExposureRecord) => void;
  /**
   * Arms forced by configuration (experiment key → arm key), like GrowthBook's forcedVariations:
   * every unit of a surface the experiment runs on gets that arm whatever its status, coverage or
   * hash, and no exposure is stored. The evaluation suite runs through one arm this way.
   */
  forced?: ReadonlyMap<string, string>;
}

/**
 * Assigns units to the running experiments of a surface. A unit is in at most one of them: the
 * first, in file order, whose namespace, coverage and hash take it (namespaces keep them disjoint).
 */
export class ExperimentAssigner {
  private readonly memo = new Map<string, ArmChoice>();

  constructor(
    private readonly file: ExperimentFile,
    private readonly deps: AssignerDeps,
  ) {}

  /** The experiments this surface assigns, in file order. */
  experimentsOn(surface: Surface): Experiment[] {
    return this.file.experiments.filter((e) => e.units[surface] !== undefined && this.statusOf(e) === 'running');
  }

  private statusOf(experiment: Experiment): Experiment['status'] {
    return this.deps.statusOf?.(experiment.key) ?? experiment.status;
  }

  /** The forced arm of the first experiment on this surface that has one, if any. */
  private forcedChoice(surface: Surface, unitId: string): ArmChoice | undefined {
    if (!this.deps.forced?.size) return undefined;
    for (const experiment of this.file.experiments) {
      const arm =
        experiment.units[surface] !== undefined ? experiment.arms.find((a) => a.key === this.deps.forced!.get(experiment.key)) : undefined;
      if (arm)
        return {
          label: armLabel(experiment.key, arm.key),
          experiment: experiment.key,
          arm: arm.key,
          unitId,
          params: arm.params,
          forced: true,
        };
    }
    return undefined;
  }

  async assign(surface: Surface, unitId: string): Promise<ArmChoice> {
    const forced = this.forcedChoice(surface, unitId);
    if (forced) return forced;
    const memoKey = `${surface}\u0000${unitId}`;
    const known = this.memo.get(memoKey);
    if (known) return known;
    let choice = NO_EXPERIMENT;
    for (const experiment of this.experimentsOn(surface)) {
      const decision = await this.decide(experiment, surface, unitId);
      if (decision.inExperiment) {
        choice = {
          label: armLabel(experiment.key, decision.arm.key),
          experiment: experiment.key,
          arm: decision.arm.key,
          unitId,
          params: decision.arm.params,
        };
        break;
      }
    }
    // A process serves the same FA many times: one stored look-up per unit and process.
    if (this.memo.size > 20_000) this.memo.clear();
    this.memo.set(memoKey, choice);
    return choice;
  }

  /**
   * The hash alone, for when the exposure store cannot be reached: the same arm a new unit would
   * get, so an outage moves at most the units whose weights changed since their first exposure.
   */
  hashOnly(surface: Surface, unitId: string): ArmChoice {
    const forced = this.forcedChoice(surface, unitId);
    if (forced) return forced;
    for (const experiment of this.experimentsOn(surface)) {
      const decision = hashAssignment(experiment, surface, unitId, this.statusOf(experiment));
      if (decision.inExperiment) {
        return {
          label: armLabel(experiment.key, decision.arm.key),
          experiment: experiment.key,
          arm: decision.arm.key,
          unitId,
          params: decision.arm.params,
        };
      }
    }
    return NO_EXPERIMENT;
  }

  /** Sticky first exposure: the stored arm wins; otherwise the hash decides and is stored. */
  async decide(experiment: Experiment, surface: Surface, unitId: string): Promise<AssignmentDecision> {
    const hashed = hashAssignment(experiment, surface, unitId, this.statusOf(experiment));
    if (!hashed.inExperiment) return hashed;
    const stored = await this.deps.store.get(experiment.key, experiment.bucketVersion, surface, unitId);
    const storedArm = stored && experiment.arms.find((a) => a.key === stored.arm);
    if (storedArm) return { ...hashed, arm: storedArm, reason: 'sticky' };
    const { record, created } = await this.deps.store.putFirst({
      experiment: experiment.key,
      bucketVersion: experiment.bucketVersion,
      surface,
      unitId,
      arm: hashed.arm.key,
      firstExposedAt: this.deps.now().toISOString(),
    });
    if (created) this.deps.onExposure?.(record);
    const winner = experiment.arms.find((a) => a.key === record.arm) ?? hashed.arm;
    return { ...hashed, arm: winner, reason: created ? 'hashed' : 'sticky' };
  }
}
