/**
 * The ExperimentPort over DynamoDB and EMF: assignment through the sticky assigner, and every
 * observation both added to the arm's counters (UpdateItem ADD) and written as an EMF line with the
 * experiment and arm as dimensions (two values each at a time: low cardinality), so dashboards and
 * guardrail alarms see the arms apart. Unit ids travel as EMF properties, never as dimensions.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ExperimentPort } from '../../core/ports';
import type { ArmChoice, ExperimentAssigner, ExposureRecord } from '../../core/experiments/assignment';
import type { ExperimentFile, Surface } from '../../core/experiments/definitions';
import { describeError } from '../../core/errors';
import { EXPERIMENT_METRICS, experimentMetricName } from '../../core/contracts/metrics';
import type { DynamoExperimentRepository } from '../store/experiment-repository';

export { EXPERIMENT_METRICS, experimentMetricName };

export interface ExperimentTrackerOptions {
  file: ExperimentFile;
  assigner: ExperimentAssigner;
  repository: DynamoExperimentRepository;
  write: (line: string) => void;
  namespace: string;
  serviceName: string;
  stage: string;
  onError?: (operation: string, error: unknown) => void;
}

export class ExperimentTracker implements ExperimentPort {
  private readonly metrics: Metrics;

  constructor(private readonly options: ExperimentTrackerOptions) {
    this.metrics = new Metrics({
      namespace: options.namespace,
      serviceName: options.serviceName,
      defaultDimensions: { stage: options.stage },
    });
  }

  async assign(surface: Surface, unitId: string): Promise<ArmChoice> {
    try {
      return await this.options.assigner.assign(surface, unitId);
    } catch (error) {
      // The store is down: the hash still decides (deterministic), and the outage is counted.
      this.metrics.addMetric(EXPERIMENT_METRICS.assignErrors, MetricUnit.Count, 1);
      this.metrics.addMetadata('error', describeError(error));
      this.options.write(this.serialise());
      this.options.onError?.('assign', error);
      return this.options.assigner.hashOnly(surface, unitId);
    }
  }

  /** Told by the assigner of each first exposure. */
  exposed(record: ExposureRecord): void {
    const m = this.metrics;
    m.addDimensions({ experiment: record.experiment, arm: record.arm });
    m.addMetric(EXPERIMENT_METRICS.exposures, MetricUnit.Count, 1);
    m.addMetadata('surface', record.surface);
    m.addMetadata('unitId', record.unitId);
    this.options.write(this.serialise());
  }

  async record(choice: ArmChoice, values: Record<string, number>): Promise<void> {
    // A forced arm was not randomised: counting it would bias the comparison.
    if (!choice.experiment || !choice.arm || choice.forced) return;
    const experiment = this.options.file.experiments.find((e) => e.key === choice.experiment);
    if (!experiment) return;
    // Only the metrics this experiment defines are counted, each where it is measured.
    const defined = new Set(
      [experiment.metrics.primary, ...experiment.metrics.secondary, ...experiment.metrics.guardrails].map((m) => m.name),
    );
    const finite = Object.fromEntries(Object.entries(values).filter(([name, v]) => defined.has(name) && Number.isFinite(v)));
    if (Object.keys(finite).length === 0) return;
    const m = this.metrics;
    m.addDimensions({ experiment: choice.experiment, arm: choice.arm });
    m.addMetric(EXPERIMENT_METRICS.observations, MetricUnit.Count, 1);
    for (const [metric, value] of Object.entries(finite)) m.addMetric(experimentMetricName(metric), MetricUnit.NoUnit, value);
    this.options.write(this.serialise());
    try {
      await this.options.repository.addObservations({
        experiment: experiment.key,
        bucketVersion: experiment.bucketVersion,
        arm: choice.arm,
        ...(choice.unitId !== undefined ? { unitId: choice.unitId } : {}),
        values: finite,
      });
    } catch (error) {
      m.addDimensions({ experiment: choice.experiment });
      m.addMetric(EXPERIMENT_METRICS.recordErrors, MetricUnit.Count, 1);
      m.addMetadata('error', describeError(error));
      this.options.write(this.serialise());
      this.options.onError?.('addObservations', error);
    }
  }

  private serialise(): string {
    const line = JSON.stringify(this.metrics.serializeMetrics());
    this.metrics.clearMetrics();
    this.metrics.clearDimensions();
    this.metrics.clearMetadata();
    return line;
  }
}
