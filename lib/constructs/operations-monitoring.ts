/**
 * Dashboards and alarms (docs/DESIGN.md §7): the batch, the queries, Bedrock, and the health of Lambda,
 * Step Functions, DynamoDB and the cache. Every alarm publishes to the alarm topic and names its
 * runbook in its description. Custom metrics follow lib/metric-names.ts: namespace FAAdvisorAI,
 * dimensions { service, stage }.
 */
import { BATCH_ALARM_THRESHOLDS } from '../alarm-thresholds';
import { Duration, aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as actions } from 'aws-cdk-lib';
import type {
  aws_apigateway as apigw,
  aws_dynamodb as dynamodb,
  aws_sns as sns,
  aws_sqs as sqs,
  aws_stepfunctions as sfn,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  BATCH_METRICS,
  DEADLINE_METRIC,
  EXPERIMENT_METRICS,
  EXPERIMENT_OBSERVED_METRICS,
  experimentMetricName,
  METRICS_NAMESPACE,
  QUERY_METRICS,
  SERVICE_NAMES,
  STOCK_METRICS,
} from '../../lambdas/core/contracts/metrics';
import { runbookDescription } from '../runbooks';
import type { Runbook } from '../runbooks';
import type { ServiceFunction } from './service-function';

export interface BatchMonitoringProps {
  readonly stateMachine: sfn.IStateMachine;
  readonly deadlineCheck: sfn.IStateMachine;
  readonly functions: readonly ServiceFunction[];
  readonly processStock: ServiceFunction;
  /** Dead-letter queues of the schedules (batch start and deadline check). */
  readonly deadLetterQueues: readonly sqs.IQueue[];
}

export interface QueryMonitoringProps {
  readonly api: apigw.RestApi;
  readonly queryFunction: ServiceFunction;
}

/** A running A/B test to watch (bin/app.ts maps config/ab_tests.yaml to these). */
export interface ExperimentMonitoring {
  readonly key: string;
  /** Arm keys; the first is the control. */
  readonly arms: readonly string[];
  readonly primary: string;
  readonly guardrails: ReadonlyArray<{
    readonly metric: string;
    readonly direction: 'increase' | 'decrease';
    /** How much worse than control, in the metric's units, before the alarm fires. */
    readonly allowedDegradation: number;
  }>;
}

export interface OperationsMonitoringProps {
  readonly prefix: string;
  readonly stage: string;
  readonly alarmTopic: sns.ITopic;
  readonly batch: BatchMonitoringProps;
  /** Absent until the query API is deployed. */
  readonly query?: QueryMonitoringProps;
  /** Tables by key (summaries, chunks, runs, …). */
  readonly tables: Readonly<Record<string, dynamodb.ITableV2>>;
  readonly cacheName: string;
  readonly bedrockModelIds: readonly string[];
  /** Running experiments: one dashboard row each and one alarm per guardrail and treatment arm. */
  readonly experiments?: readonly ExperimentMonitoring[];
  readonly thresholds: {
    readonly maxCostPerStockUsd: number;
    readonly maxCostPerQueryUsd: number;
    readonly maxQueryP95Ms: number;
  };
}

interface AlarmSpec {
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparison?: cloudwatch.ComparisonOperator;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
  readonly missing?: cloudwatch.TreatMissingData;
  readonly summary: string;
  readonly runbook: Runbook;
}

const FIVE_MINUTES = Duration.minutes(5);
const ONE_HOUR = Duration.hours(1);

export class OperationsMonitoring extends Construct {
  public readonly alarms: cloudwatch.Alarm[] = [];
  public readonly dashboards: cloudwatch.Dashboard[] = [];
  private readonly props: OperationsMonitoringProps;

  constructor(scope: Construct, id: string, props: OperationsMonitoringProps) {
    super(scope, id);
    if (props.bedrockModelIds.length === 0) throw new Error('OperationsMonitoring: name the Bedrock models to watch.');
    this.props = props;
    this.batchDashboardAndAlarms();
    if (props.query) this.queryDashboardAndAlarms(props.query);
    this.bedrockDashboardAndAlarms();
    if (props.experiments && props.experiments.length > 0) this.experimentDashboardAndAlarms(props.experiments);
    this.healthDashboardAndAlarms();
  }

  /** A custom metric of one workload. */
  private custom(
    service: string,
    metricName: string,
    statistic: string,
    period: Duration,
    extra: Record<string, string> = {},
  ): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service, stage: this.props.stage, ...extra },
      statistic,
      period,
    });
  }

  private alarm(id: string, spec: AlarmSpec): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: `${this.props.prefix}-${id}`,
      alarmDescription: runbookDescription(spec.summary, spec.runbook),
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: spec.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      datapointsToAlarm: spec.datapointsToAlarm,
      treatMissingData: spec.missing ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const action = new actions.SnsAction(this.props.alarmTopic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
    return alarm;
  }

  private dashboard(name: string, rows: cloudwatch.IWidget[][]): cloudwatch.Dashboard {
    const dashboard = new cloudwatch.Dashboard(this, `${name}Dashboard`, {
      dashboardName: `${this.props.prefix}-${name.toLowerCase()}`,
      defaultInterval: Duration.days(7),
      widgets: rows,
    });
    this.dashboards.push(dashboard);
    return dashboard;
  }

  private batchDashboardAndAlarms(): void {
    const { batch } = this.props;
    const svc = SERVICE_NAMES.batch;
    const run = (name: string, statistic: string) => this.custom(svc, name, statistic, ONE_HOUR);
    const perStock = (name: string) => this.custom(svc, name, 'Sum', FIVE_MINUTES);
    const sfnMetric = (metricName: string, machine: sfn.IStateMachine, period = FIVE_MINUTES) =>
      new cloudwatch.Metric({
        namespace: 'AWS/States',
        metricName,
        dimensionsMap: { StateMachineArn: machine.stateMachineArn },
        statistic: 'Sum',
        period,
      });

    this.alarm('BatchMissedDeadline', {
      metric: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: DEADLINE_METRIC,
        dimensionsMap: { stage: this.props.stage },
        statistic: 'Maximum',
        period: ONE_HOUR,
      }),
      threshold: 1,
      summary: 'No stock batch finished by 08:00 America/New_York on a weekday: FAs start the day without fresh briefs.',
      runbook: 'batch-missed-deadline.md',
    });
    this.alarm('DeadlineCheckFailed', {
      metric: new cloudwatch.MathExpression({
        expression: 'failed + timedOut',
        usingMetrics: {
          failed: sfnMetric('ExecutionsFailed', batch.deadlineCheck, ONE_HOUR),
          timedOut: sfnMetric('ExecutionsTimedOut', batch.deadlineCheck, ONE_HOUR),
        },
        period: ONE_HOUR,
        label: 'deadline check failures',
      }),
      threshold: 1,
      summary: 'The 08:00 batch-deadline check itself failed, so a missed deadline would go unnoticed.',
      runbook: 'batch-missed-deadline.md',
    });
    this.alarm('BatchExecutionFailed', {
      metric: new cloudwatch.MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: sfnMetric('ExecutionsFailed', batch.stateMachine),
          timedOut: sfnMetric('ExecutionsTimedOut', batch.stateMachine),
          aborted: sfnMetric('ExecutionsAborted', batch.stateMachine),
        },
        period: FIVE_MINUTES,
        label: 'failed batch executions',
      }),
      threshold: 1,
      summary: 'A stock batch execution failed, timed out or was aborted (more than 5 % of stocks failing fails the whole run).',
      runbook: 'batch-execution-failed.md',
    });
    this.alarm('StockFailureRate', {
      metric: new cloudwatch.MathExpression({
        expression: 'IF(stocks > 0, 100 * failures / stocks, 0)',
        usingMetrics: { failures: run(BATCH_METRICS.failures, 'Sum'), stocks: run(BATCH_METRICS.stocks, 'Sum') },
        period: ONE_HOUR,
        label: 'failed stocks (%)',
      }),
      threshold: BATCH_ALARM_THRESHOLDS.maxStockFailurePercent,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      summary: 'More than 2 % of the stocks in a batch failed (the map tolerates 5 % before failing the run).',
      runbook: 'stock-failures.md',
    });
    this.alarm('CostPerStockHigh', {
      metric: run(BATCH_METRICS.costPerStockUsd, 'Maximum'),
      threshold: this.props.thresholds.maxCostPerStockUsd,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      summary: `A batch cost more than $${this.props.thresholds.maxCostPerStockUsd} per stock.`,
      runbook: 'cost-overrun.md',
    });
    this.alarm('VerificationPassRateLow', {
      // The seed's metric name; VerificationPassRate carries the same value (contracts/metrics.ts).
      metric: run(BATCH_METRICS.factCheckPassRate, 'Minimum'),
      threshold: BATCH_ALARM_THRESHOLDS.minFactCheckPassPercent,
      comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      summary: 'Fewer than 90 % of summaries passed fact verification on the first or second draft.',
      runbook: 'verification-quality.md',
    });
    this.alarm('EmbeddingCacheHitRateLow', {
      metric: run(BATCH_METRICS.embeddingCacheHitRate, 'Minimum'),
      threshold: BATCH_ALARM_THRESHOLDS.minEmbeddingCacheHitPercent,
      comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      summary: 'Fewer than 60 % of chunks were embedding-cache hits in a batch (expected on the very first run only).',
      runbook: 'embedding-cache.md',
    });
    this.alarm('EmbeddingCacheDegraded', {
      metric: perStock(STOCK_METRICS.cacheDegraded),
      threshold: 50,
      summary: 'The embedding cache timed out or failed 50+ times in 5 minutes: every miss is re-embedded (cost) but nothing fails.',
      runbook: 'embedding-cache.md',
    });
    batch.deadLetterQueues.forEach((queue, index) => {
      this.alarm(`ScheduleDeadLetter${index + 1}`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        threshold: 1,
        summary: 'EventBridge Scheduler could not start a scheduled execution after all retries.',
        runbook: 'schedule-dead-letter.md',
      });
    });
    this.alarm('StockProcessorThrottled', {
      metric: batch.processStock.function.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
      threshold: 10,
      summary: 'The stock processor was throttled by Lambda concurrency limits: the map slows down and retries.',
      runbook: 'lambda-errors.md',
    });

    const graph = (title: string, metrics: cloudwatch.IMetric[], width = 8, right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left: metrics, right, width, height: 6 });
    this.dashboard('Batch', [
      [
        graph('Stocks per run', [run(BATCH_METRICS.stocks, 'Sum'), run(BATCH_METRICS.failures, 'Sum')]),
        graph('Run duration (ms)', [run(BATCH_METRICS.durationMs, 'Maximum')]),
        graph('Cost per stock (USD)', [run(BATCH_METRICS.costPerStockUsd, 'Average')]),
      ],
      [
        graph('Fact-check pass rate (%), FactCheckPassRate', [run(BATCH_METRICS.factCheckPassRate, 'Average')]),
        graph('Embedding-cache hit rate (%)', [run(BATCH_METRICS.embeddingCacheHitRate, 'Average')]),
        graph('Stocks processed / failed / facts-only (5 min)', [
          perStock(STOCK_METRICS.processed),
          perStock(STOCK_METRICS.failed),
          perStock(STOCK_METRICS.facts_only),
        ]),
      ],
      [
        graph('Stock duration p50 / p95 (ms)', [
          this.custom(svc, STOCK_METRICS.durationMs, 'p50', FIVE_MINUTES),
          this.custom(svc, STOCK_METRICS.durationMs, 'p95', FIVE_MINUTES),
        ]),
        graph('Source failures and cache degradations', [perStock(STOCK_METRICS.sourceFailures), perStock(STOCK_METRICS.cacheDegraded)]),
        graph(
          'Batch executions',
          ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut'].map((name) =>
            sfnMetric(name, batch.stateMachine),
          ),
        ),
      ],
      [new cloudwatch.AlarmStatusWidget({ title: 'Batch alarms', alarms: [...this.alarms], width: 24, height: 4 })],
    ]);
  }

  private queryDashboardAndAlarms(query: QueryMonitoringProps): void {
    const svc = SERVICE_NAMES.query;
    const { api, queryFunction } = query;
    const apiMetric = (metricName: string, statistic: string, period = FIVE_MINUTES) =>
      new cloudwatch.Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiName: api.restApiName, Stage: api.deploymentStage.stageName },
        statistic,
        period,
      });
    const firstAlarm = this.alarms.length;

    this.alarm('Api5xxRate', {
      metric: apiMetric('5XXError', 'Average'),
      threshold: 0.01,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      summary: 'More than 1 % of API requests failed with a 5xx in 2 of 3 five-minute periods.',
      runbook: 'api-errors.md',
    });
    this.alarm('ApiP95LatencyHigh', {
      metric: apiMetric('Latency', 'p95'),
      threshold: this.props.thresholds.maxQueryP95Ms,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      summary: `API P95 latency above ${this.props.thresholds.maxQueryP95Ms} ms in 2 of 3 five-minute periods.`,
      runbook: 'query-latency.md',
    });
    this.alarm('QueryFunctionThrottled', {
      metric: queryFunction.function.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
      threshold: 1,
      summary: 'The query function was throttled: FAs got errors. Provisioned or reserved concurrency is too low.',
      runbook: 'lambda-errors.md',
    });
    this.alarm('CostPerQueryHigh', {
      metric: this.custom(svc, QUERY_METRICS.costUsd, 'Average', ONE_HOUR),
      threshold: this.props.thresholds.maxCostPerQueryUsd,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      summary: `Queries cost more than $${this.props.thresholds.maxCostPerQueryUsd} each on average over an hour.`,
      runbook: 'cost-overrun.md',
    });
    this.alarm('HallucinationFlagRate', {
      metric: new cloudwatch.MathExpression({
        expression: 'IF(queries > 0, 100 * flagged / queries, 0)',
        usingMetrics: {
          flagged: this.custom(svc, QUERY_METRICS.hallucinationFlagged, 'Sum', ONE_HOUR),
          queries: this.custom(svc, QUERY_METRICS.count, 'Sum', ONE_HOUR),
        },
        period: ONE_HOUR,
        label: 'answers flagged (%)',
      }),
      threshold: 5,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      summary: 'More than 5 % of answers in an hour were flagged by the hallucination checks.',
      runbook: 'query-quality.md',
    });

    const latency = (stat: string) =>
      ['simple', 'deep'].map((depth) =>
        this.custom(svc, QUERY_METRICS.latencyMs, stat, FIVE_MINUTES, { depth }).with({ label: `${depth} ${stat}` }),
      );
    const graph = (title: string, left: cloudwatch.IMetric[], width = 8) => new cloudwatch.GraphWidget({ title, left, width, height: 6 });
    const perFive = (name: string) => this.custom(svc, name, 'Sum', FIVE_MINUTES);
    this.dashboard('Queries', [
      [
        graph('Query latency by depth p50 / p95 / p99 (ms)', [...latency('p50'), ...latency('p95'), ...latency('p99')], 12),
        graph('API requests, 4xx, 5xx', [apiMetric('Count', 'Sum'), apiMetric('4XXError', 'Sum'), apiMetric('5XXError', 'Sum')], 12),
      ],
      [
        graph('Errors and throttles', [
          perFive(QUERY_METRICS.errors),
          queryFunction.function.metricThrottles({ period: FIVE_MINUTES }),
          queryFunction.function.metricErrors({ period: FIVE_MINUTES }),
        ]),
        graph('Cost per query (USD)', [
          this.custom(svc, QUERY_METRICS.costUsd, 'Average', FIVE_MINUTES),
          this.custom(svc, QUERY_METRICS.costUsd, 'p95', FIVE_MINUTES),
        ]),
        graph('Guardrail blocks and hallucination flags', [
          perFive(QUERY_METRICS.guardrailBlocked),
          perFive(QUERY_METRICS.hallucinationFlagged),
        ]),
      ],
      [
        graph('API latency p95 vs integration (ms)', [apiMetric('Latency', 'p95'), apiMetric('IntegrationLatency', 'p95')]),
        graph('Query concurrency', [
          new cloudwatch.Metric({
            namespace: 'AWS/Lambda',
            metricName: 'ConcurrentExecutions',
            dimensionsMap: { FunctionName: queryFunction.functionName },
            statistic: 'Maximum',
            period: FIVE_MINUTES,
          }),
          new cloudwatch.Metric({
            namespace: 'AWS/Lambda',
            metricName: 'ProvisionedConcurrencySpilloverInvocations',
            dimensionsMap: {
              FunctionName: queryFunction.functionName,
              Resource: `${queryFunction.functionName}:${queryFunction.alias.aliasName}`,
            },
            statistic: 'Sum',
            period: FIVE_MINUTES,
          }),
        ]),
        new cloudwatch.AlarmStatusWidget({ title: 'Query alarms', alarms: this.alarms.slice(firstAlarm), width: 8, height: 6 }),
      ],
    ]);
  }

  private bedrockDashboardAndAlarms(): void {
    const bedrock = (metricName: string, modelId: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/Bedrock',
        metricName,
        dimensionsMap: { ModelId: modelId },
        statistic,
        period: FIVE_MINUTES,
        label: `${modelId} ${metricName}`,
      });
    const ids = this.props.bedrockModelIds;
    const usingMetrics = Object.fromEntries(ids.map((id, index) => [`m${index}`, bedrock('InvocationThrottles', id, 'Sum')]));
    this.alarm('BedrockThrottling', {
      metric: new cloudwatch.MathExpression({
        expression: ids.map((_, index) => `FILL(m${index}, 0)`).join(' + '),
        usingMetrics,
        period: FIVE_MINUTES,
        label: 'Bedrock throttles',
      }),
      threshold: 50,
      evaluationPeriods: 2,
      summary: 'Bedrock throttled 50+ calls per 5 minutes for 10 minutes: batch retries pile up and queries fall back to the small model.',
      runbook: 'bedrock-throttling.md',
    });
    const graph = (title: string, metricName: string, statistic: string) =>
      new cloudwatch.GraphWidget({ title, left: ids.map((id) => bedrock(metricName, id, statistic)), width: 12, height: 6 });
    this.dashboard('Bedrock', [
      [graph('Invocations', 'Invocations', 'Sum'), graph('Throttles', 'InvocationThrottles', 'Sum')],
      [graph('Latency p95 (ms)', 'InvocationLatency', 'p95'), graph('Server and client errors', 'InvocationServerErrors', 'Sum')],
      [graph('Input tokens', 'InputTokenCount', 'Sum'), graph('Output tokens', 'OutputTokenCount', 'Sum')],
    ]);
  }

  /**
   * One row per experiment (exposures per arm, and the daily mean of the primary and every guardrail
   * per arm) and, per guardrail and treatment arm, an alarm on the daily gap between the arm and
   * control past the allowed degradation. It is the fast signal; `npm run ab -- report` makes the
   * statistically sound call (runbooks/ab-guardrail.md).
   */
  private experimentDashboardAndAlarms(experiments: readonly ExperimentMonitoring[]): void {
    const day = Duration.days(1);
    const rows: cloudwatch.IWidget[][] = [];
    for (const experiment of experiments) {
      if (experiment.arms.length < 2)
        throw new Error(`OperationsMonitoring: experiment ${experiment.key} needs a control and at least one treatment arm.`);
      const [control, ...treatments] = experiment.arms as [string, ...string[]];
      const serviceOf = (metric: string) => {
        const workload = (EXPERIMENT_OBSERVED_METRICS as Record<string, keyof typeof SERVICE_NAMES>)[metric];
        if (!workload) throw new Error(`OperationsMonitoring: experiment ${experiment.key} watches ${metric}, which no workload observes.`);
        return SERVICE_NAMES[workload];
      };
      const perArm = (
        metric: string,
        arm: string,
        statistic: string,
        metricName = experimentMetricName(metric),
        service = serviceOf(metric),
      ) => this.custom(service, metricName, statistic, day, { experiment: experiment.key, arm }).with({ label: arm });
      const exposures = experiment.arms.flatMap((arm) =>
        (['batch', 'query'] as const).map((w) =>
          this.custom(SERVICE_NAMES[w], EXPERIMENT_METRICS.exposures, 'Sum', day, { experiment: experiment.key, arm }).with({
            label: `${arm} (${w})`,
          }),
        ),
      );
      rows.push([
        new cloudwatch.GraphWidget({ title: `${experiment.key}: first exposures per arm`, left: exposures, width: 8, height: 6 }),
        ...[experiment.primary, ...experiment.guardrails.map((g) => g.metric)].map(
          (metric) =>
            new cloudwatch.GraphWidget({
              title: `${experiment.key}: ${metric} per arm (daily mean)`,
              left: experiment.arms.map((arm) => perArm(metric, arm, 'Average')),
              width: 8,
              height: 6,
            }),
        ),
      ]);
      for (const guardrail of experiment.guardrails) {
        for (const arm of treatments) {
          const worse = guardrail.direction === 'decrease' ? 'treatment - control' : 'control - treatment';
          this.alarm(`AbGuardrail-${experiment.key}-${arm}-${guardrail.metric}`, {
            metric: new cloudwatch.MathExpression({
              expression: worse,
              usingMetrics: { treatment: perArm(guardrail.metric, arm, 'Average'), control: perArm(guardrail.metric, control, 'Average') },
              period: day,
              label: `${guardrail.metric}: ${arm} worse than ${control} by`,
            }),
            threshold: guardrail.allowedDegradation,
            comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            summary: `A/B test ${experiment.key}: arm ${arm} is worse than ${control} on guardrail ${guardrail.metric} by more than the allowed ${guardrail.allowedDegradation} over a day. Run npm run ab -- report --test ${experiment.key}; roll the arm back if the report confirms.`,
            runbook: 'ab-guardrail.md',
          });
        }
      }
    }
    this.dashboard('Experiments', rows);
  }

  private healthDashboardAndAlarms(): void {
    const { batch, query, cacheName } = this.props;
    const tables = Object.values(this.props.tables);
    Object.entries(this.props.tables).forEach(([key, table]) => {
      this.alarm(`DynamoDbThrottled-${key}`, {
        metric: new cloudwatch.MathExpression({
          expression: 'FILL(reads, 0) + FILL(writes, 0)',
          usingMetrics: {
            reads: new cloudwatch.Metric({
              namespace: 'AWS/DynamoDB',
              metricName: 'ReadThrottleEvents',
              dimensionsMap: { TableName: table.tableName },
              statistic: 'Sum',
              period: FIVE_MINUTES,
            }),
            writes: new cloudwatch.Metric({
              namespace: 'AWS/DynamoDB',
              metricName: 'WriteThrottleEvents',
              dimensionsMap: { TableName: table.tableName },
              statistic: 'Sum',
              period: FIVE_MINUTES,
            }),
          },
          period: FIVE_MINUTES,
          label: 'throttle events',
        }),
        threshold: 10,
        summary: `DynamoDB throttled 10+ requests in 5 minutes on the ${key} table.`,
        runbook: 'dynamodb-throttling.md',
      });
    });
    const cache = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/ElastiCache',
        metricName,
        dimensionsMap: { clusterId: cacheName },
        statistic,
        period: FIVE_MINUTES,
      });
    this.alarm('CacheThrottled', {
      metric: cache('ThrottledCmds', 'Sum'),
      threshold: 100,
      summary: 'The embedding cache throttled commands (ECPU limit reached): lookups become misses and are re-embedded.',
      runbook: 'embedding-cache.md',
    });

    const functions = [...batch.functions, ...(query ? [query.queryFunction] : [])];
    const lambdaGraph = (title: string, metric: (fn: ServiceFunction) => cloudwatch.IMetric) =>
      new cloudwatch.GraphWidget({ title, left: functions.map(metric), width: 8, height: 6 });
    const tableGraph = (title: string, metricName: string, statistic: string) =>
      new cloudwatch.GraphWidget({
        title,
        left: tables.map(
          (table) =>
            new cloudwatch.Metric({
              namespace: 'AWS/DynamoDB',
              metricName,
              dimensionsMap: { TableName: table.tableName },
              statistic,
              period: FIVE_MINUTES,
            }),
        ),
        width: 8,
        height: 6,
      });
    this.dashboard('Health', [
      [
        lambdaGraph('Lambda errors', (fn) => fn.function.metricErrors({ period: FIVE_MINUTES, label: fn.functionName })),
        lambdaGraph('Lambda throttles', (fn) => fn.function.metricThrottles({ period: FIVE_MINUTES, label: fn.functionName })),
        lambdaGraph('Lambda duration p95 (ms)', (fn) =>
          fn.function.metricDuration({ period: FIVE_MINUTES, statistic: 'p95', label: fn.functionName }),
        ),
      ],
      [
        tableGraph('DynamoDB read throttles', 'ReadThrottleEvents', 'Sum'),
        tableGraph('DynamoDB write throttles', 'WriteThrottleEvents', 'Sum'),
        tableGraph('DynamoDB system errors', 'SystemErrors', 'Sum'),
      ],
      [
        new cloudwatch.GraphWidget({
          title: 'Cache ECPUs and storage',
          left: [cache('ElastiCacheProcessingUnits', 'Sum')],
          right: [cache('BytesUsedForCache', 'Maximum')],
          width: 8,
          height: 6,
        }),
        new cloudwatch.GraphWidget({
          title: 'Cache latency (µs) and throttles',
          left: [cache('SuccessfulReadRequestLatency', 'p95'), cache('SuccessfulWriteRequestLatency', 'p95')],
          right: [cache('ThrottledCmds', 'Sum')],
          width: 8,
          height: 6,
        }),
        new cloudwatch.GraphWidget({
          title: 'Step Functions: map children and execution time',
          left: [
            new cloudwatch.Metric({
              namespace: 'AWS/States',
              metricName: 'ExecutionTime',
              dimensionsMap: { StateMachineArn: batch.stateMachine.stateMachineArn },
              statistic: 'Maximum',
              period: FIVE_MINUTES,
            }),
          ],
          width: 8,
          height: 6,
        }),
      ],
      [new cloudwatch.AlarmStatusWidget({ title: 'All alarms', alarms: [...this.alarms], width: 24, height: 6 })],
    ]);
  }
}
