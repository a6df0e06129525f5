/**
 * Blue-green for one function: a CodeDeploy deployment group on its `live` alias, a pre-traffic
 * hook that runs golden checks against the new version before it gets any traffic, and rollback
 * alarms that watch the NEW version only (Lambda's ExecutedVersion dimension), so a healthy old
 * version cannot hide a broken new one.
 */
import {
  Duration,
  Stack,
  Validations,
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as actions,
  aws_codedeploy as codedeploy,
} from 'aws-cdk-lib';
import type { aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { GoldenCheck } from '../../lambdas/core/contracts/golden-checks';
import { acknowledgeWildcardResources, managedPolicyFinding } from '../nag';
import { handlerEntry } from '../paths';
import { SERVICE_NAMES } from '../../lambdas/core/contracts/metrics';
import { ServiceFunction } from './service-function';
import { runbookDescription } from '../runbooks';

export interface SafeDeploymentProps {
  /** The function whose `live` alias CodeDeploy shifts. */
  readonly target: ServiceFunction;
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  /** e.g. CANARY_10PERCENT_5MINUTES for the query API, ALL_AT_ONCE (after the hook) for the batch. */
  readonly deploymentConfig: codedeploy.ILambdaDeploymentConfig;
  /** Checks the pre-traffic hook runs against the new version; at least one. */
  readonly goldenChecks: readonly GoldenCheck[];
  /** Physical name of the hook function. */
  readonly hookFunctionName: string;
  readonly stage: string;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  readonly logRetentionDays: number;
  readonly protectData: boolean;
  /** Alarm state changes are published here. */
  readonly alarmTopic: sns.ITopic;
  /** P95 duration of the new version above which the deployment rolls back, ms. */
  readonly maxP95DurationMs: number;
}

export class SafeDeployment extends Construct {
  public readonly deploymentGroup: codedeploy.LambdaDeploymentGroup;
  public readonly preTrafficHook: ServiceFunction;
  /** The version number being deployed (a token), for metrics of the new version only. */
  public readonly newVersion: string;
  private readonly rollbackAlarms: cloudwatch.Alarm[] = [];
  private readonly target: ServiceFunction;
  private readonly alarmTopic: sns.ITopic;

  constructor(scope: Construct, id: string, props: SafeDeploymentProps) {
    super(scope, id);
    if (props.goldenChecks.length === 0) throw new Error(`SafeDeployment ${id}: give the pre-traffic hook at least one golden check.`);
    this.target = props.target;
    this.alarmTopic = props.alarmTopic;
    const version = props.target.function.currentVersion;
    this.newVersion = version.version;

    this.preTrafficHook = new ServiceFunction(this, 'PreTrafficHook', {
      entry: handlerEntry('pre-traffic-check'),
      functionName: props.hookFunctionName,
      description: `Golden checks against a new version of ${props.target.functionName} before it gets traffic`,
      stage: props.stage,
      serviceName: SERVICE_NAMES.deployment,
      logLevel: props.logLevel,
      logRetentionDays: props.logRetentionDays,
      protectData: props.protectData,
      memorySize: 256,
      // Enough for a golden stock's full pipeline run; CodeDeploy waits up to an hour for the verdict.
      timeout: Duration.minutes(10),
      environment: {
        FA_TARGET_FUNCTION_ARN: version.functionArn,
        FA_GOLDEN_CHECKS: JSON.stringify(props.goldenChecks),
      },
    });
    // Only the version under test, never $LATEST or the alias.
    version.grantInvoke(this.preTrafficHook.grantPrincipal);

    const application = new codedeploy.LambdaApplication(this, 'Application', { applicationName: props.applicationName });
    this.deploymentGroup = new codedeploy.LambdaDeploymentGroup(this, 'DeploymentGroup', {
      application,
      deploymentGroupName: props.deploymentGroupName,
      alias: props.target.alias,
      deploymentConfig: props.deploymentConfig,
      preHook: this.preTrafficHook.function,
      autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    });
    this.deploymentGroup.grantPutLifecycleEventHookExecutionStatus(this.preTrafficHook.grantPrincipal);
    Validations.of(this.deploymentGroup.role).acknowledge({
      id: managedPolicyFinding('service-role/AWSCodeDeployRoleForLambdaLimited'),
      reason:
        'The AWS-maintained policy for CodeDeploy Lambda deployments, scoped to reading and updating aliases and invoking CodeDeployHook_* functions.',
    });
    acknowledgeWildcardResources(this.deploymentGroup.role, [
      {
        pattern: /^<\w+\.Arn>:\*$/,
        reason: 'CDK grants CodeDeploy invoke on the pre-traffic hook and its versions (<hook arn>:*); the function is exact.',
      },
    ]);

    const versionDimensions = {
      FunctionName: props.target.functionName,
      Resource: `${props.target.functionName}:${props.target.alias.aliasName}`,
      ExecutedVersion: this.newVersion,
    };
    this.addRollbackAlarm(
      'NewVersionErrors',
      new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensionsMap: versionDimensions,
        statistic: 'Sum',
        period: Duration.minutes(1),
      }),
      {
        threshold: 1,
        runbook: 'deployment-rollback.md',
        summary: `The new version of ${props.target.functionName} threw errors during its deployment.`,
      },
    );
    this.addRollbackAlarm(
      'NewVersionP95Duration',
      new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName: 'Duration',
        dimensionsMap: versionDimensions,
        statistic: 'p95',
        period: Duration.minutes(1),
      }),
      {
        threshold: props.maxP95DurationMs,
        runbook: 'deployment-rollback.md',
        summary: `The new version of ${props.target.functionName} is slow (P95 above ${props.maxP95DurationMs} ms).`,
      },
    );
  }

  /**
   * Roll the deployment back when `metric` (of the new version) reaches `threshold`. The alarm also
   * notifies the alarm topic.
   */
  addRollbackAlarm(
    id: string,
    metric: cloudwatch.IMetric,
    options: { threshold: number; runbook: string; summary: string; evaluationPeriods?: number },
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: `${Stack.of(this).stackName}-${this.target.functionName}-${id}`,
      alarmDescription: runbookDescription(options.summary, options.runbook),
      metric,
      threshold: options.threshold,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No traffic on the new version yet is not a failure.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
    this.deploymentGroup.addAlarm(alarm);
    this.rollbackAlarms.push(alarm);
    return alarm;
  }

  /** Every alarm that rolls this deployment back. */
  get alarms(): readonly cloudwatch.Alarm[] {
    return this.rollbackAlarms;
  }
}
