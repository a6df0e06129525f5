/** The VPC and the embedding-hash cache: long-lived, replaced rarely, independent of code deploys. */
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { resourcePrefix } from '../config';
import { EmbeddingCache } from '../constructs/embedding-cache';
import { ServiceNetwork } from '../constructs/service-network';

export interface NetworkStackProps extends StackProps {
  readonly stage: string;
  readonly config: StageConfig;
}

export class NetworkStack extends Stack {
  public readonly network: ServiceNetwork;
  public readonly cache: EmbeddingCache;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.network = new ServiceNetwork(this, 'Network', {
      availabilityZones: config.availabilityZones,
      natGateways: config.natGateways,
      logRetentionDays: config.logRetentionDays,
      protectData: config.protectData,
    });
    this.cache = new EmbeddingCache(this, 'EmbeddingCache', {
      vpc: this.network.vpc,
      subnets: this.network.dataSubnets,
      prefix: resourcePrefix(props.stage),
      maxDataStorageGb: config.cache.maxDataStorageGb,
      maxEcpuPerSecond: config.cache.maxEcpuPerSecond,
    });
    new CfnOutput(this, 'CacheEndpoint', { value: this.cache.url });
  }
}
