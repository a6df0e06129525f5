import { existsSync } from 'node:fs';
import { join } from 'node:path';
import jsonata from 'jsonata';
import { beforeAll, describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { deadlineCheckDefinition } from '../../lib/constructs/batch-deadline-check';
import { REPO_ROOT } from '../../lib/paths';
import { RUNBOOKS } from '../../lib/runbooks';
import { TABLES } from '../../lambdas/core/contracts/tables';
import { buildStage, stage } from './fixtures';

type Resource = { Properties: Record<string, any> };

const BATCH_ALARMS = [
  'BatchMissedDeadline',
  'DeadlineCheckFailed',
  'BatchExecutionFailed',
  'StockFailureRate',
  'CostPerStockHigh',
  'VerificationPassRateLow',
  'EmbeddingCacheHitRateLow',
  'EmbeddingCacheDegraded',
  'ScheduleDeadLetter1',
  'ScheduleDeadLetter2',
  'StockProcessorThrottled',
];
const QUERY_ALARMS = ['Api5xxRate', 'ApiP95LatencyHigh', 'QueryFunctionThrottled', 'CostPerQueryHigh', 'HallucinationFlagRate'];
const HEALTH_ALARMS = ['BedrockThrottling', 'CacheThrottled', ...Object.keys(TABLES).map((key) => `DynamoDbThrottled-${key}`)];

function alarmNames(template: Template): string[] {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) =>
    (alarm as Resource).Properties.AlarmName.replace(/^fa-prod-/, ''),
  );
}

describe('MonitoringStack (prod, with the query API)', () => {
  let template: Template;
  let alarms: Resource[];
  beforeAll(() => {
    template = Template.fromStack(buildStage(stage('prod')).stacks.monitoring);
    alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[];
  });

  it('has one alarm per batch, query, Bedrock, cache and table concern', () => {
    expect(alarmNames(template).sort()).toEqual([...BATCH_ALARMS, ...QUERY_ALARMS, ...HEALTH_ALARMS].sort());
  });

  it('names an existing runbook file in every alarm description', () => {
    for (const alarm of alarms) {
      const match = /Runbook: (runbooks\/[a-z-]+\.md)$/.exec(alarm.Properties.AlarmDescription);
      expect(match, alarm.Properties.AlarmName).not.toBeNull();
      expect(existsSync(join(REPO_ROOT, match![1]!)), match![1]).toBe(true);
    }
    for (const runbook of RUNBOOKS) expect(existsSync(join(REPO_ROOT, 'runbooks', runbook)), runbook).toBe(true);
  });

  it('notifies the alarm topic when an alarm fires and when it clears', () => {
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ 'Fn::ImportValue': expect.stringMatching(/AlarmsTopic/) }]);
      expect(alarm.Properties.OKActions).toEqual(alarm.Properties.AlarmActions);
    }
  });

  it('alarms when no batch finished by the 08:00 check and when the check itself fails', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'fa-prod-BatchMissedDeadline',
      Namespace: 'FAAdvisorAI',
      MetricName: 'BatchMissedDeadline',
      Dimensions: [{ Name: 'stage', Value: 'prod' }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'fa-prod-DeadlineCheckFailed', Metrics: Match.anyValue() });
  });

  it('watches the batch metrics the finalize handler emits, with the service and stage dimensions', () => {
    const byName = (name: string) => alarms.find((alarm) => alarm.Properties.AlarmName === `fa-prod-${name}`)!;
    expect(byName('CostPerStockHigh').Properties).toMatchObject({
      MetricName: 'CostPerStockUsd',
      Threshold: stage('prod').config.alarms.maxCostPerStockUsd,
      Dimensions: expect.arrayContaining([
        { Name: 'service', Value: 'fa-stock-batch' },
        { Name: 'stage', Value: 'prod' },
      ]),
    });
    expect(byName('VerificationPassRateLow').Properties).toMatchObject({
      MetricName: 'FactCheckPassRate',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 90,
    });
    expect(byName('EmbeddingCacheHitRateLow').Properties).toMatchObject({
      MetricName: 'EmbeddingCacheHitRate',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 60,
    });
    expect(JSON.stringify(byName('StockFailureRate').Properties.Metrics)).toContain('100 * failures / stocks');
  });

  it("alarms on and draws the fact-check pass rate under the seed's name, FactCheckPassRate in FAAdvisorAI", () => {
    const alarm = alarms.find((candidate) => candidate.Properties.AlarmName === 'fa-prod-VerificationPassRateLow')!;
    expect(alarm.Properties).toMatchObject({
      Namespace: 'FAAdvisorAI',
      MetricName: 'FactCheckPassRate',
      Statistic: 'Minimum',
      Dimensions: expect.arrayContaining([
        { Name: 'service', Value: 'fa-stock-batch' },
        { Name: 'stage', Value: 'prod' },
      ]),
    });
    const batch = Object.values(template.findResources('AWS::CloudWatch::Dashboard')).find(
      (dashboard) => (dashboard as Resource).Properties.DashboardName === 'fa-prod-batch',
    ) as Resource;
    const body = JSON.stringify(batch.Properties.DashboardBody);
    expect(body).toContain('FactCheckPassRate');
    expect(body).not.toMatch(/VerificationPassRate(?!Low)/);
  });

  it('watches Step Functions failures, timeouts and aborts of the batch', () => {
    const alarm = alarms.find((candidate) => candidate.Properties.AlarmName === 'fa-prod-BatchExecutionFailed')!;
    const metricNames = alarm.Properties.Metrics.filter((metric: any) => metric.MetricStat).map(
      (metric: any) => metric.MetricStat.Metric.MetricName,
    );
    expect(metricNames.sort()).toEqual(['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut']);
  });

  it('watches Bedrock throttles across every configured model', () => {
    const alarm = alarms.find((candidate) => candidate.Properties.AlarmName === 'fa-prod-BedrockThrottling')!;
    const models = alarm.Properties.Metrics.filter((metric: any) => metric.MetricStat).map(
      (metric: any) => metric.MetricStat.Metric.Dimensions[0].Value,
    );
    expect(models).toEqual([
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      'amazon.titan-embed-text-v2:0',
    ]);
  });

  it('draws the batch, query, Bedrock and health dashboards', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as Resource[];
    expect(dashboards.map((dashboard) => dashboard.Properties.DashboardName).sort()).toEqual([
      'fa-prod-batch',
      'fa-prod-bedrock',
      'fa-prod-health',
      'fa-prod-queries',
    ]);
    const body = (name: string) =>
      JSON.stringify(dashboards.find((dashboard) => dashboard.Properties.DashboardName === `fa-prod-${name}`)!.Properties.DashboardBody);
    for (const metric of [
      'BatchStocks',
      'BatchFailures',
      'BatchDurationMs',
      'CostPerStockUsd',
      'FactCheckPassRate',
      'EmbeddingCacheHitRate',
    ])
      expect(body('batch')).toContain(metric);
    for (const metric of [
      'QueryLatencyMs',
      'p99',
      'depth',
      'QueryCostUsd',
      'GuardrailBlocked',
      'HallucinationFlagged',
      '5XXError',
      'Throttles',
    ])
      expect(body('queries')).toContain(metric);
    for (const metric of ['Invocations', 'InvocationThrottles', 'InvocationLatency']) expect(body('bedrock')).toContain(metric);
    for (const metric of ['AWS/Lambda', 'AWS/States', 'AWS/DynamoDB', 'AWS/ElastiCache']) expect(body('health')).toContain(metric);
  });

  describe('batch deadline check', () => {
    it('runs at 08:00 America/New_York on weekdays, with retries and a dead-letter queue', () => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 8 ? * MON-FRI *)',
        ScheduleExpressionTimezone: 'America/New_York',
        State: 'ENABLED',
        Target: Match.objectLike({
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 1800 },
          DeadLetterConfig: Match.anyValue(),
        }),
      });
    });

    it('may list the batch executions and publish to the FAAdvisorAI namespace only', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'ListBatchExecutions',
              Action: 'states:ListExecutions',
              Resource: { 'Fn::ImportValue': Match.stringLikeRegexp('StockBatchStateMachine') },
            }),
            Match.objectLike({
              Sid: 'PublishDeadlineMetric',
              Action: 'cloudwatch:PutMetricData',
              Condition: { StringEquals: { 'cloudwatch:namespace': 'FAAdvisorAI' } },
            }),
          ]),
        },
      });
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: 'fa-prod-batch-deadline-check',
        LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
        TracingConfiguration: { Enabled: true },
        DefinitionSubstitutions: { BatchStateMachineArn: Match.anyValue(), Stage: 'prod' },
      });
    });
  });
});

describe('MonitoringStack without the query API', () => {
  it('has the batch, Bedrock and health alarms only', () => {
    const template = Template.fromStack(buildStage(stage('prod'), { withApi: false }).stacks.monitoring);
    expect(alarmNames(template).sort()).toEqual([...BATCH_ALARMS, ...HEALTH_ALARMS].sort());
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 3);
  });
});

describe('the deadline check definition', () => {
  const definition = deadlineCheckDefinition() as { QueryLanguage: string; States: Record<string, Record<string, any>> };
  const find = definition.States.FindLatestSuccessfulBatch!;
  const publish = definition.States.PublishDeadlineMetric!;
  const checkStartedAt = '2026-03-02T13:00:00.000Z'; // 08:00 in New York (EST)

  async function finishedInWindow(executions: Array<{ StopDate: string }>): Promise<boolean> {
    const output = find.Output.replace(/^\{%\s*/, '').replace(/\s*%\}$/, '');
    const result = await jsonata(output).evaluate(
      {},
      { states: { result: { Executions: executions }, context: { Execution: { StartTime: checkStartedAt } } } },
    );
    return result.finishedInWindow;
  }

  async function published(finished: boolean): Promise<number> {
    const value = publish.Arguments.MetricData[0].Value.replace(/^\{%\s*/, '').replace(/\s*%\}$/, '');
    return jsonata(value).evaluate({}, { states: { input: { finishedInWindow: finished } } });
  }

  it('is JSONata that lists the newest successful execution and publishes the verdict', () => {
    expect(definition.QueryLanguage).toBe('JSONata');
    expect(find).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:sfn:listExecutions',
      Arguments: { StatusFilter: 'SUCCEEDED', MaxResults: 1 },
    });
    expect(publish).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
      Arguments: { Namespace: 'FAAdvisorAI' },
    });
    expect(publish.Arguments.MetricData[0].MetricName).toBe('BatchMissedDeadline');
  });

  it('counts a batch that finished this morning as on time', async () => {
    expect(await finishedInWindow([{ StopDate: '2026-03-02T11:40:12.345Z' }])).toBe(true);
    expect(await published(true)).toBe(0);
  });

  it('reports a missed deadline when the newest success is from yesterday, or there is none', async () => {
    expect(await finishedInWindow([{ StopDate: '2026-02-27T11:40:12.345Z' }])).toBe(false);
    expect(await finishedInWindow([])).toBe(false);
    expect(await published(false)).toBe(1);
  });

  it('retries both SDK calls with full jitter', () => {
    for (const state of [find, publish]) expect(state.Retry[0]).toMatchObject({ JitterStrategy: 'FULL', MaxDelaySeconds: 30 });
  });
});
