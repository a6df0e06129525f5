/**
 * The commands of `npm run ops`, each in AWS (the stage's Step Functions, CloudWatch, CodeDeploy and
 * Lambda, through clients injected so tests use aws-sdk-client-mock) or on the embedded runtime
 * (`--local`, or no `--stage`). Progress goes to `log`; what a command returns is its `--json` line.
 */
import { resolve, join } from 'node:path';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { IsoDateSchema, TickerSchema } from '../../../lambdas/core/contracts/batch-events';
import type { Stage } from '../../../lib/config';
import { StageNameSchema } from '../../../lib/config';
import { awsAlarms, localAlarms } from './alarms';
import type { AlarmReport } from './alarms';
import { describeAwsRun, listAwsRuns, redriveAwsRun, startAwsRun } from './aws-runs';
import { canaryStatus } from './canary';
import type { CanaryReport } from './canary';
import { OpsError } from './errors';
import { describeLocalRun, listLocalAudits, listLocalRuns, redriveLocalRun, startLocalRun, withLocalStore } from './local-runs';
import { awsMetric, localMetric, StatisticSchema } from './metrics';
import type { MetricSeries } from './metrics';
import { parseInstant } from './run-report';
import type { RunAction, RunDetail, RunRow } from './run-report';
import { exportStore, importStore } from './store-backup';
import type { ExportResult, ImportResult } from './store-backup';

export interface OperatorDeps {
  readonly loadStage: (name: string) => Stage;
  readonly sfn: (region: string) => SFNClient;
  readonly cloudWatch: (region: string) => CloudWatchClient;
  readonly codeDeploy: (region: string) => CodeDeployClient;
  readonly lambda: (region: string) => LambdaClient;
  readonly log: (line: string) => void;
  readonly now: () => Date;
}

/** Where a command acts: a deployed stage, or the embedded runtime. */
const TargetShape = {
  stage: StageNameSchema.optional(),
  local: z.boolean().default(false),
  json: z.boolean().default(false),
};

function refineTarget(options: { stage?: string | undefined; local: boolean }, ctx: z.RefinementCtx): void {
  if (options.stage && options.local) ctx.addIssue({ code: 'custom', path: ['local'], message: 'cannot be used with --stage (pick one)' });
}

const WindowShape = { since: z.string().default('24h'), until: z.string().default('now') };

export const RunsOptionsSchema = z
  .object({ ...TargetShape, ...WindowShape })
  .strict()
  .superRefine(refineTarget);
export const RunOptionsSchema = z
  .object({ ...TargetShape, id: z.string().regex(/^[\w.:/-]{1,2048}$/, 'must be a run id (or an execution ARN in AWS)') })
  .strict()
  .superRefine(refineTarget);
export const StartOptionsSchema = z
  .object({
    ...TargetShape,
    asOf: IsoDateSchema.optional(),
    tickers: z
      .string()
      .transform((list) => list.split(',').filter(Boolean))
      .pipe(z.array(TickerSchema).min(1, 'needs at least one ticker'))
      .optional(),
    limit: z.coerce.number().int().positive().optional(),
    concurrency: z.coerce.number().int().min(1).max(100).default(100),
  })
  .strict()
  .superRefine(refineTarget);
export const MetricsOptionsSchema = z
  .object({
    ...TargetShape,
    ...WindowShape,
    name: z.string().regex(/^[A-Za-z][\w.-]{0,254}$/, 'must be a metric name such as FactCheckPassRate'),
    period: z.coerce.number().int().min(60, 'must be at least 60 seconds').multipleOf(60, 'must be a multiple of 60 seconds').default(3600),
    stat: StatisticSchema.default('Average'),
    service: z
      .string()
      .regex(/^[\w-]{1,64}$/)
      .optional(),
  })
  .strict()
  .superRefine(refineTarget);
export const AlarmsOptionsSchema = z.object(TargetShape).strict().superRefine(refineTarget);
export const CanaryOptionsSchema = z.object(TargetShape).strict().superRefine(refineTarget);
export const ExportOptionsSchema = z
  .object({ ...TargetShape, out: z.string().min(1) })
  .strict()
  .superRefine(refineTarget);
export const ImportOptionsSchema = z
  .object({ ...TargetShape, in: z.string().min(1) })
  .strict()
  .superRefine(refineTarget);

type Target = { stage?: string | undefined; local: boolean };

function awsStage(options: Target, deps: OperatorDeps): Stage | undefined {
  return options.stage && !options.local ? deps.loadStage(options.stage) : undefined;
}

/** The stage dimension the local runtime publishes with (local/runtime.ts). */
const localStageName = () => process.env.FA_STAGE || 'local';
const localDataDir = () => resolve(process.env.FA_DATA_DIR || '.fa-data');

function window(options: { since: string; until: string }, now: Date): { since: Date; until: Date } {
  const since = parseInstant('since', options.since, now);
  const until = parseInstant('until', options.until, now);
  if (since >= until) throw new OpsError(`--since (${since.toISOString()}) must be before --until (${until.toISOString()})`);
  return { since, until };
}

export async function runsCommand(options: z.infer<typeof RunsOptionsSchema>, deps: OperatorDeps): Promise<{ runs: RunRow[] }> {
  const range = window(options, deps.now());
  const stage = awsStage(options, deps);
  if (stage) return { runs: await listAwsRuns(deps.sfn(stage.config.region), stage, range) };
  return { runs: await withLocalStore((store) => listLocalRuns(store, range)) };
}

export async function runCommand(options: z.infer<typeof RunOptionsSchema>, deps: OperatorDeps): Promise<RunDetail> {
  const stage = awsStage(options, deps);
  if (stage) return describeAwsRun(deps.sfn(stage.config.region), stage, options.id);
  return withLocalStore((store) => describeLocalRun(store, options.id));
}

export async function startCommand(options: z.infer<typeof StartOptionsSchema>, deps: OperatorDeps): Promise<RunAction> {
  const stage = awsStage(options, deps);
  if (stage) {
    if (options.limit !== undefined) throw new OpsError('--limit is for local runs; in AWS pass --tickers');
    const action = await startAwsRun(deps.sfn(stage.config.region), stage, { ...options }, deps.now());
    deps.log(`started ${action.runId}; follow it with npm run ops -- run ${action.runId} --stage ${stage.name}`);
    return action;
  }
  return startLocalRun(options);
}

export async function redriveCommand(options: z.infer<typeof RunOptionsSchema>, deps: OperatorDeps): Promise<RunAction> {
  const stage = awsStage(options, deps);
  if (stage) {
    const action = await redriveAwsRun(deps.sfn(stage.config.region), stage, options.id, deps.now());
    deps.log(
      action.action === 'redriven'
        ? `redrove execution ${action.executionArn}: Step Functions re-runs only its failed children`
        : `started ${action.tickers?.length ?? 0} failed stocks of ${action.runId} again in ${action.executionArn}`,
    );
    return action;
  }
  return redriveLocalRun(options.id);
}

export async function metricsCommand(options: z.infer<typeof MetricsOptionsSchema>, deps: OperatorDeps): Promise<MetricSeries> {
  const range = window(options, deps.now());
  const query = {
    name: options.name,
    ...range,
    period: options.period,
    stat: options.stat,
    ...(options.service ? { service: options.service } : {}),
  };
  const stage = awsStage(options, deps);
  if (stage) return awsMetric(deps.cloudWatch(stage.config.region), stage.name, query);
  return localMetric(join(localDataDir(), 'metrics.emf.jsonl'), localStageName(), query);
}

export async function alarmsCommand(options: z.infer<typeof AlarmsOptionsSchema>, deps: OperatorDeps): Promise<AlarmReport> {
  const stage = awsStage(options, deps);
  if (stage) return awsAlarms(deps.cloudWatch(stage.config.region), stage.name);
  return localAlarms(await withLocalStore((store) => listLocalAudits(store)));
}

export async function canaryCommand(
  options: z.infer<typeof CanaryOptionsSchema>,
  deps: OperatorDeps,
): Promise<CanaryReport | { stage: 'local'; functions: []; note: string }> {
  const stage = awsStage(options, deps);
  if (stage) return canaryStatus(stage, deps.codeDeploy(stage.config.region), deps.lambda(stage.config.region));
  return {
    stage: 'local',
    functions: [],
    note: 'the embedded runtime runs one version of each function: canaries and traffic splits exist only in a deployed stage (--stage S)',
  };
}

function localOnly(options: Target, what: string): void {
  if (options.stage && !options.local) {
    throw new OpsError(
      `${what} is for the local store; in AWS use point-in-time recovery (docs/OPERATIONS.md, "Backups and a restore drill")`,
    );
  }
}

export async function exportCommand(
  options: z.infer<typeof ExportOptionsSchema>,
  deps: OperatorDeps,
  dynamo: (endpoint: string) => DynamoDBClient,
): Promise<ExportResult> {
  localOnly(options, 'export');
  return withLocalStore(async (store) => {
    const client = dynamo(store.endpoint);
    try {
      return await exportStore(client, process.env.FA_TABLE_PREFIX ?? '', resolve(options.out), deps.now());
    } finally {
      client.destroy();
    }
  });
}

export async function importCommand(
  options: z.infer<typeof ImportOptionsSchema>,
  _deps: OperatorDeps,
  dynamo: (endpoint: string) => DynamoDBClient,
): Promise<ImportResult> {
  localOnly(options, 'import');
  return withLocalStore(async (store) => {
    const client = dynamo(store.endpoint);
    try {
      return await importStore(client, process.env.FA_TABLE_PREFIX ?? '', resolve(options.in));
    } finally {
      client.destroy();
    }
  });
}
