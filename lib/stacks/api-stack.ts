/**
 * The FA query API: the query function (provisioned concurrency on its alias), Cognito identities
 * of FAs, the REST API with WAF, and the canary deployment with rollback alarms on the new version.
 */
import { CfnOutput, Duration, Lazy, Stack, aws_cloudwatch as cloudwatch, aws_codedeploy as codedeploy } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { resourcePrefix } from '../config';
import type { BedrockModels } from '../constructs/bedrock-models';
import { FaIdentity } from '../constructs/fa-identity';
import { API_STAGE_NAME, QueryApi } from '../constructs/query-api';
import { SafeDeployment } from '../constructs/safe-deployment';
import { ServiceFunction } from '../constructs/service-function';
import { WebConsole } from '../constructs/web-console';
import { queryGoldenChecks } from '../golden-checks';
import { METRICS_NAMESPACE, QUERY_METRICS, SERVICE_NAMES } from '../../lambdas/core/contracts/metrics';
import { deploymentTarget, stageNames } from '../names';
import type { DataStack } from './data-stack';
import { BATCH_BUNDLED_FILES } from './pipeline-stack';
import { TABLES } from '../../lambdas/core/contracts/tables';
import type { TableKey } from '../../lambdas/core/contracts/tables';

/** Tables the batch writes and the query API only reads. */
const BATCH_OUTPUT_TABLES: readonly TableKey[] = ['summaries', 'chunks'];
/** Every other table except run audits belongs to the query side. */
const QUERY_OWNED_TABLES: readonly TableKey[] = (Object.keys(TABLES) as TableKey[]).filter(
  (key) => key !== 'runs' && !BATCH_OUTPUT_TABLES.includes(key),
);

export interface ApiStackProps extends StackProps {
  readonly stage: string;
  readonly config: StageConfig;
  readonly data: DataStack;
  readonly bedrock: BedrockModels;
  /** The query handler module (lambdas/handlers/query-api.ts); tests pass a stand-in. */
  readonly queryEntry: string;
  /** The built FA console (web/dist); deployed when it exists at synth time. */
  readonly webDistPath: string;
}

export class ApiStack extends Stack {
  public readonly queryFunction: ServiceFunction;
  public readonly identity: FaIdentity;
  public readonly queryApi: QueryApi;
  public readonly deployment: SafeDeployment;
  public readonly console: WebConsole;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { stage, config, data } = props;
    const names = stageNames(stage);
    const prefix = resourcePrefix(stage);

    this.queryFunction = new ServiceFunction(this, 'QueryFunction', {
      entry: props.queryEntry,
      functionName: names.functions.queryApi,
      description: 'Answers FA questions with citations, behind input and output guardrails',
      stage,
      serviceName: SERVICE_NAMES.query,
      logLevel: config.logLevel,
      logRetentionDays: config.logRetentionDays,
      protectData: config.protectData,
      memorySize: config.api.queryMemoryMb,
      // API Gateway gives up at 29 s; answering later than that helps nobody.
      timeout: Duration.seconds(28),
      provisionedConcurrency: config.api.provisionedConcurrency,
      bundledFiles: BATCH_BUNDLED_FILES,
    });
    // Reads what the batch wrote; reads and writes its own tables (sessions, answer cache, …).
    data.tables.bindRead(this.queryFunction, BATCH_OUTPUT_TABLES);
    data.tables.bindReadWrite(this.queryFunction, QUERY_OWNED_TABLES);
    props.bedrock.bind(this.queryFunction);
    // The ticker resolver reads the batch's universe.
    data.sourceData.bindReader(this.queryFunction, 'universe');

    this.identity = new FaIdentity(this, 'FaIdentity', {
      prefix,
      toolIds: config.api.clients.map((client) => client.id),
      protectData: config.protectData,
    });
    this.queryApi = new QueryApi(this, 'QueryApi', {
      prefix,
      queryFunction: this.queryFunction,
      userPool: this.identity.userPool,
      // The console's origin is the distribution's, known only once the console exists (below).
      corsOrigins: [...config.api.corsOrigins, Lazy.string({ produce: () => this.console.origin })],
      stageRateLimit: config.api.stageRateLimit,
      stageBurstLimit: config.api.stageBurstLimit,
      clients: config.api.clients,
      wafRequestsPer5MinPerIp: config.api.wafRequestsPer5MinPerIp,
      wafRequestsPer5MinPerFa: config.api.wafRequestsPer5MinPerFa,
      logRetentionDays: config.logRetentionDays,
      protectData: config.protectData,
    });

    // Built from the API's id alone: the API's stage depends (through CORS) on the distribution,
    // so the distribution's CSP must not depend on the stage.
    const apiOrigin = `https://${this.queryApi.api.restApiId}.execute-api.${this.region}.${this.urlSuffix}`;
    this.console = new WebConsole(this, 'Console', {
      prefix,
      stage,
      userPool: this.identity.userPool,
      apiOrigin,
      apiBase: `${apiOrigin}/${API_STAGE_NAME}`,
      webDistPath: props.webDistPath,
      cognitoDomainPrefix: config.console.cognitoDomainPrefix,
      extraCallbackUrls: config.console.extraCallbackUrls,
      protectData: config.protectData,
    });

    const target = deploymentTarget(stage, 'query-api');
    this.deployment = new SafeDeployment(this, 'QueryDeployment', {
      target: this.queryFunction,
      applicationName: target.application,
      deploymentGroupName: target.deploymentGroup,
      deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
      goldenChecks: queryGoldenChecks(config.batch.goldenStock),
      hookFunctionName: names.functions.queryPreTrafficCheck,
      stage,
      logLevel: config.logLevel,
      logRetentionDays: config.logRetentionDays,
      protectData: config.protectData,
      alarmTopic: data.alarms.topic,
      maxP95DurationMs: config.alarms.maxQueryP95Ms,
    });
    // Quality and cost of the new version alone: the query handler adds a functionVersion dimension.
    const newVersion = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: SERVICE_NAMES.query, stage, functionVersion: this.deployment.newVersion },
        statistic,
        period: Duration.minutes(1),
      });
    const rate = (label: string, numerator: string) =>
      new cloudwatch.MathExpression({
        expression: 'IF(queries >= 5, 100 * hits / queries, 0)',
        usingMetrics: { hits: newVersion(numerator, 'Sum'), queries: newVersion(QUERY_METRICS.count, 'Sum') },
        period: Duration.minutes(1),
        label,
      });
    this.deployment.addRollbackAlarm('NewVersionGuardrailBlockRate', rate('guardrail blocks (%)', QUERY_METRICS.guardrailBlocked), {
      threshold: 20,
      evaluationPeriods: 2,
      runbook: 'deployment-rollback.md',
      summary: 'The new query version blocks more than 20 % of questions at the guardrails (expected: a few %).',
    });
    this.deployment.addRollbackAlarm(
      'NewVersionHallucinationFlagRate',
      rate('hallucination flags (%)', QUERY_METRICS.hallucinationFlagged),
      {
        threshold: 5,
        evaluationPeriods: 2,
        runbook: 'deployment-rollback.md',
        summary: 'The new query version has more than 5 % of its answers flagged by the hallucination checks.',
      },
    );
    this.deployment.addRollbackAlarm('NewVersionCostPerQuery', newVersion(QUERY_METRICS.costUsd, 'Average'), {
      threshold: config.alarms.maxCostPerQueryUsd,
      evaluationPeriods: 2,
      runbook: 'deployment-rollback.md',
      summary: `The new query version costs more than $${config.alarms.maxCostPerQueryUsd} per query.`,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.queryApi.api.url });
    new CfnOutput(this, 'ConsoleUrl', { value: `${this.console.origin}/` });
    new CfnOutput(this, 'ConsoleClientId', { value: this.console.client.userPoolClientId });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    for (const [toolId, client] of Object.entries(this.identity.clients)) {
      new CfnOutput(this, `UserPoolClient-${toolId}`, { value: client.userPoolClientId });
    }
    for (const [toolId, key] of Object.entries(this.queryApi.apiKeys)) {
      new CfnOutput(this, `ApiKeyId-${toolId}`, {
        value: key.keyId,
        description: `aws apigateway get-api-key --include-value --api-key <id> reveals the ${toolId} key`,
      });
    }
  }
}
