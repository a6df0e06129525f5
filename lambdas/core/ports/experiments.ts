/** What the pipeline and the query path need from the A/B tests (docs/EXPERIMENTS.md). */
import type { ArmChoice } from '../experiments/assignment';
import type { Surface } from '../experiments/definitions';

export interface ExperimentPort {
  /** The unit's arm (sticky after its first exposure); `control` with no parameters when in no experiment. */
  assign(surface: Surface, unitId: string): Promise<ArmChoice>;
  /**
   * Add one unit's metric values to its arm's counters. Never throws: an outage loses the
   * observation (and says so in telemetry), never the brief or the answer.
   */
  record(choice: ArmChoice, values: Record<string, number>): Promise<void>;
}
