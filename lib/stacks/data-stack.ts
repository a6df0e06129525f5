/**
 * Stateful and shared resources, the longest-lived stack: the DynamoDB tables, the run-artifacts
 * bucket, and the alarm topic (alarms in every later stack publish to it, so it lives upstream).
 */
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { resourcePrefix } from '../config';
import { AlarmTopic } from '../constructs/alarm-topic';
import { DataTables } from '../constructs/data-tables';
import { RunArtifactsBucket } from '../constructs/run-artifacts-bucket';
import { SourceData } from '../constructs/source-data';

export interface DataStackProps extends StackProps {
  readonly stage: string;
  readonly config: StageConfig;
}

export class DataStack extends Stack {
  public readonly tables: DataTables;
  public readonly artifacts: RunArtifactsBucket;
  public readonly alarms: AlarmTopic;
  public readonly sourceData: SourceData;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const prefix = resourcePrefix(props.stage);
    this.tables = new DataTables(this, 'Tables', { prefix, protectData: props.config.protectData });
    this.artifacts = new RunArtifactsBucket(this, 'RunArtifacts', { prefix, protectData: props.config.protectData });
    this.alarms = new AlarmTopic(this, 'Alarms', { prefix, emails: props.config.alarmEmails, protectData: props.config.protectData });
    this.sourceData = new SourceData(this, 'SourceData', {
      prefix,
      sources: props.config.batch.sources,
      location: props.config.batch.sourceData,
      protectData: props.config.protectData,
      accessLogs: this.artifacts.accessLogs,
      edgarUserAgent: props.config.batch.edgarUserAgent,
    });
    if (this.sourceData.bucketName) new CfnOutput(this, 'SourceDataBucketName', { value: this.sourceData.bucketName });
    new CfnOutput(this, 'ArtifactsBucketName', { value: this.artifacts.bucket.bucketName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
  }
}
