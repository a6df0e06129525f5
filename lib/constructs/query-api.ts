/**
 * The FA query API: API Gateway REST with Lambda proxy integration to the query function's `live`
 * alias (so CodeDeploy's canary applies), Cognito authorization (see fa-identity.ts for why),
 * request validation, one usage plan and API key per FA tool, stage throttling, JSON access logs,
 * X-Ray, CORS limited to configured origins, and a WAF web ACL with AWS managed rules and rate
 * rules per IP and per FA credential.
 */
import {
  ArnFormat,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
  aws_apigateway as apigw,
  aws_logs as logs,
  aws_wafv2 as wafv2,
} from 'aws-cdk-lib';
import type { aws_cognito as cognito } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DepthSchema, MAX_REQUEST_TICKERS, QUESTION_MAX_CHARS } from '../../lambdas/core/contracts/api';
import type { ApiClientConfig } from '../config';
import { managedPolicyFinding } from '../nag';
import type { ServiceFunction } from './service-function';

/** WAF requests per 5 minutes per FA credential when the stage does not say (one a second, sustained). */
export const DEFAULT_WAF_REQUESTS_PER_5_MIN_PER_FA = 300;

/** The API Gateway stage, also in the URL (`…/live/v1/query`). */
export const API_STAGE_NAME = 'live';

/**
 * Body of POST /v1/query, validated by API Gateway before the function runs. It mirrors the zod
 * schema the handler validates with again (lambdas/core/contracts/api.ts) and shares its limits.
 */
export const QUERY_REQUEST_SCHEMA: apigw.JsonSchema = {
  schema: apigw.JsonSchemaVersion.DRAFT4,
  title: 'QueryRequest',
  type: apigw.JsonSchemaType.OBJECT,
  required: ['question'],
  additionalProperties: false,
  properties: {
    question: { type: apigw.JsonSchemaType.STRING, minLength: 1, maxLength: QUESTION_MAX_CHARS },
    sessionId: { type: apigw.JsonSchemaType.STRING, pattern: '^[A-Za-z0-9_-]{1,64}$' },
    tickers: {
      type: apigw.JsonSchemaType.ARRAY,
      maxItems: MAX_REQUEST_TICKERS,
      items: { type: apigw.JsonSchemaType.STRING, pattern: '^[A-Za-z][A-Za-z0-9.\\-]{0,9}$' },
    },
    depth: { type: apigw.JsonSchemaType.STRING, enum: [...DepthSchema.options] },
  },
};

export interface QueryApiProps {
  readonly prefix: string;
  readonly queryFunction: ServiceFunction;
  readonly userPool: cognito.IUserPool;
  readonly corsOrigins: readonly string[];
  readonly stageRateLimit: number;
  readonly stageBurstLimit: number;
  /** One usage plan and API key each. */
  readonly clients: readonly ApiClientConfig[];
  readonly wafRequestsPer5MinPerIp: number;
  /** Requests per 5 minutes per FA credential (Authorization header) before WAF blocks it; default 300. */
  readonly wafRequestsPer5MinPerFa?: number;
  readonly logRetentionDays: number;
  readonly protectData: boolean;
}

export class QueryApi extends Construct {
  public readonly api: apigw.RestApi;
  public readonly accessLogs: logs.LogGroup;
  public readonly webAcl: wafv2.CfnWebACL;
  public readonly apiKeys: Readonly<Record<string, apigw.IApiKey>>;

  constructor(scope: Construct, id: string, props: QueryApiProps) {
    super(scope, id);
    if (props.corsOrigins.length === 0 || props.corsOrigins.includes('*')) {
      throw new Error('QueryApi: list the FA tools\' origins for CORS; "*" would let any web page call the API with an FA\'s token.');
    }
    if (props.clients.length === 0) throw new Error('QueryApi: configure at least one FA tool client (usage plan and API key).');
    for (const client of props.clients) {
      if (client.rateLimit > props.stageRateLimit || client.burstLimit > props.stageBurstLimit) {
        throw new Error(
          `QueryApi: client ${client.id} may not exceed the stage throttle (${props.stageRateLimit}/s, burst ${props.stageBurstLimit}).`,
        );
      }
    }
    const removalPolicy = props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetentionDays as logs.RetentionDays, removalPolicy });

    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: `${props.prefix}-query-api`,
      description: 'FA questions about covered stocks, answered with citations',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      apiKeySourceType: apigw.ApiKeySourceType.HEADER,
      // API Gateway needs an account-level role to write execution logs (one per account and region).
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: API_STAGE_NAME,
        throttlingRateLimit: props.stageRateLimit,
        throttlingBurstLimit: props.stageBurstLimit,
        tracingEnabled: true,
        metricsEnabled: true,
        // Errors only and never request/response bodies: questions can carry client details.
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            extendedRequestId: '$context.extendedRequestId',
            requestTime: '$context.requestTimeEpoch',
            ip: '$context.identity.sourceIp',
            fa: '$context.authorizer.claims.sub',
            apiKeyId: '$context.identity.apiKeyId',
            method: '$context.httpMethod',
            resourcePath: '$context.resourcePath',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integration.latency',
            integrationStatus: '$context.integration.status',
            wafStatus: '$context.waf.status',
            error: '$context.error.message',
            validationError: '$context.error.validationErrorString',
            xrayTraceId: '$context.xrayTraceId',
          }),
        ),
      },
      defaultCorsPreflightOptions: {
        allowOrigins: [...props.corsOrigins],
        allowMethods: ['GET', 'POST', 'OPTIONS'],
        allowHeaders: ['Content-Type', 'Authorization', 'X-Api-Key', 'X-Amz-Date', 'X-Amz-Security-Token'],
        maxAge: Duration.minutes(10),
      },
    });

    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: managedPolicyFinding('service-role/AmazonAPIGatewayPushToCloudWatchLogs'),
        reason:
          'AmazonAPIGatewayPushToCloudWatchLogs is the AWS-maintained policy of the account-level role API Gateway uses to write execution and access logs.',
      });
    }

    // Say which field failed validation instead of API Gateway's bare "Invalid request body".
    this.api.addGatewayResponse('BadRequestBody', {
      type: apigw.ResponseType.BAD_REQUEST_BODY,
      statusCode: '400',
      templates: { 'application/json': '{"error":"invalid request","detail":"$context.error.validationErrorString"}' },
    });

    const authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'FaAuthorizer', {
      cognitoUserPools: [props.userPool],
      identitySource: apigw.IdentitySource.header('Authorization'),
      resultsCacheTtl: Duration.minutes(5),
    });
    const integration = new apigw.LambdaIntegration(props.queryFunction.alias, { proxy: true });
    const secured: apigw.MethodOptions = {
      authorizer,
      authorizationType: apigw.AuthorizationType.COGNITO,
      apiKeyRequired: true,
    };

    // The routes of lambdas/handlers/query-api.ts; anything else never reaches the function.
    const parameters = new apigw.RequestValidator(this, 'ParameterValidator', { restApi: this.api, validateRequestParameters: true });
    const v1 = this.api.root.addResource('v1');
    v1.addResource('query').addMethod('POST', integration, {
      ...secured,
      operationName: 'AskQuestion',
      requestValidator: new apigw.RequestValidator(this, 'BodyValidator', {
        restApi: this.api,
        validateRequestBody: true,
        validateRequestParameters: true,
      }),
      requestModels: {
        'application/json': new apigw.Model(this, 'QueryRequestModel', {
          restApi: this.api,
          contentType: 'application/json',
          modelName: 'QueryRequest',
          schema: QUERY_REQUEST_SCHEMA,
        }),
      },
      requestParameters: { 'method.request.header.Content-Type': true },
    });
    const stocks = v1.addResource('stocks');
    // Universe search for the console: by ticker or name.
    stocks.addMethod('GET', integration, {
      ...secured,
      operationName: 'SearchStocks',
      requestValidator: parameters,
      requestParameters: { 'method.request.querystring.q': false, 'method.request.querystring.limit': false },
    });
    stocks
      .addResource('{ticker}')
      .addResource('summary')
      .addMethod('GET', integration, {
        ...secured,
        operationName: 'GetSummary',
        requestValidator: parameters,
        requestParameters: { 'method.request.path.ticker': true, 'method.request.querystring.length': false },
      });
    v1.addResource('sessions')
      .addResource('{id}')
      .addMethod('GET', integration, {
        ...secured,
        operationName: 'GetSession',
        requestValidator: parameters,
        requestParameters: { 'method.request.path.id': true },
      });
    // Read-only operator routes (runs, cost, quality); the handler answers 403 to anyone outside the
    // Cognito operators group, so the authorizer and the handler both stand between them and an FA.
    const ops = v1.addResource('ops');
    const range = { 'method.request.querystring.from': false, 'method.request.querystring.to': false };
    const runs = ops.addResource('runs');
    runs.addMethod('GET', integration, { ...secured, operationName: 'ListRuns', requestValidator: parameters, requestParameters: range });
    runs.addResource('{id}').addMethod('GET', integration, {
      ...secured,
      operationName: 'GetRun',
      requestValidator: parameters,
      requestParameters: { 'method.request.path.id': true },
    });
    ops
      .addResource('cost')
      .addMethod('GET', integration, { ...secured, operationName: 'GetCost', requestValidator: parameters, requestParameters: range });
    ops
      .addResource('quality')
      .addMethod('GET', integration, { ...secured, operationName: 'GetQuality', requestValidator: parameters, requestParameters: range });
    this.api.root.addResource('openapi.json').addMethod('GET', integration, { ...secured, operationName: 'GetOpenApi' });
    // Liveness for FA tools and load balancers: answers {status, version, stage} and nothing else.
    const health = this.api.root.addResource('health').addMethod('GET', integration, { operationName: 'Health', apiKeyRequired: false });
    Validations.of(health).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'GET /health is a liveness probe: it returns only status, API version and stage, no FA or market data.',
    });
    Validations.of(health).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: 'GET /health is a liveness probe answered without identity; every data route uses the Cognito authorizer.',
    });

    const keys: Record<string, apigw.IApiKey> = {};
    for (const client of props.clients) {
      const plan = this.api.addUsagePlan(`UsagePlan-${client.id}`, {
        name: `${props.prefix}-${client.id}`,
        description: `Throttle and daily quota of the ${client.id} FA tool`,
        throttle: { rateLimit: client.rateLimit, burstLimit: client.burstLimit },
        quota: { limit: client.quotaPerDay, period: apigw.Period.DAY },
        apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
      });
      // No value given: API Gateway generates the key, so it never appears in a template.
      const key = this.api.addApiKey(`ApiKey-${client.id}`, {
        apiKeyName: `${props.prefix}-${client.id}`,
        description: `API key of the ${client.id} FA tool`,
      });
      plan.addApiKey(key);
      keys[client.id] = key;
    }
    this.apiKeys = keys;

    this.webAcl = this.createWebAcl(props);
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });

    // The function echoes an allowed Origin in its responses (a proxy integration owns its headers).
    props.queryFunction.addEnvironment('FA_CORS_ORIGINS', props.corsOrigins.join(','));
  }

  private createWebAcl(props: QueryApiProps): wafv2.CfnWebACL {
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${props.prefix}-${name}`,
      sampledRequestsEnabled: true,
    });
    const managed = (name: string, priority: number): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(name),
    });
    const acl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: `${props.prefix}-query-api`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('query-api'),
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: props.wafRequestsPer5MinPerIp, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
        {
          // Throttling per FA: usage plans meter each FA tool (API key), so without this one FA's
          // runaway script or a stolen token could spend the whole tool's allowance. Keyed on the
          // credential itself (WAF cannot read the token's `sub`); requests without one are left to
          // the per-IP rule and the authorizer.
          name: 'RateLimitPerFaCredential',
          priority: 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: props.wafRequestsPer5MinPerFa ?? DEFAULT_WAF_REQUESTS_PER_5_MIN_PER_FA,
              aggregateKeyType: 'CUSTOM_KEYS',
              customKeys: [{ header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } }],
              evaluationWindowSec: 300,
            },
          },
          visibilityConfig: visibility('RateLimitPerFaCredential'),
        },
        managed('AWSManagedRulesAmazonIpReputationList', 2),
        managed('AWSManagedRulesCommonRuleSet', 3),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 4),
      ],
    });
    // WAF logs must go to a log group whose name starts with aws-waf-logs-; tokens and keys redacted.
    const wafLogs = new logs.LogGroup(this, 'WafLogs', {
      logGroupName: `aws-waf-logs-${props.prefix}-query-api`,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    new wafv2.CfnLoggingConfiguration(this, 'WafLogging', {
      resourceArn: acl.attrArn,
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: wafLogs.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'x-api-key' } }],
    });
    return acl;
  }
}
