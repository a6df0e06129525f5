/**
 * The one Lambda function wrapper: every function of the system gets the same secure, observable
 * defaults (docs/DESIGN.md §4 rule 5) — ARM64, Node.js 22, X-Ray active tracing, JSON logs in a log group
 * with a retention, Powertools environment, a bundle built by the local esbuild (no Docker), and a
 * `live` alias on the current version for CodeDeploy to shift and Step Functions/API Gateway to call.
 */
import { posix } from 'node:path';
import {
  Duration,
  RemovalPolicy,
  Validations,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_lambda_nodejs as nodejs,
  aws_logs as logs,
} from 'aws-cdk-lib';
import type { aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { LOG_RETENTION_DAYS } from '../config';
import { REPO_ROOT } from '../paths';
import { METRICS_NAMESPACE } from '../../lambdas/core/contracts/metrics';
import { LIVE_ALIAS } from '../names';

/** Where the bundle lands inside the Lambda execution environment. */
const LAMBDA_TASK_ROOT = '/var/task';

/**
 * esbuild emits ESM; these shims give bundled CommonJS dependencies (ioredis, parts of the AWS SDK)
 * the `require`, `__filename` and `__dirname` that ESM lacks. Aliased imports so they cannot clash
 * with names in the bundle.
 */
const ESM_REQUIRE_SHIM = [
  "import { createRequire as __faCreateRequire } from 'node:module';",
  "import { fileURLToPath as __faFileUrlToPath } from 'node:url';",
  "import { dirname as __faDirname } from 'node:path';",
  'const require = __faCreateRequire(import.meta.url);',
  'const __filename = __faFileUrlToPath(import.meta.url);',
  'const __dirname = __faDirname(__filename);',
].join(' ');

export interface ServiceFunctionProps {
  /** Absolute path of the handler module (it must export `handler`). */
  readonly entry: string;
  /** Physical function name; deterministic so the ops scripts can find it (`fa-<stage>-<what>`). */
  readonly functionName: string;
  /** A sentence for the console. */
  readonly description: string;
  readonly stage: string;
  /** POWERTOOLS_SERVICE_NAME: the `service` dimension of every metric this function emits. */
  readonly serviceName: string;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  readonly logRetentionDays: number;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  /** Provisioned concurrency on the `live` alias; 0 or absent for none. */
  readonly provisionedConcurrency?: number;
  readonly reservedConcurrency?: number;
  /**
   * Repository files (relative paths) copied into the bundle, each exposed to the code through the
   * named environment variable as an absolute path, e.g. `{ FA_MODELS_CONFIG: 'config/models.yaml' }`.
   */
  readonly bundledFiles?: Readonly<Record<string, string>>;
  /** Extra environment variables (bindX methods of other constructs add theirs). */
  readonly environment?: Readonly<Record<string, string>>;
  /** VPC attachment, for functions that must reach the cache. */
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** Log groups and old versions are retained in protected stages. */
  readonly protectData: boolean;
}

/** A Lambda function with the house defaults and a `live` alias on its current version. */
export class ServiceFunction extends Construct {
  public readonly function: nodejs.NodejsFunction;
  /** The alias everything calls; CodeDeploy shifts its traffic between versions. */
  public readonly alias: lambda.Alias;
  public readonly logGroup: logs.LogGroup;
  /** The execution role: logs to its own log group only (no AWS managed policies). */
  public readonly role: iam.Role;
  public readonly functionName: string;
  public readonly serviceName: string;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(props.logRetentionDays)) {
      throw new Error(`ServiceFunction ${id}: log retention of ${props.logRetentionDays} days is not one CloudWatch Logs accepts.`);
    }
    if (!/^[A-Za-z0-9-_]{1,64}$/.test(props.functionName)) {
      throw new Error(`ServiceFunction ${id}: function name "${props.functionName}" must be 1-64 letters, digits, hyphens or underscores.`);
    }
    this.functionName = props.functionName;
    this.serviceName = props.serviceName;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.functionName}`,
    });
    // Instead of AWSLambdaBasicExecutionRole (any log group in the account): this function's group only.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    if (props.vpc) {
      // What AWSLambdaVPCAccessExecutionRole grants: Lambda manages the function's ENIs in the VPC.
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ManageVpcNetworkInterfaces',
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        }),
      );
    }
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only for X-Ray (PutTraceSegments, PutTelemetryRecords) and, for VPC functions, ENI management: these actions do not support resource-level permissions.',
    });

    const bundledFiles = Object.entries(props.bundledFiles ?? {});
    for (const [variable, file] of bundledFiles) {
      if (posix.isAbsolute(file) || file.split('/').includes('..')) {
        throw new Error(`ServiceFunction ${id}: bundled file ${variable}=${file} must be a path inside the repository.`);
      }
    }
    const copyCommands = (outputDir: string): string[] =>
      bundledFiles.flatMap(([, file]) => [
        `mkdir -p "${posix.join(outputDir, posix.dirname(file))}"`,
        `cp "${posix.join(REPO_ROOT, file)}" "${posix.join(outputDir, file)}"`,
      ]);

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      functionName: props.functionName,
      role: this.role,
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel[props.logLevel],
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      reservedConcurrentExecutions: props.reservedConcurrency,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? props.vpcSubnets : undefined,
      securityGroups: props.vpc ? props.securityGroups : undefined,
      // Old versions stay so CodeDeploy can shift back to them (rollback) after a deploy.
      currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN },
      environment: {
        FA_STAGE: props.stage,
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        // /tmp is the only writable path in Lambda; the file-backed fallbacks must not try /var/task.
        FA_DATA_DIR: '/tmp/fa-data',
        NODE_OPTIONS: '--enable-source-maps',
        ...Object.fromEntries(bundledFiles.map(([variable, file]) => [variable, posix.join(LAMBDA_TASK_ROOT, file)])),
        ...props.environment,
      },
      projectRoot: REPO_ROOT,
      depsLockFilePath: posix.join(REPO_ROOT, 'package-lock.json'),
      bundling: {
        // esbuild is a devDependency: bundling runs locally and offline, never in Docker.
        forceDockerBundling: false,
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        platform: 'node',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_SHIM,
        minify: true,
        // Error classes set `name` from their class name, and Step Functions Retry/Catch and the
        // pre-traffic checks match on it: minification must not rename them.
        keepNames: true,
        sourceMap: true,
        // Bundle the SDK: the versions we test against, not whatever the runtime ships this month.
        bundleAwsSDK: true,
        externalModules: [],
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => copyCommands(outputDir),
        },
      },
    });

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the chosen runtime (docs/DESIGN.md §2): the code, its tests and the local runtime all run on Node 22, which Lambda and AWS SDK v3 support into 2027.',
    });

    this.alias = new lambda.Alias(this, 'LiveAlias', {
      aliasName: LIVE_ALIAS,
      version: this.function.currentVersion,
      provisionedConcurrentExecutions: props.provisionedConcurrency ? props.provisionedConcurrency : undefined,
    });
  }

  /** Set an environment variable; bindX methods call this together with their grants. */
  addEnvironment(name: string, value: string): void {
    this.function.addEnvironment(name, value);
  }

  /** The role of the function, for grants. */
  get grantPrincipal() {
    return this.function.grantPrincipal;
  }
}
