import { beforeAll, describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { aws_ec2 as ec2 } from 'aws-cdk-lib';
import { EmbeddingCache } from '../../lib/constructs/embedding-cache';
import { ServiceFunction } from '../../lib/constructs/service-function';
import { httpsOnlySecurityGroup, ServiceNetwork } from '../../lib/constructs/service-network';
import { handlerEntry } from '../../lib/paths';
import { buildStage, freshStack, stage } from './fixtures';

describe('NetworkStack (prod)', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(buildStage(stage('prod'), { withApi: false }).stacks.network);
  });

  it('spans the configured zones with public, app (NAT) and isolated data subnets and one NAT per zone', () => {
    const zones = stage('prod').config.availabilityZones;
    template.resourceCountIs('AWS::EC2::Subnet', zones.length * 3);
    template.resourceCountIs('AWS::EC2::NatGateway', stage('prod').config.natGateways);
    const subnets = Object.values(template.findResources('AWS::EC2::Subnet')).map((subnet) => subnet.Properties.AvailabilityZone);
    expect(new Set(subnets)).toEqual(new Set(zones));
  });

  it('sends DynamoDB and S3 traffic through free gateway endpoints instead of NAT', () => {
    for (const service of ['dynamodb', 's3']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${service}`]] },
      });
    }
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT' });
  });

  it('runs ElastiCache Serverless for Valkey in the isolated subnets with usage limits and an RBAC user group', () => {
    const cache = template.findResources('AWS::ElastiCache::ServerlessCache');
    expect(Object.keys(cache)).toHaveLength(1);
    template.hasResourceProperties('AWS::ElastiCache::ServerlessCache', {
      ServerlessCacheName: 'fa-prod-embeddings',
      Engine: 'valkey',
      UserGroupId: 'fa-prod-embedding-cache',
      CacheUsageLimits: { DataStorage: { Maximum: 5, Unit: 'GB' }, ECPUPerSecond: { Maximum: 50000 } },
      SubnetIds: [{ Ref: Match.stringLikeRegexp('dataSubnet1') }, { Ref: Match.stringLikeRegexp('dataSubnet2') }],
    });
    template.hasResourceProperties('AWS::ElastiCache::UserGroup', { Engine: 'valkey', UserIds: ['fa-prod-default-off', 'fa-prod-app'] });
  });

  it('switches the default user off and gives the app user data commands only, its password from Secrets Manager', () => {
    template.hasResourceProperties('AWS::ElastiCache::User', { UserName: 'default', AccessString: 'off -@all' });
    template.hasResourceProperties('AWS::ElastiCache::User', {
      UserName: 'fa-prod-app',
      AccessString: Match.stringLikeRegexp('-@dangerous$'),
      AuthenticationMode: {
        Type: 'password',
        Passwords: [
          {
            'Fn::Join': [
              '',
              ['{{resolve:secretsmanager:', { Ref: Match.stringLikeRegexp('AppUserCredentials') }, ':SecretString:password::}}'],
            ],
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({
        GenerateStringKey: 'password',
        SecretStringTemplate: JSON.stringify({ username: 'fa-prod-app' }),
      }),
    });
  });

  it('opens nothing to the internet and lets the cache admit no one until a client is bound', () => {
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Embedding-hash cache: admits only the functions bound as its clients',
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
    });
    const groups = Object.values(template.findResources('AWS::EC2::SecurityGroup'));
    expect(groups.every((group) => !JSON.stringify(group.Properties.SecurityGroupIngress ?? []).includes('0.0.0.0/0'))).toBe(true);
  });
});

describe('EmbeddingCache.bindClient', () => {
  function setUp() {
    const stack = freshStack();
    const network = new ServiceNetwork(stack, 'Network', {
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      natGateways: 1,
      logRetentionDays: 7,
      protectData: false,
    });
    const cache = new EmbeddingCache(stack, 'Cache', {
      vpc: network.vpc,
      subnets: network.dataSubnets,
      prefix: 'fa-test',
      maxDataStorageGb: 1,
      maxEcpuPerSecond: 5000,
    });
    const common = {
      entry: handlerEntry('pre-traffic-check'),
      description: 'd',
      stage: 'test',
      serviceName: 's',
      logLevel: 'INFO',
      logRetentionDays: 7,
      protectData: false,
    } as const;
    return { stack, network, cache, common };
  }

  it('admits a bound VPC function on the Valkey ports and gives it the secret and REDIS_URL + REDIS_SECRET_ARN together', () => {
    const { stack, network, cache, common } = setUp();
    const fn = new ServiceFunction(stack, 'Processor', {
      ...common,
      functionName: 'fa-test-processor',
      vpc: network.vpc,
      vpcSubnets: network.appSubnets,
    });
    cache.bindClient(fn);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'fa-test-processor',
      Environment: {
        Variables: Match.objectLike({
          REDIS_URL: {
            'Fn::Join': [
              '',
              [
                'rediss://',
                { 'Fn::GetAtt': [Match.anyValue(), 'Endpoint.Address'] },
                ':',
                { 'Fn::GetAtt': [Match.anyValue(), 'Endpoint.Port'] },
              ],
            ],
          },
          REDIS_SECRET_ARN: { Ref: Match.stringLikeRegexp('AppUserCredentials') },
        }),
      },
    });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement,
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: expect.arrayContaining(['secretsmanager:GetSecretValue']),
        Resource: { Ref: expect.stringMatching(/AppUserCredentials/) },
      }),
    );
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 6379,
      ToPort: 6380,
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('CacheCacheSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ProcessorFunctionSecurityGroup'), 'GroupId'] },
    });
  });

  it('refuses a function outside the VPC, which could never reach the cache', () => {
    const { stack, cache, common } = setUp();
    const fn = new ServiceFunction(stack, 'Outside', { ...common, functionName: 'fa-test-outside' });
    expect(() => cache.bindClient(fn)).toThrowError(/is not attached to the VPC/);
  });

  it('refuses more NAT gateways than zones', () => {
    expect(
      () =>
        new ServiceNetwork(freshStack(), 'N', {
          availabilityZones: ['us-east-1a', 'us-east-1b'],
          natGateways: 3,
          logRetentionDays: 7,
          protectData: false,
        }),
    ).toThrowError(/3 NAT gateways/);
  });

  it('gives the HTTPS-only group port 443 out and nothing else', () => {
    const stack = freshStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'], restrictDefaultSecurityGroup: false });
    httpsOnlySecurityGroup(stack, 'Sg', vpc, 'test');
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'test',
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp', Description: Match.anyValue() }],
    });
  });
});
