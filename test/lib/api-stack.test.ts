import { beforeAll, describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { FaIdentity } from '../../lib/constructs/fa-identity';
import { QueryApi } from '../../lib/constructs/query-api';
import { ServiceFunction } from '../../lib/constructs/service-function';
import { handlerEntry } from '../../lib/paths';
import { buildStage, freshStack, stage } from './fixtures';

const prod = stage('prod').config;

describe('ApiStack (prod)', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(buildStage(stage('prod')).stacks.api!);
  });

  describe('query function', () => {
    it('keeps provisioned concurrency on the live alias so 500 FAs meet no cold starts', () => {
      template.hasResourceProperties('AWS::Lambda::Alias', {
        Name: 'live',
        FunctionName: { Ref: Match.stringLikeRegexp('^QueryFunction[0-9A-F]{8}$') },
        ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: prod.api.provisionedConcurrency },
      });
    });

    it("answers within API Gateway's limit, calls Bedrock and knows the allowed origins", () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'fa-prod-query-api',
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: 28,
        Environment: {
          Variables: Match.objectLike({
            FA_LLM: 'bedrock',
            FA_TABLE_PREFIX: 'fa-prod',
            POWERTOOLS_SERVICE_NAME: 'fa-query-api',
            // The configured origins and the console's distribution (a token until deploy).
            FA_CORS_ORIGINS: Match.anyValue(),
          }),
        },
      });
      const query = Object.values(template.findResources('AWS::Lambda::Function')).find(
        (f) => f.Properties.FunctionName === 'fa-prod-query-api',
      )!;
      for (const origin of prod.api.corsOrigins)
        expect(JSON.stringify(query.Properties.Environment.Variables.FA_CORS_ORIGINS)).toContain(origin);
    });
  });

  describe('REST API', () => {
    it('proxies every data route of the handler to the live alias behind the Cognito authorizer and an API key', () => {
      const operations = [
        ['POST', 'AskQuestion'],
        ['GET', 'GetSummary'],
        ['GET', 'GetSession'],
        ['GET', 'GetOpenApi'],
      ] as const;
      for (const [method, operation] of operations) {
        template.hasResourceProperties('AWS::ApiGateway::Method', {
          HttpMethod: method,
          OperationName: operation,
          AuthorizationType: 'COGNITO_USER_POOLS',
          AuthorizerId: { Ref: Match.stringLikeRegexp('FaAuthorizer') },
          ApiKeyRequired: true,
          Integration: {
            Type: 'AWS_PROXY',
            IntegrationHttpMethod: 'POST',
            Uri: { 'Fn::Join': ['', [Match.anyValue(), { Ref: Match.stringLikeRegexp('^QueryFunctionLiveAlias') }, '/invocations']] },
          },
        });
      }
      template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        Type: 'COGNITO_USER_POOLS',
        IdentitySource: 'method.request.header.Authorization',
      });
    });

    it('leaves only CORS preflight and the liveness probe unauthenticated', () => {
      const open = Object.values(template.findResources('AWS::ApiGateway::Method')).filter(
        (method) => method.Properties.AuthorizationType === 'NONE',
      );
      const notPreflight = open.filter((method) => method.Properties.HttpMethod !== 'OPTIONS');
      expect(notPreflight.map((method) => method.Properties.OperationName)).toEqual(['Health']);
      expect(notPreflight[0]!.Properties.ApiKeyRequired).toBe(false);
    });

    it('exposes exactly the routes the handler serves', () => {
      const resources = Object.values(template.findResources('AWS::ApiGateway::Resource')).map((resource) => resource.Properties.PathPart);
      expect(resources.sort()).toEqual(
        [
          'health',
          'openapi.json',
          'query',
          'sessions',
          'stocks',
          'summary',
          'v1',
          '{id}',
          '{ticker}',
          'ops',
          'runs',
          '{id}',
          'cost',
          'quality',
        ].sort(),
      );
    });

    it('validates the question body against a model before the function runs', () => {
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'POST',
        RequestValidatorId: { Ref: Match.stringLikeRegexp('BodyValidator') },
        RequestModels: { 'application/json': { Ref: Match.stringLikeRegexp('QueryRequestModel') } },
      });
      template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true });
      template.hasResourceProperties('AWS::ApiGateway::Model', {
        ContentType: 'application/json',
        Schema: Match.objectLike({
          required: ['question'],
          additionalProperties: false,
          properties: Match.objectLike({
            question: { type: 'string', minLength: 1, maxLength: 2000 },
            depth: { type: 'string', enum: ['simple', 'deep', 'auto'] },
            tickers: { type: 'array', maxItems: 10, items: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9.\\-]{0,9}$' } },
          }),
        }),
      });
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'BAD_REQUEST_BODY', StatusCode: '400' });
    });

    it('throttles the stage, traces it and writes JSON access logs', () => {
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: 'live',
        TracingEnabled: true,
        MethodSettings: [
          Match.objectLike({
            ThrottlingRateLimit: prod.api.stageRateLimit,
            ThrottlingBurstLimit: prod.api.stageBurstLimit,
            LoggingLevel: 'ERROR',
            DataTraceEnabled: false,
            MetricsEnabled: true,
          }),
        ],
      });
      const stageResource = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0]!;
      const format = JSON.parse(stageResource.Properties.AccessLogSetting.Format);
      expect(format).toMatchObject({
        requestId: '$context.requestId',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
        apiKeyId: '$context.identity.apiKeyId',
      });
    });

    it('gives every FA tool its own usage plan, throttle, daily quota and generated API key', () => {
      template.resourceCountIs('AWS::ApiGateway::UsagePlan', prod.api.clients.length);
      template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', prod.api.clients.length);
      for (const client of prod.api.clients) {
        template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
          UsagePlanName: `fa-prod-${client.id}`,
          Throttle: { RateLimit: client.rateLimit, BurstLimit: client.burstLimit },
          Quota: { Limit: client.quotaPerDay, Period: 'DAY' },
        });
      }
      const keys = Object.values(template.findResources('AWS::ApiGateway::ApiKey'));
      expect(keys.every((key) => key.Properties.Value === undefined)).toBe(true);
    });

    it('answers CORS preflight for the configured origins only', () => {
      const preflight = Object.values(template.findResources('AWS::ApiGateway::Method')).find(
        (method) => method.Properties.HttpMethod === 'OPTIONS',
      )!;
      const response = preflight.Properties.Integration.IntegrationResponses[0];
      expect(response.ResponseParameters['method.response.header.Access-Control-Allow-Origin']).toBe(`'${prod.api.corsOrigins[0]}'`);
      expect(JSON.stringify(response.ResponseTemplates['application/json'])).toContain(prod.api.corsOrigins[1]);
      expect(JSON.stringify(preflight)).not.toContain("'*'");
    });
  });

  describe('WAF', () => {
    it('puts AWS managed rules and a per-IP rate rule in front of the stage', () => {
      template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
        Rules: Match.arrayWith([
          Match.objectLike({
            Name: 'RateLimitPerIp',
            Action: { Block: {} },
            Statement: {
              RateBasedStatement: { Limit: prod.api.wafRequestsPer5MinPerIp, AggregateKeyType: 'IP', EvaluationWindowSec: 300 },
            },
          }),
          Match.objectLike({
            Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesAmazonIpReputationList' } },
          }),
          Match.objectLike({ Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } } }),
          Match.objectLike({
            Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' } },
          }),
        ]),
      });
      template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
        ResourceArn: {
          'Fn::Join': [
            '',
            [Match.stringLikeRegexp('^arn:aws:apigateway:us-east-1::/restapis/$'), Match.anyValue(), '/stages/', Match.anyValue()],
          ],
        },
      });
      template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'x-api-key' } }],
      });
    });
  });

  describe('FA identities', () => {
    it('requires MFA, a strong password and threat protection, with no self sign-up', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        MfaConfiguration: 'ON',
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 14, RequireSymbols: true }) },
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        DeletionProtection: 'ACTIVE',
      });
      // One per FA tool, and the console's (authorization code + PKCE).
      template.resourceCountIs('AWS::Cognito::UserPoolClient', prod.api.clients.length + 1);
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', { GenerateSecret: false, PreventUserExistenceErrors: 'ENABLED' });
    });
  });

  describe('canary deployment', () => {
    it('shifts 10 % for 5 minutes after the golden queries pass, rolling back on five alarms', () => {
      template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
        DeploymentGroupName: 'fa-prod-query-api',
        DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        AutoRollbackConfiguration: { Enabled: true, Events: Match.arrayWith(['DEPLOYMENT_STOP_ON_ALARM']) },
        AlarmConfiguration: { Enabled: true, Alarms: Match.anyValue() },
      });
      const group = Object.values(template.findResources('AWS::CodeDeploy::DeploymentGroup'))[0]!;
      expect(group.Properties.AlarmConfiguration.Alarms).toHaveLength(5);
      template.hasResource('AWS::Lambda::Alias', {
        Properties: { FunctionName: { Ref: Match.stringLikeRegexp('^QueryFunction[0-9A-F]{8}$') } },
        UpdatePolicy: { CodeDeployLambdaAliasUpdate: Match.objectLike({ BeforeAllowTrafficHook: Match.anyValue() }) },
      });
    });

    it("watches the new version's guardrail blocks, hallucination flags and cost per query", () => {
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
      const custom = alarms.filter((alarm) => JSON.stringify(alarm).includes('functionVersion'));
      expect(custom).toHaveLength(3);
      const text = JSON.stringify(custom);
      for (const metric of ['GuardrailBlocked', 'HallucinationFlagged', 'QueryCostUsd', 'QueryCount'])
        expect(text).toContain(`"${metric}"`);
      expect(text).toContain('"FAAdvisorAI"');
      for (const alarm of alarms) expect(alarm.Properties.AlarmDescription).toMatch(/Runbook: runbooks\/deployment-rollback\.md$/);
    });

    it('runs the golden subset of the query suite through the new version', () => {
      const hook = Object.values(template.findResources('AWS::Lambda::Function')).find(
        (fn) => fn.Properties.FunctionName === 'fa-prod-query-api-pre-traffic',
      )!;
      const checks = JSON.parse(hook.Properties.Environment.Variables.FA_GOLDEN_CHECKS);
      expect(checks.map((check: { name: string }) => check.name)).toEqual([
        'answers a golden question with citations',
        'states grounded figures for the golden stock',
        'refuses a prompt-injection attempt',
        'refuses to promise returns',
        'refuses an empty question',
      ]);
      // Real assertions on the answer, not a 200 that mentions "citations": resolving citations and supported figures.
      expect(checks[1].expect).toEqual({ statusCode: 200, citationsResolve: true, grounded: true, minGroundedFigures: 1 });
      expect(checks[2].expect).toEqual({ statusCode: 422, bodyIncludes: ['prompt_injection'] });
      expect(checks[0].event.requestContext.authorizer.claims.sub).toBe('pre-traffic-check');
    });
  });
});

describe('QueryApi', () => {
  function setUp() {
    const stack = freshStack();
    const queryFunction = new ServiceFunction(stack, 'Query', {
      entry: handlerEntry('pre-traffic-check'),
      functionName: 'fa-test-query',
      description: 'q',
      stage: 'test',
      serviceName: 'fa-query-api',
      logLevel: 'INFO',
      logRetentionDays: 7,
      protectData: false,
    });
    const identity = new FaIdentity(stack, 'Identity', { prefix: 'fa-test', toolIds: ['tool'], protectData: false });
    const base = {
      prefix: 'fa-test',
      queryFunction,
      userPool: identity.userPool,
      corsOrigins: ['https://tool.example.com'],
      stageRateLimit: 10,
      stageBurstLimit: 20,
      clients: [{ id: 'tool', rateLimit: 5, burstLimit: 10, quotaPerDay: 1000 }],
      wafRequestsPer5MinPerIp: 500,
      logRetentionDays: 7,
      protectData: false,
    } as const;
    return { stack, base };
  }

  it('refuses a wildcard CORS origin', () => {
    const { stack, base } = setUp();
    expect(() => new QueryApi(stack, 'Api', { ...base, corsOrigins: ['*'] })).toThrowError(/"\*" would let any web page/);
  });

  it('refuses a client allowed more than the whole stage', () => {
    const { stack, base } = setUp();
    expect(
      () => new QueryApi(stack, 'Api', { ...base, clients: [{ id: 'greedy', rateLimit: 50, burstLimit: 10, quotaPerDay: 1 }] }),
    ).toThrowError('QueryApi: client greedy may not exceed the stage throttle (10/s, burst 20).');
  });

  it('refuses duplicate FA tool ids', () => {
    expect(() => new FaIdentity(freshStack(), 'I', { prefix: 'fa-test', toolIds: ['a', 'a'], protectData: false })).toThrowError(/unique/);
  });
});
