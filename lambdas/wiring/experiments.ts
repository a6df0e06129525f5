/**
 * The A/B tests of this process: definitions from config/ab_tests.yaml (FA_AB_TESTS_CONFIG), sticky
 * exposures and counters in the experiments table, EMF through the telemetry sink. FA_EXPERIMENTS=off
 * leaves every unit on the `control` label (the naive cost baseline and some benchmarks want that).
 * Its settings are parsed here, once, so the shared runtime config stays as it is.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { TableNames } from '../core/contracts/tables';
import type { ExperimentPort } from '../core/ports';
import type { ExperimentFile } from '../core/experiments/definitions';
import { ExperimentAssigner } from '../core/experiments/assignment';
import { describeIssue } from '../core/validation';
import { ConfigError, describeError } from '../core/errors';
import { DEFAULT_EXPERIMENTS_PATH, loadExperiments } from '../adapters/experiments-file';
import { DynamoExperimentRepository } from '../adapters/store/experiment-repository';
import { ExperimentTracker } from '../adapters/experiments/experiment-tracker';
import { emfSink, logger, METRICS_NAMESPACE, serviceName } from './telemetry';

const ExperimentEnvSchema = z.object({
  FA_AB_TESTS_CONFIG: z.string().min(1).default(DEFAULT_EXPERIMENTS_PATH),
  FA_EXPERIMENTS: z.enum(['on', 'off']).default('on'),
  FA_STAGE: z.string().min(1).default('local'),
  /** `experiment=arm[,…]`: every unit gets that arm (the evaluation suite's `--arm`); nothing is counted. */
  FA_EXPERIMENT_FORCE: z
    .string()
    .regex(/^[\w-]+=[\w-]+(?:,[\w-]+=[\w-]+)*$/, 'must be experiment=arm[,experiment=arm…]')
    .optional(),
});

/** The forced arms, each checked against the definitions. */
function forcedArms(setting: string | undefined, file: ExperimentFile): Map<string, string> {
  const forced = new Map(
    (setting ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => pair.split('=') as [string, string]),
  );
  for (const [key, arm] of forced) {
    const experiment = file.experiments.find((e) => e.key === key);
    if (!experiment) throw new ConfigError(`FA_EXPERIMENT_FORCE names ${key}, which is not an experiment in the definitions`);
    if (!experiment.arms.some((a) => a.key === arm))
      throw new ConfigError(
        `FA_EXPERIMENT_FORCE names arm ${arm} of ${key}, which has arms ${experiment.arms.map((a) => a.key).join(', ')}`,
      );
  }
  return forced;
}

/** The process's experiments, or undefined when they are off. Run-time start/stop is read once here. */
export async function createExperiments(
  doc: DynamoDBDocumentClient,
  names: TableNames,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ExperimentPort | undefined> {
  const parsed = ExperimentEnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) throw new ConfigError(`experiment settings are invalid at ${describeIssue(parsed.error)}`);
  const settings = parsed.data;
  if (settings.FA_EXPERIMENTS === 'off') {
    if (settings.FA_EXPERIMENT_FORCE) throw new ConfigError('FA_EXPERIMENT_FORCE needs experiments on (FA_EXPERIMENTS is off)');
    return undefined;
  }
  const file = loadExperiments(settings.FA_AB_TESTS_CONFIG);
  const forced = forcedArms(settings.FA_EXPERIMENT_FORCE, file);
  const repository = new DynamoExperimentRepository(doc, names.experiments);
  // A table that cannot be read leaves each test at the status its definition gives: the process still starts.
  const stateOf = (key: string) =>
    repository.getState(key).catch((error: unknown) => {
      logger.warn('experiment state unavailable; using the status in the definitions', { experiment: key, error: describeError(error) });
      return undefined;
    });
  const states = new Map(await Promise.all(file.experiments.map(async (e) => [e.key, (await stateOf(e.key))?.status] as const)));
  // The tracker counts first exposures, and the assigner it wraps tells of them: tie the knot.
  const exposures: { to?: ExperimentTracker } = {};
  const assigner = new ExperimentAssigner(file, {
    store: repository,
    now: () => new Date(),
    statusOf: (key) => states.get(key),
    onExposure: (record) => exposures.to?.exposed(record),
    forced,
  });
  const tracker = new ExperimentTracker({
    file,
    assigner,
    repository,
    write: emfSink,
    namespace: METRICS_NAMESPACE,
    serviceName,
    stage: settings.FA_STAGE,
    onError: (operation, error) =>
      logger.warn('experiment counters unavailable; the EMF line still carries the observation', {
        operation,
        error: describeError(error),
      }),
  });
  exposures.to = tracker;
  return tracker;
}
