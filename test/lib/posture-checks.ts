/**
 * Security-posture rules over synthesized CloudFormation resources, each returning its violations
 * as one line apiece (an empty list is a pass). test/lib/security-posture.test.ts applies them to
 * the prod stage and to planted weaknesses, so every rule is shown both holding and failing.
 */

export type Resource = { Type: string; Properties?: Record<string, any>; [key: string]: unknown };
/** Resources keyed `<stack>/<logicalId>` (logical ids are unique per stack, not per stage). */
export type Resources = Record<string, Resource>;

/** Resources of one type, each with its Properties (an empty object when the template has none). */
export const ofType = (resources: Resources, type: string): Array<[string, Resource & { Properties: Record<string, any> }]> =>
  Object.entries(resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id, resource]) => [id, { ...resource, Properties: resource.Properties ?? {} }]);

export const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const stackOf = (id: string) => id.slice(0, id.indexOf('/'));
const localId = (id: string) => id.slice(id.indexOf('/') + 1);

/** `/v1/stocks/{ticker}/summary` of an API Gateway resource reference, walking PathPart up to the root. */
function pathOf(resources: Resources, stack: string, resourceId: unknown): string {
  const ref = (resourceId as { Ref?: string }).Ref;
  if (!ref) return ''; // Fn::GetAtt …RootResourceId: the root
  const resource = resources[`${stack}/${ref}`]!;
  return `${pathOf(resources, stack, resource.Properties!.ParentId)}/${resource.Properties!.PathPart as string}`;
}

export interface Route {
  readonly id: string;
  /** `METHOD /path`. */
  readonly route: string;
  readonly method: Record<string, any>;
}

/** Every API Gateway method as a route. */
export function routes(resources: Resources): Route[] {
  return ofType(resources, 'AWS::ApiGateway::Method').map(([id, method]) => ({
    id,
    route: `${method.Properties!.HttpMethod as string} ${pathOf(resources, stackOf(id), method.Properties!.ResourceId) || '/'}`,
    method: method.Properties!,
  }));
}

/**
 * Routes without the Cognito authorizer and an API key, other than CORS preflights (which carry no
 * credentials by design and must answer from a MOCK integration) and the documented public routes.
 */
export function unauthenticatedRoutes(resources: Resources, publicRoutes: ReadonlySet<string>): string[] {
  return routes(resources).flatMap(({ route, method }) => {
    if (method.HttpMethod === 'OPTIONS')
      return method.Integration?.Type === 'MOCK' ? [] : [`${route} is a preflight that reaches an integration`];
    if (publicRoutes.has(route)) return [];
    const problems = [
      method.AuthorizationType !== 'COGNITO_USER_POOLS' && `authorization ${String(method.AuthorizationType)}`,
      !method.AuthorizerId && 'no authorizer',
      method.ApiKeyRequired !== true && 'no API key',
    ].filter(Boolean);
    return problems.length > 0 ? [`${route}: ${problems.join(', ')}`] : [];
  });
}

/** Routes whose body or declared parameters reach the integration unvalidated. */
export function unvalidatedRoutes(resources: Resources): string[] {
  return routes(resources).flatMap(({ id, route, method }) => {
    if (method.HttpMethod === 'OPTIONS') return [];
    const validatorRef = method.RequestValidatorId?.Ref as string | undefined;
    const validator = validatorRef ? resources[`${stackOf(id)}/${validatorRef}`]?.Properties : undefined;
    const problems: string[] = [];
    if (Object.keys(method.RequestParameters ?? {}).length > 0 && validator?.ValidateRequestParameters !== true)
      problems.push('parameters not validated');
    if (['POST', 'PUT', 'PATCH'].includes(method.HttpMethod)) {
      if (validator?.ValidateRequestBody !== true) problems.push('body not validated');
      const modelRef = method.RequestModels?.['application/json']?.Ref as string | undefined;
      const schema = modelRef ? resources[`${stackOf(id)}/${modelRef}`]?.Properties?.Schema : undefined;
      if (!schema || schema.additionalProperties !== false) problems.push('no closed body model');
      for (const [name, property] of Object.entries((schema?.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (!['maxLength', 'pattern', 'enum', 'maxItems'].some((key) => key in property)) problems.push(`field ${name} unbounded`);
      }
    }
    return problems.length > 0 ? [`${route}: ${problems.join(', ')}`] : [];
  });
}

/** Whether a resource policy denies every principal any request that is not over TLS. */
function deniesPlainTransport(document: { Statement: Array<Record<string, any>> } | undefined): boolean {
  return asArray(document?.Statement).some(
    (statement) =>
      statement.Effect === 'Deny' &&
      JSON.stringify(statement.Principal).includes('*') &&
      statement.Condition?.Bool?.['aws:SecureTransport'] === 'false',
  );
}

/** The resource policy of `type` in the same stack whose `field` references `id`. */
function policyFor(resources: Resources, type: string, field: string, id: string): { Statement: Array<Record<string, any>> } | undefined {
  return Object.entries(resources).find(
    ([candidate, resource]) =>
      stackOf(candidate) === stackOf(id) &&
      resource.Type === type &&
      JSON.stringify(resource.Properties![field]).includes(`"${localId(id)}"`),
  )?.[1].Properties!.PolicyDocument;
}

/** Stores of data not encrypted at rest, or reachable without TLS. */
export function unencryptedStores(resources: Resources): string[] {
  const problems: string[] = [];
  for (const [id, table] of [...ofType(resources, 'AWS::DynamoDB::GlobalTable'), ...ofType(resources, 'AWS::DynamoDB::Table')]) {
    // AWS::DynamoDB::Table without SSESpecification is encrypted with an AWS-owned key we cannot audit.
    if (table.Properties!.SSESpecification?.SSEEnabled !== true) problems.push(`${id}: table without KMS encryption`);
  }
  for (const [id, bucket] of ofType(resources, 'AWS::S3::Bucket')) {
    if (!bucket.Properties!.BucketEncryption) problems.push(`${id}: bucket without default encryption`);
    const block = bucket.Properties!.PublicAccessBlockConfiguration ?? {};
    if (!['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'].every((key) => block[key] === true)) {
      problems.push(`${id}: bucket without a full public access block`);
    }
    if (!deniesPlainTransport(policyFor(resources, 'AWS::S3::BucketPolicy', 'Bucket', id)))
      problems.push(`${id}: bucket accepts requests without TLS`);
  }
  for (const [id, topic] of ofType(resources, 'AWS::SNS::Topic')) {
    if (!topic.Properties!.KmsMasterKeyId) problems.push(`${id}: topic without KMS encryption`);
    if (!deniesPlainTransport(policyFor(resources, 'AWS::SNS::TopicPolicy', 'Topics', id)))
      problems.push(`${id}: topic accepts publishing without TLS`);
  }
  for (const [id, queue] of ofType(resources, 'AWS::SQS::Queue')) {
    if (queue.Properties!.SqsManagedSseEnabled !== true && !queue.Properties!.KmsMasterKeyId)
      problems.push(`${id}: queue without encryption`);
    if (!deniesPlainTransport(policyFor(resources, 'AWS::SQS::QueuePolicy', 'Queues', id)))
      problems.push(`${id}: queue accepts requests without TLS`);
  }
  for (const [id, key] of ofType(resources, 'AWS::KMS::Key'))
    if (key.Properties!.EnableKeyRotation !== true) problems.push(`${id}: key without rotation`);
  for (const [id, group] of ofType(resources, 'AWS::ElastiCache::ReplicationGroup')) {
    if (group.Properties!.TransitEncryptionEnabled !== true || group.Properties!.AtRestEncryptionEnabled !== true)
      problems.push(`${id}: cache without TLS or encryption at rest`);
  }
  for (const [id] of ofType(resources, 'AWS::ElastiCache::CacheCluster'))
    problems.push(`${id}: a node cluster, which cannot enforce TLS and auth`);
  for (const [id, user] of ofType(resources, 'AWS::ElastiCache::User')) {
    const p = user.Properties!;
    if (p.UserName === 'default' ? !/^off /.test(p.AccessString) : p.AuthenticationMode?.Type === 'no-password-required') {
      problems.push(`${id}: cache user ${p.UserName} can run commands without a password`);
    }
  }
  return problems;
}

/** Services that hold data: a wildcard action or `Resource: "*"` on them is never least privilege. */
export const DATA_SERVICES = [
  'dynamodb',
  's3',
  'sns',
  'sqs',
  'kms',
  'secretsmanager',
  'elasticache',
  'bedrock',
  'states',
  'lambda',
  'cognito-idp',
];

/**
 * Actions allowed on `Resource: "*"`, each because AWS offers no resource-level permission for it.
 * A new entry here is a reviewed decision, not a way to make a test pass.
 */
export const RESOURCELESS_ACTIONS: ReadonlySet<string> = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  // Lambda manages a VPC function's network interfaces (what AWSLambdaVPCAccessExecutionRole grants).
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
  // Step Functions' vended log delivery to CloudWatch Logs.
  'logs:CreateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:DescribeLogGroups',
  'logs:DescribeResourcePolicies',
  'logs:GetLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:UpdateLogDelivery',
  'cloudwatch:PutMetricData',
]);

/** AWS managed policies a role may carry: each is AWS's own for exactly one service role. */
export const ALLOWED_MANAGED_POLICIES = [
  'service-role/AWSCodeDeployRoleForLambdaLimited',
  'service-role/AmazonAPIGatewayPushToCloudWatchLogs',
  // CDK's custom resource that strips the default security group's rules.
  'service-role/AWSLambdaBasicExecutionRole',
];

/** Every Allow statement of every identity policy (inline, role and managed policies). */
export function identityStatements(resources: Resources): Array<{ id: string; statement: Record<string, any> }> {
  return Object.entries(resources).flatMap(([id, resource]) => {
    const documents =
      resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy'
        ? [resource.Properties!.PolicyDocument]
        : resource.Type === 'AWS::IAM::Role'
          ? asArray(resource.Properties!.Policies as Array<{ PolicyDocument: unknown }>).map((policy) => policy.PolicyDocument)
          : [];
    return documents.flatMap((document: any) =>
      asArray(document.Statement)
        .filter((statement: any) => statement.Effect === 'Allow')
        .map((statement: any) => ({ id, statement })),
    );
  });
}

/** Grants broader than least privilege. */
export function overbroadGrants(resources: Resources): string[] {
  const problems: string[] = [];
  for (const { id, statement } of identityStatements(resources)) {
    if (statement.NotAction || statement.NotResource) problems.push(`${id}: NotAction/NotResource grants everything else`);
    const actions = asArray(statement.Action) as string[];
    const anyResource = asArray(statement.Resource).includes('*');
    for (const action of actions) {
      const service = action.split(':')[0]!;
      if (action === '*' || action.endsWith(':*')) problems.push(`${id}: ${action} grants a whole service`);
      else if (DATA_SERVICES.includes(service) && action.includes('*')) problems.push(`${id}: wildcard action ${action} on a data service`);
      if (anyResource && !RESOURCELESS_ACTIONS.has(action)) problems.push(`${id}: ${action} on Resource "*"`);
    }
  }
  for (const [id, role] of ofType(resources, 'AWS::IAM::Role')) {
    for (const arn of asArray(role.Properties!.ManagedPolicyArns)) {
      const name = /:iam::aws:policy\/([\w/-]+)/.exec(JSON.stringify(arn))?.[1];
      if (!ALLOWED_MANAGED_POLICIES.includes(name ?? '')) problems.push(`${id}: managed policy ${name ?? JSON.stringify(arn)}`);
    }
  }
  for (const [id, key] of ofType(resources, 'AWS::KMS::Key')) {
    for (const statement of asArray(key.Properties!.KeyPolicy?.Statement) as Array<Record<string, any>>) {
      if (statement.Effect !== 'Allow' || JSON.stringify(statement.Principal).includes(':root')) continue; // the account's own administration
      const extra = (asArray(statement.Action) as string[]).filter((action) => !['kms:Decrypt', 'kms:GenerateDataKey*'].includes(action));
      if (extra.length > 0) problems.push(`${id}: key policy lets ${JSON.stringify(statement.Principal)} ${extra.join(', ')}`);
    }
  }
  return problems;
}

/** Secret values written into a template instead of generated by Secrets Manager. */
export function literalSecrets(resources: Resources): string[] {
  const problems: string[] = [];
  for (const [id, secret] of ofType(resources, 'AWS::SecretsManager::Secret')) {
    if (secret.Properties!.SecretString !== undefined || !secret.Properties!.GenerateSecretString)
      problems.push(`${id}: secret value in the template`);
  }
  for (const [id, resource] of Object.entries(resources)) {
    if (/"(Password|Passwords|SecretString|AuthToken)":\s*\[?\s*"(?!\{\{resolve)/.test(JSON.stringify(resource.Properties ?? {}))) {
      problems.push(`${id}: a credential written as a literal`);
    }
  }
  return problems;
}
