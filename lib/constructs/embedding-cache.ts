/**
 * The embedding-hash cache: ElastiCache Serverless for Valkey in isolated subnets. TLS is always on
 * for serverless caches; clients authenticate as an RBAC user whose password Secrets Manager
 * generates (it never appears in a template: CloudFormation resolves a dynamic reference). Only
 * functions bound with bindClient reach it: the cache's security group admits exactly their
 * security groups, on the Valkey ports.
 */
import { Validations, aws_ec2 as ec2, aws_elasticache as elasticache, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceFunction } from './service-function';

/** Valkey listens on 6379 (primary) and 6380 (reader endpoint) in ElastiCache Serverless. */
const CACHE_PORTS = ec2.Port.tcpRange(6379, 6380);

export interface EmbeddingCacheProps {
  readonly vpc: ec2.IVpc;
  /** Isolated subnets in two or three zones. */
  readonly subnets: ec2.SubnetSelection;
  /** `fa-<stage>`: prefixes the cache, user and user group ids (unique per account and region). */
  readonly prefix: string;
  /** Upper bounds, so a runaway loop cannot run up the bill. */
  readonly maxDataStorageGb: number;
  readonly maxEcpuPerSecond: number;
}

export class EmbeddingCache extends Construct {
  public readonly cache: elasticache.CfnServerlessCache;
  /** `{ "username": …, "password": … }` of the application's RBAC user. */
  public readonly credentials: secretsmanager.Secret;
  public readonly cacheSecurityGroup: ec2.SecurityGroup;
  /** `rediss://host:port` (TLS). */
  public readonly url: string;
  public readonly cacheName: string;

  constructor(scope: Construct, id: string, props: EmbeddingCacheProps) {
    super(scope, id);
    if (props.maxDataStorageGb < 1 || props.maxEcpuPerSecond < 1000) {
      throw new Error('EmbeddingCache: ElastiCache Serverless needs at least 1 GB of storage and 1,000 ECPU per second as limits.');
    }
    this.cacheName = `${props.prefix}-embeddings`;
    const appUserName = `${props.prefix}-app`;

    this.cacheSecurityGroup = new ec2.SecurityGroup(this, 'CacheSecurityGroup', {
      vpc: props.vpc,
      description: 'Embedding-hash cache: admits only the functions bound as its clients',
      allowAllOutbound: false,
    });

    this.credentials = new secretsmanager.Secret(this, 'AppUserCredentials', {
      description: `RBAC credentials of ${appUserName} on the ${this.cacheName} cache`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: appUserName }),
        generateStringKey: 'password',
        // ElastiCache passwords: 16-128 printable characters without spaces, quotes, "/" or "@".
        excludePunctuation: true,
        passwordLength: 40,
      },
    });

    Validations.of(this.credentials).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating an ElastiCache RBAC password needs a custom rotation function that updates the user; until then the password is 40 random characters, usable only from inside the VPC through the client security group, and rotated by redeploying (runbooks/embedding-cache.md).',
    });

    // A user group must contain a user named "default"; ours is switched off ("off"), so a client
    // without credentials cannot run a single command.
    const disabledDefaultUser = new elasticache.CfnUser(this, 'DisabledDefaultUser', {
      engine: 'valkey',
      userId: `${props.prefix}-default-off`,
      userName: 'default',
      accessString: 'off -@all',
      authenticationMode: { Type: 'no-password-required' },
    });
    const appUser = new elasticache.CfnUser(this, 'AppUser', {
      engine: 'valkey',
      userId: appUserName,
      userName: appUserName,
      // Data commands only: no FLUSHALL, CONFIG, KEYS or other @dangerous commands.
      accessString: 'on ~* -@all +@read +@write +@connection -@dangerous',
      authenticationMode: {
        Type: 'password',
        Passwords: [this.credentials.secretValueFromJson('password').unsafeUnwrap()],
      },
    });
    const userGroup = new elasticache.CfnUserGroup(this, 'UserGroup', {
      engine: 'valkey',
      userGroupId: `${props.prefix}-embedding-cache`,
      userIds: [disabledDefaultUser.userId, appUser.userId],
    });
    userGroup.addResourceDependency(disabledDefaultUser);
    userGroup.addResourceDependency(appUser);

    this.cache = new elasticache.CfnServerlessCache(this, 'Cache', {
      serverlessCacheName: this.cacheName,
      description: 'Content hashes of embedded chunks: unchanged content is never re-embedded',
      engine: 'valkey',
      majorEngineVersion: '8',
      subnetIds: props.vpc.selectSubnets(props.subnets).subnetIds,
      securityGroupIds: [this.cacheSecurityGroup.securityGroupId],
      userGroupId: userGroup.userGroupId,
      cacheUsageLimits: {
        dataStorage: { maximum: props.maxDataStorageGb, unit: 'GB' },
        ecpuPerSecond: { maximum: props.maxEcpuPerSecond },
      },
      // Hashes are rebuilt by the next batch (a miss costs one embedding), so no snapshots.
      snapshotRetentionLimit: 0,
    });
    this.cache.addResourceDependency(userGroup);
    this.url = `rediss://${this.cache.attrEndpointAddress}:${this.cache.attrEndpointPort}`;
  }

  /**
   * Let a VPC-attached function use the cache: network path (ingress from the function's security
   * groups, egress to the cache's), credentials (read the secret) and configuration (REDIS_URL,
   * REDIS_SECRET_ARN), together. Across stacks CDK places the rules in the function's stack, so the
   * long-lived network stack never depends on a code stack.
   */
  bindClient(fn: ServiceFunction): void {
    if (!fn.function.isBoundToVpc) {
      throw new Error(`EmbeddingCache: ${fn.node.path} is not attached to the VPC, so it could never reach the cache.`);
    }
    fn.function.connections.securityGroups.forEach((group, index) => {
      // The ingress rule is created in the function's scope (and stack) on purpose: CDK would put it
      // in the cache's stack, which would then depend on the code stack and form a cycle.
      new ec2.CfnSecurityGroupIngress(fn, `CacheIngress${index}`, {
        groupId: this.cacheSecurityGroup.securityGroupId,
        sourceSecurityGroupId: group.securityGroupId,
        ipProtocol: 'tcp',
        fromPort: 6379,
        toPort: 6380,
        description: `Valkey over TLS from ${fn.functionName}`,
      });
      group.addEgressRule(this.cacheSecurityGroup, CACHE_PORTS, 'Valkey over TLS to the embedding cache');
    });
    this.credentials.grantRead(fn.grantPrincipal);
    fn.addEnvironment('REDIS_URL', this.url);
    fn.addEnvironment('REDIS_SECRET_ARN', this.credentials.secretArn);
  }
}
