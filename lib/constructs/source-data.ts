/**
 * The operator-supplied source data (docs/SOURCES.md): the universe CSV and the vendor feed
 * deliveries, in a bucket this stage creates or in an existing one, and the one place that tells a
 * function which sources to read (FA_SOURCES, FA_UNIVERSE, FA_FEEDS) and grants it read access.
 * With demo sources there is nothing to read and no bucket.
 */
import { Aws, RemovalPolicy, Stack, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { feedKindsOf, formatSourceChoice } from '../../lambdas/core/contracts/sources';
import type { SourceChoice } from '../../lambdas/core/contracts/sources';
import type { SourceDataConfig } from '../config';
import { acknowledgeWildcardResources } from '../nag';
import type { ServiceFunction } from './service-function';

export interface SourceDataProps {
  /** `fa-<stage>`: a created bucket is named `<prefix>-source-data-<account>-<region>`. */
  readonly prefix: string;
  readonly sources: SourceChoice;
  readonly location: SourceDataConfig;
  readonly protectData: boolean;
  /** Where a created bucket writes its server access logs. */
  readonly accessLogs: s3.IBucket;
  /** SEC's required User-Agent, given to every function that builds the EDGAR source. */
  readonly edgarUserAgent: string;
}

/**
 * What a function reads: the stock processor everything, PrepareBatch and the query path the
 * universe, the other batch functions nothing (they build the same sources but never call them).
 */
export type SourceReads = 'none' | 'universe' | 'all';

export class SourceData extends Construct {
  public readonly sources: SourceChoice;
  /** The bucket this stage created; undefined with demo sources or an existing bucket. */
  public readonly bucket: s3.Bucket | undefined;
  /** Undefined when no source reads files. */
  public readonly bucketName: string | undefined;
  private readonly location: SourceDataConfig;
  private readonly edgarUserAgent: string;

  constructor(scope: Construct, id: string, props: SourceDataProps) {
    super(scope, id);
    this.sources = props.sources;
    this.location = props.location;
    this.edgarUserAgent = props.edgarUserAgent;
    const readsFiles = props.sources.universe === 'csv' || feedKindsOf(props.sources).length > 0;
    if (!readsFiles) return;
    if (props.location.bucketName) {
      this.bucketName = props.location.bucketName;
      return;
    }
    // Named from pseudo parameters, so the pipeline and API stacks can name it without an import.
    this.bucketName = `${props.prefix}-source-data-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: this.bucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Deliveries are corrected by overwriting; versions keep what a past brief was written from.
      versioned: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'source-data/',
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }

  /** `s3://bucket/key` of the universe CSV (undefined when the universe is the demo). */
  get universeLocation(): string | undefined {
    return this.sources.universe === 'csv' && this.bucketName ? `s3://${this.bucketName}/${this.location.universeKey}` : undefined;
  }

  /** `s3://bucket/prefix` of the feed deliveries (undefined when no kind reads feeds). */
  get feedsLocation(): string | undefined {
    return feedKindsOf(this.sources).length > 0 && this.bucketName ? `s3://${this.bucketName}/${this.location.feedsPrefix}` : undefined;
  }

  /**
   * Tell a function which sources to read and let it read them. Every bound function gets the same
   * variables (the runtime config checks them together); only what `reads` names is granted.
   */
  bindReader(fn: ServiceFunction, reads: SourceReads): void {
    fn.addEnvironment('FA_SOURCES', formatSourceChoice(this.sources));
    if (this.sources.filings === 'edgar') fn.addEnvironment('EDGAR_USER_AGENT', this.edgarUserAgent);
    const universe = this.universeLocation;
    const feeds = this.feedsLocation;
    if (universe) fn.addEnvironment('FA_UNIVERSE', universe);
    if (feeds) fn.addEnvironment('FA_FEEDS', feeds);
    const statements = [
      ...(universe && reads !== 'none' ? [this.readUniverse(fn)] : []),
      ...(feeds && reads === 'all' ? this.readFeeds(fn) : []),
    ];
    if (statements.length === 0) return;
    const policy = new iam.Policy(fn, 'SourceDataReaderPolicy', { statements });
    policy.attachToRole(fn.role);
    acknowledgeWildcardResources(policy, [
      {
        pattern: new RegExp(`/${this.location.feedsPrefix}/\\*$`),
        reason: 'Read-only under the feeds prefix: delivery files are named by date and not known in advance.',
      },
    ]);
  }

  private bucketArn(fn: ServiceFunction): string {
    return `arn:${Stack.of(fn).partition}:s3:::${this.bucketName}`;
  }

  private readUniverse(fn: ServiceFunction): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: 'ReadUniverse',
      actions: ['s3:GetObject'],
      resources: [`${this.bucketArn(fn)}/${this.location.universeKey}`],
    });
  }

  private readFeeds(fn: ServiceFunction): iam.PolicyStatement[] {
    const prefix = this.location.feedsPrefix;
    return [
      new iam.PolicyStatement({
        sid: 'ListFeedDeliveries',
        actions: ['s3:ListBucket'],
        resources: [this.bucketArn(fn)],
        conditions: { StringLike: { 's3:prefix': [`${prefix}/*`] } },
      }),
      new iam.PolicyStatement({ sid: 'ReadFeedDeliveries', actions: ['s3:GetObject'], resources: [`${this.bucketArn(fn)}/${prefix}/*`] }),
    ];
  }
}
