import { beforeAll, describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { StageConfigSchema } from '../../lib/config';
import { buildStage, stage, withConfig } from './fixtures';

type Resource = { Properties: Record<string, any> };

function functionNamed(template: Template, name: string): Resource {
  const found = Object.values(template.findResources('AWS::Lambda::Function')).find((fn) => fn.Properties.FunctionName === name);
  if (!found) throw new Error(`no function ${name}`);
  return found as Resource;
}

/** The statements of every IAM policy attached to a role whose logical id starts with `rolePrefix`. */
function statementsFor(template: Template, rolePrefix: string): Array<Record<string, any>> {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as Array<{ Ref: string }>).some((role) => role.Ref.startsWith(rolePrefix)))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>);
}

const bucketParts = ['fa-prod-source-data-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }];
const sourceDataBucket = { 'Fn::Join': ['', bucketParts] };
/** `s3://<bucket><key>` as CloudFormation joins it (CDK merges neighbouring literals). */
const s3Uri = (key: string) => ({
  'Fn::Join': ['', ['s3://fa-prod-source-data-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }, key]],
});

describe('prod synthesizes a batch configured for real sources', () => {
  let pipeline: Template;
  let api: Template;
  let data: Template;

  beforeAll(() => {
    const { stacks } = buildStage(stage('prod'));
    pipeline = Template.fromStack(stacks.pipeline);
    api = Template.fromStack(stacks.api!);
    data = Template.fromStack(stacks.data);
  });

  it('chooses edgar in cdk.json', () => {
    expect(stage('prod').config.batch.sources).toEqual({
      universe: 'csv',
      filings: 'edgar',
      fundamentals: 'feed',
      research: 'feed',
      news: 'feed',
    });
  });

  it('creates one private, TLS-only, versioned, logged bucket for the universe and the feeds', () => {
    data.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: sourceDataBucket,
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true, RestrictPublicBuckets: true }),
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'source-data/' }),
    });
  });

  it.each(['fa-prod-prepare-batch', 'fa-prod-process-stock', 'fa-prod-record-failure', 'fa-prod-finalize-batch'])(
    '%s gets FA_SOURCES, FA_UNIVERSE, FA_FEEDS and EDGAR_USER_AGENT',
    (name) => {
      const variables = functionNamed(pipeline, name).Properties.Environment.Variables;
      expect(variables.FA_SOURCES).toBe('edgar');
      expect(variables.FA_UNIVERSE).toEqual(s3Uri('/universe/universe.csv'));
      expect(variables.FA_FEEDS).toEqual(s3Uri('/feeds'));
      expect(variables.EDGAR_USER_AGENT).toBe(stage('prod').config.batch.edgarUserAgent);
    },
  );

  it('lets the stock processor read the universe object and list and read the feeds prefix, and nothing else there', () => {
    const statements = statementsFor(pipeline, 'ProcessStockRole').filter((s) => String(s.Sid ?? '').match(/Universe|Feed/));
    expect(statements.map((s) => s.Sid).sort()).toEqual(['ListFeedDeliveries', 'ReadFeedDeliveries', 'ReadUniverse']);
    const byId = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(byId.ReadUniverse).toMatchObject({ Action: 's3:GetObject', Effect: 'Allow' });
    expect(JSON.stringify(byId.ReadUniverse.Resource)).toContain('/universe/universe.csv');
    expect(byId.ListFeedDeliveries).toMatchObject({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['feeds/*'] } } });
    expect(JSON.stringify(byId.ReadFeedDeliveries.Resource)).toContain('/feeds/*');
  });

  it('lets PrepareBatch and the query function read the universe only', () => {
    for (const [template, role] of [
      [pipeline, 'PrepareBatchRole'],
      [api, 'QueryFunctionRole'],
    ] as const) {
      const sids = statementsFor(template, role)
        .map((s) => String(s.Sid ?? ''))
        .filter((sid) => /Universe|Feed/.test(sid));
      expect(sids).toEqual(['ReadUniverse']);
    }
    const query = functionNamed(api, 'fa-prod-query-api').Properties.Environment.Variables;
    expect(query.FA_SOURCES).toBe('edgar');
    expect(query.FA_UNIVERSE).toBeDefined();
  });

  it('grants the other batch functions no read on source data', () => {
    for (const role of ['RecordFailureRole', 'FinalizeBatchRole']) {
      expect(statementsFor(pipeline, role).filter((s) => /Universe|Feed/.test(String(s.Sid ?? '')))).toEqual([]);
    }
  });
});

describe('batch.sources in the stage config', () => {
  it('keeps dev on the demo, with no source-data bucket', () => {
    const { stacks } = buildStage(stage('dev'), { withApi: false });
    const data = Template.fromStack(stacks.data);
    expect(JSON.stringify(data.findResources('AWS::S3::Bucket'))).not.toContain('source-data');
    const variables = functionNamed(Template.fromStack(stacks.pipeline), 'fa-dev-process-stock').Properties.Environment.Variables;
    expect(variables.FA_SOURCES).toBe('demo');
    expect(variables.FA_UNIVERSE).toBeUndefined();
  });

  it('reads from an existing bucket when one is named, creating none', () => {
    const target = withConfig('prod', (config) => ({
      ...config,
      batch: { ...config.batch, sourceData: { bucketName: 'acme-market-data', universeKey: 'fa/universe.csv', feedsPrefix: 'fa/feeds' } },
    }));
    const { stacks } = buildStage(target, { withApi: false });
    expect(JSON.stringify(Template.fromStack(stacks.data).findResources('AWS::S3::Bucket'))).not.toContain('source-data');
    const variables = functionNamed(Template.fromStack(stacks.pipeline), 'fa-prod-process-stock').Properties.Environment.Variables;
    expect(variables.FA_UNIVERSE).toBe('s3://acme-market-data/fa/universe.csv');
    expect(variables.FA_FEEDS).toBe('s3://acme-market-data/fa/feeds');
  });

  it.each([
    ['an unknown adapter', { universe: 'csv', filings: 'sec-api' }, 'batch.sources.filings'],
    ['a csv universe with demo filings', { universe: 'csv', filings: 'demo' }, 'batch.sources.filings'],
    ['an unknown shorthand', 'real', 'batch.sources'],
  ])('rejects %s naming the field', (_what, sources, path) => {
    const raw = { ...stage('prod').config, batch: { ...stage('prod').config.batch, sources } };
    const parsed = StageConfigSchema.safeParse(raw);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path.join('.')).toBe(path);
  });

  it('accepts per-kind objects and fills left-out kinds with demo', () => {
    const raw = { ...stage('dev').config, batch: { ...stage('dev').config.batch, sources: { news: 'feed' } } };
    expect(StageConfigSchema.parse(raw).batch.sources).toEqual({
      universe: 'demo',
      filings: 'demo',
      fundamentals: 'demo',
      research: 'demo',
      news: 'feed',
    });
  });
});
