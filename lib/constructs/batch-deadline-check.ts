/**
 * "No batch has finished by 08:00 America/New_York on a weekday." CloudWatch alarms cannot say
 * "by a time of day in a time zone" (periods are UTC-aligned and New York moves with daylight
 * saving), so EventBridge Scheduler — which knows time zones — starts a tiny state machine at 08:00
 * on weekdays. It asks Step Functions for the latest successful batch execution and publishes
 * BatchMissedDeadline = 1 when none finished since 02:00 (a 6-hour window that covers the 05:00
 * run and any earlier manual re-run), 0 otherwise; an alarm watches that metric. No Lambda: two
 * SDK integrations and JSONata.
 */
import {
  Duration,
  RemovalPolicy,
  Stack,
  TimeZone,
  Validations,
  aws_iam as iam,
  aws_logs as logs,
  aws_scheduler as scheduler,
  aws_scheduler_targets as targets,
  aws_sqs as sqs,
  aws_stepfunctions as sfn,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DEADLINE_METRIC, METRICS_NAMESPACE } from '../../lambdas/core/contracts/metrics';

/** How far back from the 08:00 check a successful batch counts: since 02:00 New York time. */
export const DEADLINE_WINDOW_MS = 6 * 60 * 60 * 1000;

export interface BatchDeadlineCheckProps {
  readonly stateMachineName: string;
  /** The batch state machine whose executions are checked. */
  readonly batchStateMachine: sfn.IStateMachine;
  readonly stage: string;
  /** Disabled together with the batch schedule (dev runs batches on demand). */
  readonly enabled: boolean;
  readonly logRetentionDays: number;
  readonly protectData: boolean;
}

/** The check's definition (JSONata); exported for tests. */
export function deadlineCheckDefinition(): Record<string, unknown> {
  return {
    Comment: 'Publishes BatchMissedDeadline: 1 when no stock batch succeeded in the 6 hours before this 08:00 America/New_York check.',
    QueryLanguage: 'JSONata',
    StartAt: 'FindLatestSuccessfulBatch',
    States: {
      FindLatestSuccessfulBatch: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:sfn:listExecutions',
        // Executions are listed newest first, so one is enough.
        Arguments: { StateMachineArn: '${BatchStateMachineArn}', StatusFilter: 'SUCCEEDED', MaxResults: 1 },
        Output: `{% {"finishedInWindow": $count($states.result.Executions) > 0 and $toMillis($states.result.Executions[0].StopDate) >= $toMillis($states.context.Execution.StartTime) - ${DEADLINE_WINDOW_MS}} %}`,
        Retry: [
          { ErrorEquals: ['States.ALL'], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 30, JitterStrategy: 'FULL' },
        ],
        Next: 'PublishDeadlineMetric',
      },
      PublishDeadlineMetric: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
        Arguments: {
          Namespace: METRICS_NAMESPACE,
          MetricData: [
            {
              MetricName: DEADLINE_METRIC,
              Dimensions: [{ Name: 'stage', Value: '${Stage}' }],
              Unit: 'Count',
              Value: '{% $states.input.finishedInWindow ? 0 : 1 %}',
            },
          ],
        },
        Retry: [
          { ErrorEquals: ['States.ALL'], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 30, JitterStrategy: 'FULL' },
        ],
        End: true,
      },
    },
  };
}

export class BatchDeadlineCheck extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly schedule: scheduler.Schedule;
  /** Check invocations that failed after all retries: without the check, a missed deadline is silent. */
  public readonly scheduleDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: BatchDeadlineCheckProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Checks that a stock batch finished before 08:00 New York time and publishes the verdict',
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListBatchExecutions',
        actions: ['states:ListExecutions'],
        resources: [props.batchStateMachine.stateMachineArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PublishDeadlineMetric',
        actions: ['cloudwatch:PutMetricData'],
        // PutMetricData has no resource-level permissions; the namespace condition is the scope.
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } },
      }),
    );
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'cloudwatch:PutMetricData (limited to the FAAdvisorAI namespace by condition), log delivery and X-Ray do not support resource-level permissions.',
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(JSON.stringify(deadlineCheckDefinition(), null, 2)),
      definitionSubstitutions: { BatchStateMachineArn: props.batchStateMachine.stateMachineArn, Stage: props.stage },
      role,
      timeout: Duration.minutes(5),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    this.scheduleDeadLetterQueue = new sqs.Queue(this, 'ScheduleDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.scheduleDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the schedule; its depth is alarmed.',
    });
    this.schedule = new scheduler.Schedule(this, 'WeekdayDeadline', {
      description: 'Checks at 08:00 America/New_York on weekdays that the stock batch has finished',
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: '8', weekDay: 'MON-FRI', timeZone: TimeZone.AMERICA_NEW_YORK }),
      enabled: props.enabled,
      target: new targets.StepFunctionsStartExecution(this.stateMachine, {
        retryAttempts: 3,
        maxEventAge: Duration.minutes(30),
        deadLetterQueue: this.scheduleDeadLetterQueue,
      }),
    });
  }
}
