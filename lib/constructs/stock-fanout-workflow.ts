/**
 * The nightly batch in AWS: the state machine of statemachines/stock-batch.asl.json (the same file
 * the local runtime runs), its Task resources substituted with the functions' `live` aliases, run
 * as a Distributed Map; its IAM written out statement by statement; and the weekday 05:00
 * America/New_York schedule with retries and a dead-letter queue.
 */
import { readFileSync } from 'node:fs';
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
import { acknowledgeWildcardResources } from '../nag';
import { MAP_RESULTS_PREFIX } from './run-artifacts-bucket';
import type { RunArtifactsBucket } from './run-artifacts-bucket';
import type { ServiceFunction } from './service-function';

export interface StockFanoutFunctions {
  readonly prepareBatch: ServiceFunction;
  readonly processStock: ServiceFunction;
  readonly recordFailure: ServiceFunction;
  readonly finalizeBatch: ServiceFunction;
}

export interface StockFanoutWorkflowProps {
  /** Physical name; the role's child-execution permissions are scoped to it. */
  readonly stateMachineName: string;
  /** Path of the ASL definition with `${…FunctionArn}` and `${MapResultsBucketName}` placeholders. */
  readonly definitionFile: string;
  readonly functions: StockFanoutFunctions;
  /** Where the Distributed Map's ResultWriter puts the map results. */
  readonly artifacts: RunArtifactsBucket;
  readonly logRetentionDays: number;
  readonly protectData: boolean;
  /** Whether the weekday 05:00 America/New_York schedule is enabled. */
  readonly scheduleEnabled: boolean;
  /** MaxConcurrency the schedule passes (the ASL reads it with MaxConcurrencyPath). At most 100. */
  readonly maxConcurrency: number;
}

/** The placeholders the ASL file uses, each of which must receive a value. */
export const ASL_SUBSTITUTIONS = [
  'PrepareBatchFunctionArn',
  'ProcessStockFunctionArn',
  'RecordFailureFunctionArn',
  'FinalizeBatchFunctionArn',
  'MapResultsBucketName',
] as const;

export class StockFanoutWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  public readonly schedule: scheduler.Schedule;
  /** Schedule invocations that failed after all retries land here (alarmed). */
  public readonly scheduleDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: StockFanoutWorkflowProps) {
    super(scope, id);
    if (!Number.isInteger(props.maxConcurrency) || props.maxConcurrency < 1 || props.maxConcurrency > 100) {
      throw new Error(`StockFanoutWorkflow: MaxConcurrency must be a whole number from 1 to 100, not ${props.maxConcurrency}.`);
    }
    const definition = readFileSync(props.definitionFile, 'utf8');
    const placeholders = new Set([...definition.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]!));
    const missing = [...placeholders].filter((name) => !(ASL_SUBSTITUTIONS as readonly string[]).includes(name));
    if (missing.length > 0) {
      throw new Error(`StockFanoutWorkflow: the definition uses placeholders nobody substitutes: ${missing.join(', ')}.`);
    }

    const stack = Stack.of(this);
    const { prepareBatch, processStock, recordFailure, finalizeBatch } = props.functions;
    const taskAliases = [prepareBatch, processStock, recordFailure, finalizeBatch].map((fn) => fn.alias);

    // The ARNs are built from the name rather than taken from the state machine, because the role
    // must exist before the state machine does (a reference would be a circular dependency).
    const ownArn = `arn:${stack.partition}:states:${stack.region}:${stack.account}:stateMachine:${props.stateMachineName}`;
    const executionArns = `arn:${stack.partition}:states:${stack.region}:${stack.account}:execution:${props.stateMachineName}:*`;
    const mapRunExecutionArns = `arn:${stack.partition}:states:${stack.region}:${stack.account}:execution:${props.stateMachineName}/*`;

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: `Runs ${props.stateMachineName}: invokes its four functions, starts its own Distributed Map children, writes map results`,
    });
    const policy = new iam.Policy(this, 'WorkflowPolicy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'InvokeTaskFunctionAliases',
          actions: ['lambda:InvokeFunction'],
          resources: taskAliases.map((alias) => alias.functionArn),
        }),
        // A Distributed Map runs each child as an execution of this same state machine.
        new iam.PolicyStatement({ sid: 'StartMapChildExecutions', actions: ['states:StartExecution'], resources: [ownArn] }),
        new iam.PolicyStatement({
          sid: 'ManageMapChildExecutions',
          actions: ['states:DescribeExecution', 'states:StopExecution'],
          resources: [executionArns, mapRunExecutionArns],
        }),
        // Redriving a failed run redrives the Map Run's failed children (execution:<name>/<label>:<id>).
        new iam.PolicyStatement({
          sid: 'RedriveMapChildExecutions',
          actions: ['states:RedriveExecution'],
          resources: [mapRunExecutionArns],
        }),
        new iam.PolicyStatement({
          sid: 'WriteMapResults',
          actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
          resources: [props.artifacts.objectsArn(stack, MAP_RESULTS_PREFIX)],
        }),
      ],
    });
    policy.attachToRole(this.role);
    acknowledgeWildcardResources(policy, [
      {
        pattern: new RegExp(`:execution:${props.stateMachineName}[:/]\\*$`),
        reason:
          'Executions of this state machine only: Distributed Map children are executions named at run time (execution:<name>/<map run label>:<id>).',
      },
      {
        pattern: new RegExp(`/${MAP_RESULTS_PREFIX}/\\*$`),
        reason: 'Map results only: ResultWriter names its objects per Map Run under map-results/.',
      },
    ]);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by CDK for logging ALL (logs:CreateLogDelivery and friends) and X-Ray tracing; these actions do not support resource-level permissions.',
    });

    // The /aws/vendedlogs/ prefix keeps Step Functions from growing the account's log resource policy.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      // Inline (not an S3 asset) so the template itself carries the Distributed Map settings.
      definitionBody: sfn.DefinitionBody.fromString(definition),
      definitionSubstitutions: {
        PrepareBatchFunctionArn: prepareBatch.alias.functionArn,
        ProcessStockFunctionArn: processStock.alias.functionArn,
        RecordFailureFunctionArn: recordFailure.alias.functionArn,
        FinalizeBatchFunctionArn: finalizeBatch.alias.functionArn,
        MapResultsBucketName: props.artifacts.bucketName,
      },
      role: this.role,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    this.stateMachine.node.addDependency(policy);

    this.scheduleDeadLetterQueue = new sqs.Queue(this, 'ScheduleDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.scheduleDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the schedule; its depth is alarmed.',
    });
    this.schedule = new scheduler.Schedule(this, 'WeekdaySchedule', {
      description: 'Nightly stock batch, weekdays 05:00 America/New_York, before the market opens',
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: '5', weekDay: 'MON-FRI', timeZone: TimeZone.AMERICA_NEW_YORK }),
      enabled: props.scheduleEnabled,
      target: new targets.StepFunctionsStartExecution(this.stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject({ concurrency: props.maxConcurrency }),
        retryAttempts: 3,
        // Past 06:00 a late start cannot finish by the 08:00 deadline; alert instead (DLQ alarm).
        maxEventAge: Duration.hours(1),
        deadLetterQueue: this.scheduleDeadLetterQueue,
      }),
    });
  }
}
