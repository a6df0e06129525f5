/**
 * The FA console in AWS: its static files in a private S3 bucket served only through CloudFront
 * (origin access control), HTTPS only, with the console's strict CSP (lib/console-headers.ts) and
 * the usual hardening headers; the Cognito app client the console signs in with (authorization code
 * + PKCE, no secret: a browser cannot keep one), the hosted-UI domain and the `operators` group; and
 * the console's `/config.json`, written next to the built files so the same build runs in any stage.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  Annotations,
  Aspects,
  Aws,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
  aws_cloudfront as cloudfront,
  aws_cloudfront_origins as origins,
  aws_cognito as cognito,
  aws_iam as iam,
  aws_s3 as s3,
  aws_s3_deployment as s3deploy,
} from 'aws-cdk-lib';
import type { IAspect } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { IConstruct } from 'constructs';
import { consoleCsp } from '../console-headers';
import { OPERATOR_GROUP } from '../../lambdas/core/contracts/api';
import { acknowledgeWildcardResources, managedPolicyFinding } from '../nag';

/** The OAuth scopes the console asks for: who the FA is, nothing else. */
export const CONSOLE_SCOPES = ['openid', 'email', 'profile'] as const;

export interface WebConsoleProps {
  /** `fa-<stage>`. */
  readonly prefix: string;
  readonly stage: string;
  readonly userPool: cognito.UserPool;
  /** The API's origin (`https://<id>.execute-api.<region>.amazonaws.com`), allowed in connect-src. */
  readonly apiOrigin: string;
  /** The API's base URL with its stage path, for the console's /config.json. */
  readonly apiBase: string;
  /**
   * The built console (`web/dist`). When it does not exist at synth time nothing is deployed and a
   * warning says so: synth never builds (it must work offline and fast).
   */
  readonly webDistPath: string;
  /** Hosted-UI domain prefix; default `<prefix>-console-<account>`. */
  readonly cognitoDomainPrefix?: string;
  /** Callback and sign-out URLs besides the distribution's own. */
  readonly extraCallbackUrls?: readonly string[];
  readonly protectData: boolean;
}

export class WebConsole extends Construct {
  public readonly bucket: s3.Bucket;
  /** CloudFront standard logs and the site bucket's server access logs. */
  public readonly accessLogs: s3.Bucket;
  public readonly distribution: cloudfront.Distribution;
  public readonly responseHeaders: cloudfront.ResponseHeadersPolicy;
  public readonly client: cognito.UserPoolClient;
  public readonly domain: cognito.UserPoolDomain;
  public readonly operators: cognito.UserPoolGroup;
  /** `https://<distribution domain>`: the console's origin, for the API's CORS. */
  public readonly origin: string;
  /** The deployment of web/dist and /config.json; absent when web/dist was not built. */
  public readonly deployment?: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: WebConsoleProps) {
    super(scope, id);
    const removalPolicy = props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const common = {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy,
      // Only a dev stage's buckets go with the stack; prod keeps its logs and versions.
      autoDeleteObjects: false,
    } as const;

    // CloudFront's standard logging writes with ACLs, so this bucket alone keeps them enabled.
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...common,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(90) }],
    });
    this.bucket = new s3.Bucket(this, 'Site', {
      ...common,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Versioned so a bad deployment can be rolled back object by object; old versions age out.
      versioned: true,
      lifecycleRules: [{ id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(30) }],
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'site-bucket/',
    });

    const domainPrefix = props.cognitoDomainPrefix ?? `${props.prefix}-console-${Aws.ACCOUNT_ID}`;
    this.domain = props.userPool.addDomain('ConsoleDomain', { cognitoDomain: { domainPrefix } });
    const cognitoOrigin = this.domain.baseUrl();

    this.responseHeaders = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      responseHeadersPolicyName: `${props.prefix}-console-headers`,
      comment: 'FA console: strict CSP (lib/console-headers.ts), HSTS, nosniff, no framing',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleCsp([props.apiOrigin], [cognitoOrigin]), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, preload: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `FA console (${props.stage})`,
      defaultRootObject: 'index.html',
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.accessLogs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeaders,
        compress: true,
      },
      // A private bucket answers 403 for a missing key: the single-page app routes it client-side.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(10),
      })),
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The console uses the default *.cloudfront.net certificate, with which CloudFront cannot enforce TLS 1.2; a custom domain certificate gets TLSv1.2_2021 from minimumProtocolVersion.',
      },
      {
        id: 'AwsSolutions-CFR1',
        reason: 'FAs sign in from wherever they work; the console is behind Cognito with MFA, so no geographic restriction applies.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The distribution serves only static files; every request for data goes to the API, which has its own WAF web ACL (query-api.ts).',
      },
    );

    const redirectUri = `${this.origin}/`;
    const callbackUrls = [redirectUri, ...(props.extraCallbackUrls ?? [])];
    this.client = props.userPool.addClient('ConsoleClient', {
      userPoolClientName: `${props.prefix}-console`,
      // A browser cannot keep a secret; PKCE (web/src/auth/pkce.ts) proves the code's requester instead.
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls,
        logoutUrls: callbackUrls,
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
    });
    // The API treats membership of this group as the operator role (OPERATOR_GROUP).
    this.operators = props.userPool.addGroup('Operators', {
      groupName: OPERATOR_GROUP,
      description: 'Operators: the runs, cost and quality pages of the FA console',
    });

    if (!existsSync(join(props.webDistPath, 'index.html'))) {
      Annotations.of(this).addWarningV2(
        'fa:console-not-built',
        `The FA console is not deployed: ${props.webDistPath} has no index.html. Run npm run build:web before cdk deploy.`,
      );
      return;
    }
    this.deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [
        s3deploy.Source.asset(props.webDistPath),
        s3deploy.Source.jsonData('config.json', {
          stage: props.stage,
          apiBase: props.apiBase,
          auth: {
            mode: 'cognito',
            domain: cognitoOrigin,
            clientId: this.client.userPoolClientId,
            redirectUri,
            scopes: [...CONSOLE_SCOPES],
          },
        }),
      ],
      // Remove files of the previous build; the versions stay in the bucket for a rollback.
      prune: true,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });
    acknowledgeDeploymentFindings(this, this.distribution);
  }
}

/**
 * What the deployment function does with each of CDK's wildcard grants (`aws s3 sync` from the
 * asset, with prune, into the site bucket): the actions it needs and no others.
 */
const DEPLOYMENT_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  's3:GetObject*': ['s3:GetObject'],
  's3:GetBucket*': ['s3:GetBucketLocation'],
  's3:List*': ['s3:ListBucket'],
  's3:DeleteObject*': ['s3:DeleteObject'],
  's3:Abort*': ['s3:AbortMultipartUpload'],
};

/** Narrows CDK's grants to the deployment function: exact S3 actions, invalidations of this distribution only. */
class DeploymentGrantNarrower implements IAspect {
  constructor(private readonly distribution: cloudfront.IDistribution) {}

  visit(node: IConstruct): void {
    if (!(node instanceof iam.CfnPolicy)) return;
    const stack = Stack.of(node);
    const document = stack.resolve(node.policyDocument) as { Statement?: Array<Record<string, unknown>> };
    const distributionArn = stack.resolve(
      stack.formatArn({ service: 'cloudfront', region: '', resource: 'distribution', resourceName: this.distribution.distributionId }),
    ) as unknown;
    const statements = (document.Statement ?? []).map((statement) => {
      const actions = ([] as string[]).concat(statement.Action as string | string[]);
      const narrowed = [...new Set(actions.flatMap((action) => DEPLOYMENT_ACTIONS[action] ?? [action]))];
      const invalidates = narrowed.every((action) => action.startsWith('cloudfront:'));
      return { ...statement, Action: narrowed, ...(invalidates ? { Resource: distributionArn } : {}) };
    });
    node.policyDocument = { ...document, Statement: statements };
  }
}

/** The CDK-provided deployment function's findings: its role, runtime and wildcard grants are CDK's. */
function acknowledgeDeploymentFindings(scope: Construct, distribution: cloudfront.IDistribution): void {
  const stack = Stack.of(scope);
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
    Aspects.of(child).add(new DeploymentGrantNarrower(distribution));
    Validations.of(child).acknowledge(
      {
        id: managedPolicyFinding('service-role/AWSLambdaBasicExecutionRole'),
        reason: 'CDK creates the deployment function with the basic execution role: write its own logs and nothing else.',
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'The runtime of the BucketDeployment function is chosen by aws-cdk-lib and moves with its upgrades.',
      },
    );
    acknowledgeWildcardResources(child, [
      {
        pattern: /./,
        reason: 'The deployment function reads its asset objects and writes the site bucket objects; keys change with every build.',
      },
    ]);
  }
}
