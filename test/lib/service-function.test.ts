import { describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { aws_ec2 as ec2 } from 'aws-cdk-lib';
import { ServiceFunction } from '../../lib/constructs/service-function';
import type { ServiceFunctionProps } from '../../lib/constructs/service-function';
import { handlerEntry } from '../../lib/paths';
import { freshStack } from './fixtures';

const props = (overrides: Partial<ServiceFunctionProps> = {}): ServiceFunctionProps => ({
  entry: handlerEntry('pre-traffic-check'),
  functionName: 'fa-test-example',
  description: 'example',
  stage: 'test',
  serviceName: 'fa-test',
  logLevel: 'INFO',
  logRetentionDays: 14,
  protectData: false,
  ...overrides,
});

describe('ServiceFunction', () => {
  it('runs on ARM64 and Node.js 22 with active tracing, JSON logs and the Powertools environment', () => {
    const stack = freshStack();
    new ServiceFunction(stack, 'Example', props());
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'fa-test-example',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO' }),
      Environment: {
        Variables: Match.objectLike({
          FA_STAGE: 'test',
          POWERTOOLS_SERVICE_NAME: 'fa-test',
          POWERTOOLS_METRICS_NAMESPACE: 'FAAdvisorAI',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          FA_DATA_DIR: '/tmp/fa-data',
        }),
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/fa-test-example', RetentionInDays: 14 });
  });

  it('puts a live alias on the current version and keeps old versions for rollback', () => {
    const stack = freshStack();
    new ServiceFunction(stack, 'Example', props({ provisionedConcurrency: 5 }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 5 },
    });
    template.hasResource('AWS::Lambda::Version', { DeletionPolicy: 'Retain' });
  });

  it('uses its own role that may write only its own log group (no AWS managed policies)', () => {
    const stack = freshStack();
    new ServiceFunction(stack, 'Example', props());
    const template = Template.fromStack(stack);
    const roles = template.findResources('AWS::IAM::Role');
    expect(Object.values(roles).every((role) => role.Properties.ManagedPolicyArns === undefined)).toBe(true);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'WriteOwnLogs',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('ExampleLogs'), 'Arn'] },
          }),
        ]),
      },
    });
  });

  it('exposes each bundled file to the code as an absolute path under /var/task', () => {
    const stack = freshStack();
    new ServiceFunction(stack, 'Example', props({ bundledFiles: { FA_MODELS_CONFIG: 'config/models.yaml' } }));
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FA_MODELS_CONFIG: '/var/task/config/models.yaml' }) },
    });
  });

  it('gets ENI permissions only when attached to a VPC', () => {
    const stack = freshStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      natGateways: 1,
      restrictDefaultSecurityGroup: false,
    });
    new ServiceFunction(
      stack,
      'InVpc',
      props({ functionName: 'fa-test-in-vpc', vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }),
    );
    new ServiceFunction(stack, 'Outside', props({ functionName: 'fa-test-outside' }));
    const policies = Object.entries(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    const withEni = policies.filter(([, policy]) => JSON.stringify(policy).includes('ec2:CreateNetworkInterface')).map(([id]) => id);
    expect(withEni).toHaveLength(1);
    expect(withEni[0]).toMatch(/^InVpc/);
  });

  it('refuses a retention CloudWatch would reject, a bad name, and a bundled file outside the repository', () => {
    expect(() => new ServiceFunction(freshStack(), 'A', props({ logRetentionDays: 10 }))).toThrowError(/log retention of 10 days/);
    expect(() => new ServiceFunction(freshStack(), 'B', props({ functionName: 'has spaces' }))).toThrowError(/function name/);
    expect(() => new ServiceFunction(freshStack(), 'C', props({ bundledFiles: { X: '../secrets.txt' } }))).toThrowError(
      /inside the repository/,
    );
  });
});
