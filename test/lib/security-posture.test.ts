/**
 * The AWS security posture, read from the synthesized prod templates (SECURITY.md, "Controls"):
 * who may call which route, what stands in front of the API, what is encrypted at rest and in
 * transit, where secrets live, and what each role may do. Each rule is checked over every resource
 * of its type, so a resource added later is held to it without anyone remembering to add a test.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  App,
  SecretValue,
  Stack,
  Validations,
  aws_apigateway as apigw,
  aws_elasticache as elasticache,
  aws_iam as iam,
  aws_s3 as s3,
  aws_secretsmanager as secretsmanager,
  aws_sns as sns,
} from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { buildStage, NO_BUNDLING, stage, templatesOf } from './fixtures';
import {
  literalSecrets,
  ofType,
  overbroadGrants,
  routes,
  unauthenticatedRoutes,
  unencryptedStores,
  unvalidatedRoutes,
} from './posture-checks';
import type { Resources } from './posture-checks';

const prod = stage('prod').config;

let templates: ReturnType<typeof templatesOf>;
let all: Resources;
let api: Resources;

/** A stack's resources keyed `<stack>/<logicalId>`. */
const keyed = (stack: string, template: Template): Resources =>
  Object.fromEntries(Object.entries(template.toJSON().Resources as Resources).map(([id, resource]) => [`${stack}/${id}`, resource]));

beforeAll(() => {
  templates = templatesOf(buildStage(stage('prod')).stacks);
  all = Object.assign(
    {},
    ...Object.entries(templates).flatMap(([stack, template]) => (template ? [keyed(stack, template)] : [])),
  ) as Resources;
  api = keyed('api', templates.api!);
});

const openApi = JSON.parse(readFileSync('docs/openapi.json', 'utf8')) as {
  paths: Record<string, Record<string, { security?: unknown[]; responses?: Record<string, any> }>>;
  components: { schemas: Record<string, { properties?: object }> };
};
/** Routes of the OpenAPI document, and those it documents as public (`security: []`). */
const documented = Object.entries(openApi.paths).flatMap(([path, operations]) =>
  Object.entries(operations).map(([verb, operation]) => ({
    route: `${verb.toUpperCase()} ${path}`,
    public: Array.isArray(operation.security) && operation.security.length === 0,
  })),
);
const PUBLIC_ROUTES: ReadonlySet<string> = new Set(documented.filter((route) => route.public).map((route) => route.route));

/** Acknowledged cdk-nag rules in a synthesized app: construct path, rule id, reason. */
function acknowledgements(app: App): Array<{ construct: IConstruct; rule: string; reason: string }> {
  app.synth(); // some acknowledgements are computed by an aspect during synthesis
  return (app.node.findAll() as IConstruct[]).flatMap((construct) =>
    construct.node.metadata
      .filter((meta) => meta.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && meta.data)
      .flatMap((meta) => Object.entries(meta.data as Record<string, string>))
      .map(([rule, reason]) => ({ construct, rule: rule.replace(/^annotation::/i, ''), reason }))
      .filter(({ rule }) => rule.startsWith('AwsSolutions-')),
  );
}

describe('API Gateway (prod)', () => {
  it('deploys exactly the routes of the OpenAPI document (besides CORS preflights), so none escapes the checks below', () => {
    const deployed = routes(api)
      .filter(({ method }) => method.HttpMethod !== 'OPTIONS')
      .map(({ route }) => route)
      .sort();
    expect(deployed).toEqual(documented.map(({ route }) => route).sort());
  });

  it('puts the Cognito authorizer and an API key on every route except the liveness probe the OpenAPI document marks public', () => {
    expect([...PUBLIC_ROUTES]).toEqual(['GET /health']);
    expect(unauthenticatedRoutes(api, PUBLIC_ROUTES)).toEqual([]);
    const authorizers = ofType(api, 'AWS::ApiGateway::Authorizer');
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0]![1].Properties).toMatchObject({
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
    });
    const health = routes(api).find(({ route }) => route === 'GET /health')!;
    expect(health.method.AuthorizationType).toBe('NONE');
  });

  it('keeps the public liveness probe to status, version and stage, as its documentation says', () => {
    const schema = JSON.stringify(openApi.paths['/health']!.get!.responses!['200'].content['application/json'].schema);
    const name = /#\/components\/schemas\/(\w+)/.exec(schema)![1]!;
    expect(Object.keys(openApi.components.schemas[name]!.properties ?? {}).sort()).toEqual(['stage', 'status', 'version']);
  });

  it('validates every body against a closed model with bounded fields, and every declared parameter, before the function runs', () => {
    expect(unvalidatedRoutes(api)).toEqual([]);
    expect(routes(api).some(({ method }) => method.HttpMethod === 'POST')).toBe(true);
  });

  it('throttles the stage, each FA tool (a usage plan with a quota per API key) and each FA credential (WAF)', () => {
    const [, stageResource] = ofType(api, 'AWS::ApiGateway::Stage')[0]!;
    expect(stageResource.Properties!.MethodSettings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ResourcePath: '/*',
          HttpMethod: '*',
          ThrottlingRateLimit: prod.api.stageRateLimit,
          ThrottlingBurstLimit: prod.api.stageBurstLimit,
        }),
      ]),
    );
    const plans = ofType(api, 'AWS::ApiGateway::UsagePlan').map(([id, plan]): Record<string, any> => ({
      id: id.slice('api/'.length),
      ...plan.Properties!,
    }));
    const planKeys = ofType(api, 'AWS::ApiGateway::UsagePlanKey').map(([, key]) => key.Properties!);
    expect(plans).toHaveLength(prod.api.clients.length);
    for (const client of prod.api.clients) {
      const plan = plans.find((candidate) => candidate.UsagePlanName === `fa-prod-${client.id}`)!;
      expect(plan.Throttle).toEqual({ RateLimit: client.rateLimit, BurstLimit: client.burstLimit });
      expect(plan.Quota).toEqual({ Limit: client.quotaPerDay, Period: 'DAY' });
      expect(planKeys.filter((key) => key.UsagePlanId.Ref === plan.id)).toHaveLength(1);
    }
    const [, acl] = ofType(api, 'AWS::WAFv2::WebACL')[0]!;
    const perFa = (acl.Properties!.Rules as Array<Record<string, any>>).find((rule) => rule.Name === 'RateLimitPerFaCredential');
    expect(perFa).toMatchObject({
      Action: { Block: {} },
      Statement: {
        RateBasedStatement: {
          Limit: prod.api.wafRequestsPer5MinPerFa,
          AggregateKeyType: 'CUSTOM_KEYS',
          CustomKeys: [{ Header: { Name: 'authorization', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }],
          EvaluationWindowSec: 300,
        },
      },
    });
  });

  it('puts a WAF web ACL on the stage with enforcing AWS managed rule groups and rate rules that block', () => {
    const acls = ofType(api, 'AWS::WAFv2::WebACL');
    expect(acls).toHaveLength(1);
    const [aclId, acl] = acls[0]!;
    const rules = acl.Properties!.Rules as Array<Record<string, any>>;
    const managed = rules.filter((rule) => rule.Statement.ManagedRuleGroupStatement);
    expect(managed.map((rule) => rule.Statement.ManagedRuleGroupStatement.Name)).toEqual(
      expect.arrayContaining([
        'AWSManagedRulesCommonRuleSet',
        'AWSManagedRulesKnownBadInputsRuleSet',
        'AWSManagedRulesAmazonIpReputationList',
      ]),
    );
    // An override to Count would only watch.
    for (const rule of managed) expect(rule.OverrideAction).toEqual({ None: {} });
    const rateRules = rules.filter((rule) => rule.Statement.RateBasedStatement);
    expect(rateRules.map((rule) => rule.Name).sort()).toEqual(['RateLimitPerFaCredential', 'RateLimitPerIp']);
    for (const rule of rateRules) expect(rule.Action).toEqual({ Block: {} });
    const [, association] = ofType(api, 'AWS::WAFv2::WebACLAssociation')[0]!;
    expect(association.Properties!.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId.slice('api/'.length), 'Arn'] });
  });

  it('never logs request or response bodies (questions can carry client details) and redacts credentials in WAF logs', () => {
    const [, stageResource] = ofType(api, 'AWS::ApiGateway::Stage')[0]!;
    for (const setting of stageResource.Properties!.MethodSettings as Array<Record<string, unknown>>)
      expect(setting.DataTraceEnabled).toBe(false);
    const [, logging] = ofType(api, 'AWS::WAFv2::LoggingConfiguration')[0]!;
    expect(logging.Properties!.RedactedFields).toEqual([
      { SingleHeader: { Name: 'authorization' } },
      { SingleHeader: { Name: 'x-api-key' } },
    ]);
  });

  it('signs FAs in with MFA, threat protection and no self sign-up, with hour-long revocable tokens', () => {
    const [, pool] = ofType(api, 'AWS::Cognito::UserPool')[0]!;
    expect(pool.Properties).toMatchObject({
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      Policies: { PasswordPolicy: expect.objectContaining({ MinimumLength: 14 }) },
    });
    const clients = ofType(api, 'AWS::Cognito::UserPoolClient');
    // One per FA tool, and the FA console's (lib/constructs/web-console.ts).
    expect(clients).toHaveLength(prod.api.clients.length + 1);
    for (const [, client] of clients) {
      expect(client.Properties).toMatchObject({
        GenerateSecret: false,
        EnableTokenRevocation: true,
        PreventUserExistenceErrors: 'ENABLED',
        IdTokenValidity: 60,
      });
    }
  });
});

describe('encryption at rest and in transit (prod)', () => {
  it('encrypts every table, bucket, topic, queue and key at rest and refuses requests without TLS', () => {
    expect(unencryptedStores(all)).toEqual([]);
    for (const type of ['AWS::DynamoDB::GlobalTable', 'AWS::S3::Bucket', 'AWS::SNS::Topic', 'AWS::SQS::Queue', 'AWS::KMS::Key']) {
      expect({ type, count: ofType(all, type).length > 0 }).toEqual({ type, count: true });
    }
  });

  it('keeps point-in-time recovery on every table', () => {
    for (const [id, table] of ofType(all, 'AWS::DynamoDB::GlobalTable')) {
      for (const replica of table.Properties!.Replicas) {
        expect({ id, pitr: replica.PointInTimeRecoverySpecification }).toEqual({ id, pitr: { PointInTimeRecoveryEnabled: true } });
      }
    }
  });

  it('uses a serverless cache (TLS and encryption at rest always on) behind a TLS URL, with password users and the default user off', () => {
    expect(ofType(all, 'AWS::ElastiCache::ServerlessCache')).toHaveLength(1);
    const network = templates.network.toJSON() as { Outputs: Record<string, { Value: unknown }> };
    expect(JSON.stringify(network.Outputs.CacheEndpoint!.Value)).toContain('"rediss://"');
    const users = ofType(all, 'AWS::ElastiCache::User').map(([, user]) => user.Properties!);
    expect(users.map((user) => user.UserName)).toContain('default');
    for (const user of users.filter((candidate) => candidate.UserName !== 'default')) {
      expect(user.AuthenticationMode.Type).toBe('password');
      expect(JSON.stringify(user.AuthenticationMode.Passwords)).toContain('{{resolve:secretsmanager:');
      expect(user.AccessString).toContain('-@dangerous');
    }
  });

  it('admits the cache only from the security groups of its clients, never from an address range', () => {
    const ingress = ofType(all, 'AWS::EC2::SecurityGroupIngress');
    expect(ingress.length).toBeGreaterThan(0);
    for (const [id, rule] of ingress) {
      expect({
        id,
        cidr: rule.Properties!.CidrIp ?? rule.Properties!.CidrIpv6,
        source: Boolean(rule.Properties!.SourceSecurityGroupId),
      }).toEqual({
        id,
        cidr: undefined,
        source: true,
      });
    }
    for (const [id, group] of ofType(all, 'AWS::EC2::SecurityGroup')) {
      expect({ id, inline: group.Properties!.SecurityGroupIngress ?? [] }).toEqual({ id, inline: [] });
    }
  });
});

describe('secrets (prod)', () => {
  it('keeps every secret in Secrets Manager, generated there: no secret value in any template', () => {
    expect(ofType(all, 'AWS::SecretsManager::Secret').length).toBeGreaterThan(0);
    expect(literalSecrets(all)).toEqual([]);
  });

  it('rotates every secret whose provider has a rotation, and says why (naming the runbook) for the rest', () => {
    const app = buildStage(stage('prod')).app;
    const acknowledged = acknowledgements(app);
    const constructs = app.node.findAll() as IConstruct[];
    const secrets = constructs.filter((construct): construct is secretsmanager.CfnSecret => construct instanceof secretsmanager.CfnSecret);
    expect(secrets.length).toBe(ofType(all, 'AWS::SecretsManager::Secret').length);
    for (const secret of secrets) {
      const stack = Stack.of(secret);
      const ref = JSON.stringify({ Ref: stack.resolve(secret.logicalId) });
      const rotated = constructs.some(
        (construct) =>
          construct instanceof secretsmanager.CfnRotationSchedule &&
          Stack.of(construct) === stack &&
          JSON.stringify(stack.resolve(construct.secretId)) === ref,
      );
      if (rotated) continue;
      // Not rotated: the secret (or its L2 wrapper) acknowledges AwsSolutions-SMG4 saying why, and where the manual rotation is.
      const reason = acknowledged.find(
        ({ construct, rule }) => rule === 'AwsSolutions-SMG4' && (construct === secret || construct === secret.node.scope),
      )?.reason;
      expect({ secret: secret.node.path, reason }).toEqual({
        secret: secret.node.path,
        reason: expect.stringMatching(/rotat[\s\S]*runbooks\/[\w-]+\.md/),
      });
    }
  });
});

describe('least-privilege IAM (prod)', () => {
  it('grants no whole service, no wildcard action on data, Resource "*" only where AWS has no resource-level permission, and only service-role managed policies', () => {
    expect(overbroadGrants(all)).toEqual([]);
    expect(ofType(all, 'AWS::IAM::Policy').length).toBeGreaterThan(10);
  });
});

describe('cdk-nag (prod)', () => {
  it('gives every acknowledged finding a reason of at least a sentence', () => {
    const found = acknowledgements(buildStage(stage('prod')).app);
    expect(found.length).toBeGreaterThan(0);
    for (const { construct, rule, reason } of found) {
      expect({ path: construct.node.path, rule, sentence: reason.trim().length >= 40 }).toEqual({
        path: construct.node.path,
        rule,
        sentence: true,
      });
    }
  });
});

describe('each posture rule fails on the weakness it exists to stop', () => {
  /** A careless stack: every weakness the rules above look for, once. */
  function careless(): Resources {
    const app = new App({ context: NO_BUNDLING });
    const stack = new Stack(app, 'Careless', { env: { region: 'us-east-1' } });
    const restApi = new apigw.RestApi(stack, 'Api', { deploy: false });
    restApi.root.addResource('open').addMethod('GET', new apigw.MockIntegration());
    restApi.root.addResource('loose').addMethod('POST', new apigw.MockIntegration(), { apiKeyRequired: true });
    new s3.Bucket(stack, 'Plain', { enforceSSL: false, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY });
    new sns.Topic(stack, 'Clear');
    const role = new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')],
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    new secretsmanager.Secret(stack, 'Written', { secretStringValue: SecretValue.unsafePlainText('hunter2-hunter2') });
    new elasticache.CfnUser(stack, 'OpenUser', {
      engine: 'valkey',
      userId: 'careless-app',
      userName: 'careless-app',
      accessString: 'on ~* +@all',
      authenticationMode: { Type: 'no-password-required' },
    });
    return keyed('careless', Template.fromStack(stack));
  }

  let weak: Resources;
  beforeAll(() => {
    weak = careless();
  });

  it('a route without the authorizer or an API key', () => {
    expect(unauthenticatedRoutes(weak, new Set())).toEqual([
      'GET /open: authorization NONE, no authorizer, no API key',
      'POST /loose: authorization NONE, no authorizer',
    ]);
  });

  it('a body that reaches the integration unvalidated', () => {
    expect(unvalidatedRoutes(weak)).toEqual(['POST /loose: body not validated, no closed body model']);
  });

  it('a bucket without TLS enforcement or a full public access block, a topic without KMS or TLS, a cache user without a password', () => {
    const problems = unencryptedStores(weak).map((line) => line.replace(/[0-9A-F]{8}:/, ':'));
    expect(problems).toEqual([
      'careless/Plain: bucket without default encryption',
      'careless/Plain: bucket without a full public access block',
      'careless/Plain: bucket accepts requests without TLS',
      'careless/Clear: topic without KMS encryption',
      'careless/Clear: topic accepts publishing without TLS',
      'careless/OpenUser: cache user careless-app can run commands without a password',
    ]);
  });

  it('a whole-service grant, a data action on Resource "*" and an administrator policy', () => {
    const problems = overbroadGrants(weak).map((line) => line.replace(/[0-9A-F]{8}:/, ':'));
    expect(problems).toEqual(
      expect.arrayContaining([
        'careless/RoleDefaultPolicy: dynamodb:* grants a whole service',
        'careless/RoleDefaultPolicy: dynamodb:* on Resource "*"',
        'careless/RoleDefaultPolicy: s3:GetObject on Resource "*"',
        'careless/Role: managed policy AdministratorAccess',
      ]),
    );
  });

  it('a secret value written into the template', () => {
    expect(literalSecrets(weak).map((line) => line.replace(/[0-9A-F]{8}:/, ':'))).toEqual([
      'careless/Written: secret value in the template',
      'careless/Written: a credential written as a literal',
    ]);
  });
});
