/**
 * The S3 bucket for Distributed Map results (ResultWriter) and run reports: encrypted, TLS only,
 * never public, with lifecycle rules so map results (debugging aid, large) do not pile up.
 */
import { Aws, Duration, RemovalPolicy, Stack, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from '../nag';
import type { ServiceFunction } from './service-function';

export interface RunArtifactsBucketProps {
  /** `fa-<stage>`: the bucket is named `<prefix>-run-artifacts-<account>-<region>`. */
  readonly prefix: string;
  readonly protectData: boolean;
  /** Days map results are kept (they duplicate what the runs table records). */
  readonly mapResultsDays?: number;
  /** Days run reports are kept. */
  readonly reportsDays?: number;
}

/** Key prefixes inside the bucket; the ASL's ResultWriter uses MAP_RESULTS_PREFIX. */
export const MAP_RESULTS_PREFIX = 'map-results';
export const REPORTS_PREFIX = 'reports';

export class RunArtifactsBucket extends Construct {
  public readonly bucket: s3.Bucket;
  /** Server access logs of the artifacts bucket. */
  public readonly accessLogs: s3.Bucket;
  /**
   * The bucket name built from pseudo parameters, so other stacks can name the bucket (and its
   * objects in IAM policies) without a cross-stack import.
   */
  public readonly bucketName: string;

  constructor(scope: Construct, id: string, props: RunArtifactsBucketProps) {
    super(scope, id);
    const mapResultsDays = props.mapResultsDays ?? 30;
    const reportsDays = props.reportsDays ?? 400;
    if (mapResultsDays < 1 || reportsDays < mapResultsDays) {
      throw new Error('RunArtifactsBucket: keep map results at least a day and reports at least as long as map results.');
    }
    const removalPolicy = props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const common = {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
    } as const;

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...common,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(90) }],
    });

    this.bucketName = `${props.prefix}-run-artifacts-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...common,
      bucketName: this.bucketName,
      versioned: props.protectData,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'artifacts/',
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        {
          id: 'expire-map-results',
          prefix: `${MAP_RESULTS_PREFIX}/`,
          expiration: Duration.days(mapResultsDays),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          id: 'age-reports',
          prefix: `${REPORTS_PREFIX}/`,
          transitions: reportsDays > 60 ? [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }] : [],
          expiration: Duration.days(reportsDays),
          noncurrentVersionExpiration: Duration.days(7),
        },
      ],
    });
  }

  /** ARN of the objects under `prefix/` (resolves in any stack of the same account and region). */
  objectsArn(scope: Stack, prefix: string): string {
    return `arn:${scope.partition}:s3:::${this.bucketName}/${prefix}/*`;
  }

  /** Let a function write run reports under reports/ and tell it where (FA_REPORTS_BUCKET). */
  bindReportWriter(fn: ServiceFunction): void {
    const policy = new iam.Policy(fn, 'ReportWriterPolicy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteRunReports',
          actions: ['s3:PutObject'],
          resources: [this.objectsArn(Stack.of(fn), REPORTS_PREFIX)],
        }),
      ],
    });
    policy.attachToRole(fn.role);
    acknowledgeWildcardResources(policy, [
      {
        pattern: new RegExp(`/${REPORTS_PREFIX}/\\*$`),
        reason: 'Put-only under reports/: report keys are per run and not known in advance.',
      },
    ]);
    fn.addEnvironment('FA_REPORTS_BUCKET', this.bucketName);
  }
}
