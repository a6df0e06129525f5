import { beforeAll, describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DataTables } from '../../lib/constructs/data-tables';
import { RunArtifactsBucket } from '../../lib/constructs/run-artifacts-bucket';
import { TABLES, tableNamesFor } from '../../lambdas/core/contracts/tables';
import { buildStage, freshStack, stage } from './fixtures';

describe('DataStack (prod)', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(buildStage(stage('prod'), { withApi: false }).stacks.data);
  });

  it('creates one table per shared definition, named as the handlers compute from FA_TABLE_PREFIX', () => {
    const names = tableNamesFor('fa-prod');
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', Object.keys(TABLES).length);
    for (const [key, definition] of Object.entries(TABLES)) {
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        TableName: names[key as keyof typeof names],
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: definition.partitionKey, KeyType: 'HASH' },
          { AttributeName: definition.sortKey, KeyType: 'RANGE' },
        ],
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      });
    }
  });

  it('protects prod tables: point-in-time recovery, deletion protection and RETAIN', () => {
    const tables = Object.values(template.findResources('AWS::DynamoDB::GlobalTable'));
    for (const table of tables) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.Properties.Replicas[0]).toMatchObject({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    }
  });

  it('leaves no DynamoDB table in any prod stack without point-in-time recovery and deletion protection', () => {
    const { stacks } = buildStage(stage('prod'));
    let tables = 0;
    for (const stack of Object.values(stacks)) {
      const template = Template.fromStack(stack);
      // A plain AWS::DynamoDB::Table anywhere would escape the DataTables construct and its protection.
      expect(Object.keys(template.findResources('AWS::DynamoDB::Table'))).toEqual([]);
      for (const table of Object.values(template.findResources('AWS::DynamoDB::GlobalTable'))) {
        tables += 1;
        for (const replica of table.Properties.Replicas as Array<Record<string, unknown>>) {
          expect(replica).toMatchObject({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          });
        }
      }
    }
    expect(tables).toBe(Object.keys(TABLES).length);
  });

  it('keeps the artifacts bucket encrypted, private, TLS-only and logged, with lifecycle rules per prefix', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: { 'Fn::Join': ['', ['fa-prod-run-artifacts-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'artifacts/' }),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
          Match.objectLike({ Prefix: 'map-results/', ExpirationInDays: 30 }),
          Match.objectLike({ Prefix: 'reports/', ExpirationInDays: 400 }),
        ]),
      },
    });
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    const denyInsecure = policies.filter((policy) =>
      policy.Properties.PolicyDocument.Statement.some(
        (statement: { Effect: string; Condition?: Record<string, Record<string, string>> }) =>
          statement.Effect === 'Deny' && statement.Condition?.Bool?.['aws:SecureTransport'] === 'false',
      ),
    );
    // Every bucket of the stack (artifacts, their access logs, the source data) refuses plain HTTP.
    expect(denyInsecure).toHaveLength(Object.keys(template.findResources('AWS::S3::Bucket')).length);
  });

  it('encrypts the alarm topic with a rotating key CloudWatch may use, and enforces TLS', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'fa-prod-alarms', KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: stage('prod').config.alarmEmails[0] });
  });
});

describe('DataTables', () => {
  it('lets dev tables be deleted with their stack', () => {
    const stack = freshStack();
    new DataTables(stack, 'Tables', { prefix: 'fa-dev', protectData: false });
    const tables = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable'));
    expect(
      tables.every((table) => table.DeletionPolicy === 'Delete' && table.Properties.Replicas[0].DeletionProtectionEnabled === false),
    ).toBe(true);
  });

  it('turns on TTL on the attribute a definition names', () => {
    const stack = freshStack();
    new DataTables(stack, 'Tables', {
      prefix: 'fa-test',
      protectData: false,
      definitions: {
        sessions: { id: 'sessions', partitionKey: 'pk', sortKey: 'sk', ttlAttribute: 'expiresAt', description: 'FA sessions' },
      },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'fa-test-sessions',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('refuses a prefix that cannot be part of a table name, and an unknown table key', () => {
    expect(() => new DataTables(freshStack(), 'Tables', { prefix: 'FA Prod', protectData: false })).toThrowError(/prefix "FA Prod"/);
    const tables = new DataTables(freshStack(), 'Tables', { prefix: 'fa-test', protectData: false });
    expect(() => tables.table('no-such-table')).toThrowError(
      `DataTables: there is no table "no-such-table"; known tables: ${Object.keys(TABLES).join(', ')}.`,
    );
  });
});

describe('RunArtifactsBucket', () => {
  it('refuses to keep reports for less time than map results', () => {
    expect(
      () => new RunArtifactsBucket(freshStack(), 'B', { prefix: 'fa-test', protectData: false, mapResultsDays: 30, reportsDays: 7 }),
    ).toThrowError(/reports/);
  });
});
