/** What the monitoring watches of the A/B tests: the running ones of config/ab_tests.yaml. */
import type { ExperimentFile } from '../lambdas/core/experiments/definitions';
import type { ExperimentMonitoring } from './constructs/operations-monitoring';

export function experimentMonitoringOf(file: ExperimentFile): ExperimentMonitoring[] {
  return file.experiments
    .filter((e) => e.status === 'running')
    .map((e) => ({
      key: e.key,
      arms: e.arms.map((a) => a.key),
      primary: e.metrics.primary.name,
      guardrails: e.metrics.guardrails.map((g) => ({ metric: g.name, direction: g.direction, allowedDegradation: g.allowedDegradation })),
    }));
}
