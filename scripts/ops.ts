/**
 * `npm run ops -- <command> [--stage S | --local] [--json]`: the operator's view of the batch and the
 * service, in a deployed stage (Step Functions, CloudWatch, CodeDeploy) or on the embedded runtime
 * (`--local`, the default without `--stage`). The runbooks in runbooks/ use it.
 *
 *   runs [--since 24h --until now]          run [ID]                 start [--as-of D] [--tickers A,B]
 *   redrive ID                              metrics NAME [--since --until --period 3600 --stat Average]
 *   alarms                                  canary                   export --out DIR | import --in DIR
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Command } from 'commander';
import type { z } from 'zod';
import { InputValidationError } from '../lambdas/core/errors';
import { cli, fail, parseOptions, printJson } from './lib/cli';
import { describeAlarms } from './lib/ops/alarms';
import { describeCanary } from './lib/ops/canary';
import { OpsError } from './lib/ops/errors';
import { describeSeries } from './lib/ops/metrics';
import * as ops from './lib/ops/operator';
import type { OperatorDeps } from './lib/ops/operator';
import { describeRunDetail } from './lib/ops/run-report';
import type { RunAction, RunRow } from './lib/ops/run-report';
import { loadStage } from './lib/ops/stage';

const deps: OperatorDeps = {
  loadStage,
  sfn: (region) => new SFNClient({ region }),
  cloudWatch: (region) => new CloudWatchClient({ region }),
  codeDeploy: (region) => new CodeDeployClient({ region }),
  lambda: (region) => new LambdaClient({ region }),
  log: (line) => process.stderr.write(`${line}\n`),
  now: () => new Date(),
};

/** The local store's own client: dynalite on loopback, no credentials needed. */
const localDynamo = (endpoint: string) =>
  new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

const program = cli(
  'ops',
  'The operator CLI: batch runs, metrics, alarms, the canary and the local store, in a stage (--stage S) or locally (--local, the default). Every command takes --json.',
);

/** A subcommand with the target options every command shares, run through zod and the house error contract. */
function command<S extends z.ZodType, R>(
  name: string,
  description: string,
  schema: S,
  configure: (sub: Command) => Command,
  run: (options: z.infer<S>) => Promise<R>,
  summarize: (result: R) => string,
): void {
  const sub = configure(
    program
      .command(name)
      .description(description)
      .option('--stage <stage>', 'a deployed stage from cdk.json (dev, prod)')
      .option('--local', 'the embedded runtime and the data dir (the default without --stage)')
      .option('--json', 'print the result as one JSON object on the last line of stdout'),
  );
  sub.action(async () => {
    const args = Object.fromEntries(sub.registeredArguments.map((argument, i) => [argument.name(), sub.args[i]]));
    const options = parseOptions(schema, { ...sub.opts(), ...args });
    let result: R;
    try {
      result = await run(options);
    } catch (error) {
      if (error instanceof OpsError) fail(error.message, 1);
      if (error instanceof InputValidationError) fail(error.message, 2);
      const errorName = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      if (errorName === 'CredentialsProviderError' || /credential/i.test(message))
        fail(`no AWS credentials for this stage's account: ${message}`, 1);
      fail(`${errorName}: ${message}`, 1);
    }
    process.stderr.write(`${summarize(result)}\n`);
    if ((sub.opts() as { json?: unknown }).json === true) printJson(result);
  });
}

const describeRows = (runs: readonly RunRow[]) =>
  runs.length === 0
    ? 'no runs in that window (widen it with --since 7d)'
    : runs
        .map(
          (r) =>
            `${r.runId}  ${r.status}  started ${r.startedAt}${r.finishedAt ? `  finished ${r.finishedAt}` : ''}${r.stocks !== undefined ? `  ${r.stocks} stocks` : ''}${r.failed !== undefined ? `, ${r.failed} failed` : ''}`,
        )
        .join('\n');

const describeAction = (action: RunAction) =>
  [
    `${action.action} ${action.runId}${action.tickers ? ` (${action.tickers.length} stocks: ${action.tickers.slice(0, 10).join(', ')}${action.tickers.length > 10 ? ', …' : ''})` : ''}`,
    ...(action.run ? [describeRunDetail(action.run)] : []),
  ].join('\n');

const windowOptions = (sub: Command) =>
  sub
    .option('--since <when>', 'start of the window: 24h (default), 30m, 7d, a date or an ISO date-time')
    .option('--until <when>', 'end of the window: now (default), a duration ago, a date or an ISO date-time');

command(
  'runs',
  'list batch runs started in a window, newest first',
  ops.RunsOptionsSchema,
  windowOptions,
  (o) => ops.runsCommand(o, deps),
  (r) => describeRows(r.runs),
);

command(
  'run',
  'one run: status, counts, duration, cost and its failed stocks with their errors',
  ops.RunOptionsSchema,
  (sub) => sub.argument('<id>', 'run id (in AWS the execution name, or its ARN)'),
  (o) => ops.runCommand(o, deps),
  describeRunDetail,
);

command(
  'start',
  'start a batch run (locally it runs to the end here, with a progress bar)',
  ops.StartOptionsSchema,
  (sub) =>
    sub
      .option('--as-of <date>', 'as-of date, YYYY-MM-DD (default: today in New York)')
      .option('--tickers <list>', 'comma-separated tickers (default: the whole universe)')
      .option('--limit <n>', 'locally, only the first N stocks of the universe')
      .option('--concurrency <c>', 'locally, Map MaxConcurrency (default 100; in AWS the stage sets it)'),
  (o) => ops.startCommand(o, deps),
  describeAction,
);

command(
  'redrive',
  'run the failed stocks of a run again, keeping the ones that succeeded',
  ops.RunOptionsSchema,
  (sub) => sub.argument('<id>', 'run id (in AWS the execution name, or its ARN)'),
  (o) => ops.redriveCommand(o, deps),
  describeAction,
);

command(
  'metrics',
  'a metric of the FAAdvisorAI namespace per period (CloudWatch in a stage, the data dir EMF file locally)',
  ops.MetricsOptionsSchema,
  (sub) =>
    windowOptions(sub.argument('<name>', 'metric name, e.g. FactCheckPassRate, BatchFailures, QueryLatencyMs, ModelThrottled'))
      .option('--period <seconds>', 'period in seconds, a multiple of 60 (default 3600)')
      .option('--stat <stat>', 'Average (default), Sum, Minimum, Maximum, SampleCount or pNN')
      .option('--service <name>', 'the service dimension (default: the workload that publishes the metric)'),
  (o) => ops.metricsCommand(o, deps),
  describeSeries,
);

command(
  'alarms',
  'the alarms in ALARM, each with its runbook',
  ops.AlarmsOptionsSchema,
  (sub) => sub,
  (o) => ops.alarmsCommand(o, deps),
  describeAlarms,
);

command(
  'canary',
  'CodeDeploy deployment status and the live alias traffic split of each function',
  ops.CanaryOptionsSchema,
  (sub) => sub,
  (o) => ops.canaryCommand(o, deps),
  (r) => ('note' in r ? r.note : describeCanary(r)),
);

command(
  'export',
  'write every table of the local store to DIR (one JSON Lines file per table and a manifest)',
  ops.ExportOptionsSchema,
  (sub) => sub.requiredOption('--out <dir>', 'folder to write the export to'),
  (o) => ops.exportCommand(o, deps, localDynamo),
  (r) =>
    `exported ${r.items} items to ${r.dir}: ${Object.entries(r.tables)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}`,
);

command(
  'import',
  'put an export back into the local store (overwrites items with the same keys, deletes nothing; safe to repeat)',
  ops.ImportOptionsSchema,
  (sub) => sub.requiredOption('--in <dir>', 'folder written by npm run ops -- export'),
  (o) => ops.importCommand(o, deps, localDynamo),
  (r) =>
    `imported ${r.items} items from ${r.dir}: ${Object.entries(r.tables)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}`,
);

program.parseAsync().catch((error: unknown) => fail(error instanceof Error ? `${error.name}: ${error.message}` : String(error), 1));
