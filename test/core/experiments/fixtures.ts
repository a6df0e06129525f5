/** A valid experiment definition for tests, with overrides. */
import { ExperimentSchema } from '../../../lambdas/core/experiments/definitions';
import type { Experiment } from '../../../lambdas/core/experiments/definitions';

export function experiment(overrides: Partial<Record<string, unknown>> = {}): Experiment {
  return ExperimentSchema.parse({
    key: 'medium_writer',
    description: 'test',
    status: 'running',
    units: { batch: 'ticker', query: 'fa_id' },
    arms: [
      { key: 'v1', weight: 0.9, params: { promptVersion: 'v1' } },
      { key: 'v2', weight: 0.1, params: { promptVersion: 'v2' } },
    ],
    plannedDurationDays: 28,
    metrics: {
      primary: { name: 'fact_check_pass_rate', kind: 'proportion', direction: 'increase', baseline: 0.8, minimumDetectableLift: 0.1 },
    },
    ...overrides,
  });
}
