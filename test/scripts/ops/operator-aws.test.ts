/** The AWS paths of `npm run ops`, against aws-sdk-client-mock: the calls made and what is reported. */
import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient, GetDeploymentCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  ListStateMachinesCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import {
  alarmsCommand,
  AlarmsOptionsSchema,
  canaryCommand,
  CanaryOptionsSchema,
  exportCommand,
  ExportOptionsSchema,
  metricsCommand,
  MetricsOptionsSchema,
  redriveCommand,
  runCommand,
  RunOptionsSchema,
  runsCommand,
  RunsOptionsSchema,
  startCommand,
  StartOptionsSchema,
} from '../../../scripts/lib/ops/operator';
import type { OperatorDeps } from '../../../scripts/lib/ops/operator';
import { loadStage } from '../../../scripts/lib/ops/stage';
import { OpsError } from '../../../scripts/lib/ops/errors';

const sfn = mockClient(SFNClient);
const cloudWatch = mockClient(CloudWatchClient);
const codeDeploy = mockClient(CodeDeployClient);
const lambda = mockClient(LambdaClient);
const lines: string[] = [];
const NOW = new Date('2026-03-02T14:00:00Z');

const deps: OperatorDeps = {
  loadStage,
  sfn: (region) => new SFNClient({ region }),
  cloudWatch: (region) => new CloudWatchClient({ region }),
  codeDeploy: (region) => new CodeDeployClient({ region }),
  lambda: (region) => new LambdaClient({ region }),
  log: (line) => lines.push(line),
  now: () => NOW,
};

const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:fa-prod-stock-batch';
const execution = (name: string) => `arn:aws:states:us-east-1:123456789012:execution:fa-prod-stock-batch:${name}`;

/** FinalizeBatch's output for a run with one failed stock. */
const finalized = {
  runId: 'run-2026-03-02-a',
  asOf: '2026-03-02',
  stocks: 1000,
  succeeded: 998,
  failed: 2,
  skippedUnchanged: 700,
  verified: 250,
  regenerated: 40,
  factsOnly: 8,
  durationMs: 840_000,
  embeddingCache: { hits: 9000, misses: 1000, hitRate: 0.9, degraded: 0 },
  verification: { passRate: 0.97, claimsChecked: 40_000, findings: 120 },
  cost: { totalUsd: 41.5, perStockUsd: 0.0415, estimated: false },
  failures: [
    { ticker: 'WJRX', error: 'ModelThrottledError: Too many requests' },
    { ticker: 'OJVT', error: 'SourceFormatError: companyfacts had no units' },
  ],
};

beforeEach(() => {
  for (const mock of [sfn, cloudWatch, codeDeploy, lambda]) mock.reset();
  lines.length = 0;
  sfn.on(ListStateMachinesCommand).resolves({
    stateMachines: [
      { name: 'fa-prod-batch-deadline-check', stateMachineArn: `${MACHINE}-other`, type: 'STANDARD', creationDate: NOW },
      { name: 'fa-prod-stock-batch', stateMachineArn: MACHINE, type: 'STANDARD', creationDate: NOW },
    ],
  });
  sfn.on(ListMapRunsCommand).resolves({ mapRuns: [] });
});

describe('npm run ops -- runs --stage prod', () => {
  it("lists the stock-batch state machine's executions in the window, stopping at the first older one", async () => {
    sfn.on(ListExecutionsCommand).resolvesOnce({
      executions: [
        {
          name: 'run-2026-03-02-a',
          executionArn: execution('run-2026-03-02-a'),
          stateMachineArn: MACHINE,
          status: 'SUCCEEDED',
          startDate: new Date('2026-03-02T07:00:00Z'),
          stopDate: new Date('2026-03-02T07:14:00Z'),
        },
        {
          name: 'run-2026-02-20-z',
          executionArn: execution('run-2026-02-20-z'),
          stateMachineArn: MACHINE,
          status: 'FAILED',
          startDate: new Date('2026-02-20T07:00:00Z'),
        },
      ],
      nextToken: 'more',
    });
    const result = await runsCommand(RunsOptionsSchema.parse({ stage: 'prod', since: '7d' }), deps);
    expect(result.runs).toEqual([
      {
        runId: 'run-2026-03-02-a',
        status: 'succeeded',
        startedAt: '2026-03-02T07:00:00.000Z',
        finishedAt: '2026-03-02T07:14:00.000Z',
        executionArn: execution('run-2026-03-02-a'),
      },
    ]);
    expect(sfn.commandCalls(ListExecutionsCommand)).toHaveLength(1);
    expect(sfn.commandCalls(ListExecutionsCommand)[0]!.args[0].input).toMatchObject({ stateMachineArn: MACHINE });
  });

  it('says to deploy when the stage has no stock-batch state machine', async () => {
    sfn.on(ListStateMachinesCommand).resolves({ stateMachines: [] });
    await expect(runsCommand(RunsOptionsSchema.parse({ stage: 'prod' }), deps)).rejects.toThrow(
      /no state machine fa-prod-stock-batch .*npm run deploy/,
    );
  });
});

describe('npm run ops -- run ID --stage prod', () => {
  it('reports status, counts, duration, cost, the map item counts and the failed stocks with their errors', async () => {
    sfn.on(DescribeExecutionCommand, { executionArn: execution('run-2026-03-02-a') }).resolves({
      name: 'run-2026-03-02-a',
      status: 'SUCCEEDED',
      startDate: new Date('2026-03-02T07:00:00Z'),
      stopDate: new Date('2026-03-02T07:14:00Z'),
      output: JSON.stringify(finalized),
      executionArn: execution('run-2026-03-02-a'),
      stateMachineArn: MACHINE,
    });
    sfn
      .on(ListMapRunsCommand)
      .resolves({ mapRuns: [{ mapRunArn: 'arn:map', executionArn: execution('x'), stateMachineArn: MACHINE, startDate: NOW }] });
    sfn.on(DescribeMapRunCommand, { mapRunArn: 'arn:map' }).resolves({
      itemCounts: { pending: 0, running: 0, succeeded: 1000, failed: 0, timedOut: 0, aborted: 0, total: 1000, resultsWritten: 1000 },
    });
    const run = await runCommand(RunOptionsSchema.parse({ stage: 'prod', id: 'run-2026-03-02-a' }), deps);
    expect(run).toMatchObject({
      runId: 'run-2026-03-02-a',
      status: 'succeeded',
      counts: { stocks: 1000, succeeded: 998, failed: 2, factsOnly: 8 },
      durationMs: 840_000,
      costUsd: 41.5,
      factCheckPassRate: 0.97,
      mapRun: { succeeded: 1000, total: 1000 },
      failedStocks: finalized.failures,
    });
  });

  it('names an unknown run and how to list the real ones', async () => {
    sfn.on(DescribeExecutionCommand).rejects(Object.assign(new Error('Execution Does Not Exist'), { name: 'ExecutionDoesNotExist' }));
    await expect(runCommand(RunOptionsSchema.parse({ stage: 'prod', id: 'run-nope' }), deps)).rejects.toThrow(
      /no execution run-nope .*npm run ops -- runs --stage prod/,
    );
  });
});

describe('npm run ops -- start --stage prod', () => {
  it('starts an execution named by a new run id, with the as-of date, tickers and the stage MaxConcurrency', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: execution('run-2026-03-02-x'), startDate: NOW });
    const action = await startCommand(StartOptionsSchema.parse({ stage: 'prod', asOf: '2026-03-02', tickers: 'WJRX,OJVT' }), deps);
    const input = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(input.stateMachineArn).toBe(MACHINE);
    expect(input.name).toBe(action.runId);
    expect(action.runId).toMatch(/^run-2026-03-02-[0-9a-z]+$/);
    expect(JSON.parse(input.input!)).toEqual({ runId: action.runId, asOf: '2026-03-02', concurrency: 100, tickers: ['WJRX', 'OJVT'] });
  });
});

describe('npm run ops -- redrive ID --stage prod', () => {
  it('redrives a failed execution through RedriveExecution (Step Functions re-runs only its failed children)', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      name: 'run-f',
      status: 'FAILED',
      startDate: NOW,
      error: 'States.ExceedToleratedFailureThreshold',
      cause: 'too many failed',
    });
    sfn.on(RedriveExecutionCommand).resolves({ redriveDate: NOW });
    const action = await redriveCommand(RunOptionsSchema.parse({ stage: 'prod', id: 'run-f' }), deps);
    expect(sfn.commandCalls(RedriveExecutionCommand)[0]!.args[0].input).toEqual({ executionArn: execution('run-f') });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(action).toEqual({ action: 'redriven', runId: 'run-f', executionArn: execution('run-f') });
  });

  it('runs only the failed stocks of a succeeded execution again, under the same run id', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ name: 'run-2026-03-02-a', status: 'SUCCEEDED', startDate: NOW, output: JSON.stringify(finalized) });
    sfn.on(StartExecutionCommand).resolves({ executionArn: execution('run-2026-03-02-a-redrive'), startDate: NOW });
    const action = await redriveCommand(RunOptionsSchema.parse({ stage: 'prod', id: 'run-2026-03-02-a' }), deps);
    const input = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(JSON.parse(input.input!)).toEqual({
      runId: 'run-2026-03-02-a',
      asOf: '2026-03-02',
      tickers: ['WJRX', 'OJVT'],
      concurrency: 100,
    });
    expect(input.name).toMatch(/^run-2026-03-02-a-redrive-/);
    expect(sfn.commandCalls(RedriveExecutionCommand)).toHaveLength(0);
    expect(action).toMatchObject({ action: 'restarted-failed-stocks', tickers: ['WJRX', 'OJVT'] });
  });

  it('refuses a run that is still running, or one with nothing failed', async () => {
    sfn.on(DescribeExecutionCommand).resolvesOnce({ name: 'run-r', status: 'RUNNING', startDate: NOW });
    await expect(redriveCommand(RunOptionsSchema.parse({ stage: 'prod', id: 'run-r' }), deps)).rejects.toThrow(/still running/);
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ name: 'run-ok', status: 'SUCCEEDED', startDate: NOW, output: JSON.stringify({ ...finalized, failed: 0, failures: [] }) });
    await expect(redriveCommand(RunOptionsSchema.parse({ stage: 'prod', id: 'run-ok' }), deps)).rejects.toThrow(/nothing to redrive/);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});

describe('npm run ops -- metrics NAME --stage prod', () => {
  it("reads FactCheckPassRate from FAAdvisorAI with the batch's service and stage dimensions, per period and statistic", async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'm0', Timestamps: [new Date('2026-03-02T08:00:00Z'), new Date('2026-03-01T08:00:00Z')], Values: [97.5, 96] },
      ],
    });
    const series = await metricsCommand(
      MetricsOptionsSchema.parse({
        stage: 'prod',
        name: 'FactCheckPassRate',
        since: '2026-03-01',
        until: '2026-03-02T12:00:00Z',
        period: '3600',
        stat: 'Average',
      }),
      deps,
    );
    const input = cloudWatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    expect(input.StartTime).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(input.EndTime).toEqual(new Date('2026-03-02T12:00:00Z'));
    expect(input.MetricDataQueries![0]!.MetricStat).toEqual({
      Metric: {
        Namespace: 'FAAdvisorAI',
        MetricName: 'FactCheckPassRate',
        Dimensions: [
          { Name: 'service', Value: 'fa-stock-batch' },
          { Name: 'stage', Value: 'prod' },
        ],
      },
      Period: 3600,
      Stat: 'Average',
    });
    expect(series.datapoints).toEqual([
      { timestamp: '2026-03-01T08:00:00.000Z', value: 96 },
      { timestamp: '2026-03-02T08:00:00.000Z', value: 97.5 },
    ]);
  });

  it("puts query metrics under the query API's service", async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    await metricsCommand(MetricsOptionsSchema.parse({ stage: 'prod', name: 'QueryLatencyMs', stat: 'p95' }), deps);
    const dimensions =
      cloudWatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries![0]!.MetricStat!.Metric!.Dimensions;
    expect(dimensions).toContainEqual({ Name: 'service', Value: 'fa-query-api' });
  });

  it('refuses a period CloudWatch would refuse and a window that ends before it starts', async () => {
    expect(MetricsOptionsSchema.safeParse({ name: 'FactCheckPassRate', period: '90' }).success).toBe(false);
    await expect(metricsCommand(MetricsOptionsSchema.parse({ stage: 'prod', name: 'X', since: 'now', until: '1h' }), deps)).rejects.toThrow(
      /--since .* must be before --until/,
    );
  });
});

describe('npm run ops -- alarms --stage prod', () => {
  it("lists the stage's alarms in ALARM with the runbook each names", async () => {
    cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        {
          AlarmName: 'fa-prod-StockFailureRate',
          StateValue: 'ALARM',
          StateReason: 'Threshold Crossed: 1 datapoint [3.1] was greater than the threshold (2.0).',
          StateUpdatedTimestamp: NOW,
          AlarmDescription: 'More than 2 % of the stocks in a batch failed. Runbook: runbooks/stock-failures.md',
        },
      ],
    });
    const report = await alarmsCommand(AlarmsOptionsSchema.parse({ stage: 'prod' }), deps);
    expect(cloudWatch.commandCalls(DescribeAlarmsCommand)[0]!.args[0].input).toMatchObject({
      AlarmNamePrefix: 'fa-prod-',
      StateValue: 'ALARM',
    });
    expect(report.alarms).toEqual([
      {
        name: 'fa-prod-StockFailureRate',
        state: 'ALARM',
        reason: 'Threshold Crossed: 1 datapoint [3.1] was greater than the threshold (2.0).',
        since: NOW.toISOString(),
        runbook: 'runbooks/stock-failures.md',
      },
    ]);
  });
});

describe('npm run ops -- canary --stage prod', () => {
  it('shows the deployment shifting each alias and the traffic split per version', async () => {
    codeDeploy.on(ListDeploymentsCommand, { applicationName: 'fa-prod-query-api' }).resolves({ deployments: ['d-CANARY'] });
    codeDeploy.on(ListDeploymentsCommand, { applicationName: 'fa-prod-stock-processor' }).resolves({ deployments: [] });
    codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'InProgress' } });
    lambda
      .on(GetAliasCommand, { FunctionName: 'fa-prod-query-api' })
      .resolves({ FunctionVersion: '7', RoutingConfig: { AdditionalVersionWeights: { '8': 0.1 } } });
    lambda.on(GetAliasCommand, { FunctionName: 'fa-prod-process-stock' }).resolves({ FunctionVersion: '3' });
    const report = await canaryCommand(CanaryOptionsSchema.parse({ stage: 'prod' }), deps);
    if ('note' in report) throw new Error('expected the AWS report');
    expect(report.functions).toEqual([
      {
        function: 'query-api',
        alias: 'live',
        traffic: { '7': 0.9, '8': 0.1 },
        deployment: { deploymentId: 'd-CANARY', status: 'InProgress', active: true },
      },
      { function: 'stock-processor', alias: 'live', traffic: { '3': 1 } },
    ]);
  });
});

describe('the local-only commands', () => {
  it('refuse a stage and point at point-in-time recovery instead', async () => {
    await expect(
      exportCommand(ExportOptionsSchema.parse({ stage: 'prod', out: '/tmp/x' }), deps, () => {
        throw new Error('unused');
      }),
    ).rejects.toThrow(OpsError);
  });

  it('refuse --stage together with --local', () => {
    expect(RunsOptionsSchema.safeParse({ stage: 'prod', local: true }).success).toBe(false);
  });
});
