/**
 * The VPC of the stock processor (docs/ARCHITECTURE.md, "Network"): the processor must reach the
 * cache (inside the VPC) and EDGAR (on the internet) and Bedrock, DynamoDB, S3, Step Functions and
 * CloudWatch. Private subnets leave through NAT; DynamoDB and S3 — the bulk of the bytes (chunks,
 * vectors, map results) — go through free gateway endpoints instead of paying NAT per GB. The cache
 * sits in isolated subnets with no route out at all.
 */
import { RemovalPolicy, aws_ec2 as ec2, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface ServiceNetworkProps {
  /** Explicit zones: a lookup would need credentials, and synth must work offline. */
  readonly availabilityZones: readonly string[];
  /** 1 in dev; one per zone in prod so a zone outage does not cut the batch off EDGAR and Bedrock. */
  readonly natGateways: number;
  readonly logRetentionDays: number;
  readonly protectData: boolean;
}

export class ServiceNetwork extends Construct {
  public readonly vpc: ec2.Vpc;
  /** Private subnets with a NAT route: where VPC-attached functions run. */
  public readonly appSubnets: ec2.SubnetSelection = { subnetGroupName: 'app' };
  /** Isolated subnets (no route out): where the cache lives. */
  public readonly dataSubnets: ec2.SubnetSelection = { subnetGroupName: 'data' };

  constructor(scope: Construct, id: string, props: ServiceNetworkProps) {
    super(scope, id);
    if (props.natGateways > props.availabilityZones.length) {
      throw new Error(
        `ServiceNetwork: ${props.natGateways} NAT gateways need as many zones, but only ${props.availabilityZones.length} are configured.`,
      );
    }
    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.40.0.0/16'),
      availabilityZones: [...props.availabilityZones],
      natGateways: props.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        // /20: 4,091 addresses per zone; each concurrent VPC Lambda environment can take an ENI IP.
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      gatewayEndpoints: {
        DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB, subnets: [this.appSubnets] },
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [this.appSubnets] },
      },
      // Rejected flows only: the signal for a blocked path (a missing rule) at a fraction of ALL's cost.
      flowLogs: {
        rejected: { trafficType: ec2.FlowLogTrafficType.REJECT, destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup) },
      },
      restrictDefaultSecurityGroup: true,
    });
  }
}

/**
 * A security group for a VPC function that calls out over HTTPS only (EDGAR, Bedrock and AWS APIs;
 * DynamoDB and S3 through the gateway endpoints). Cache access is added by EmbeddingCache.bindClient.
 */
export function httpsOnlySecurityGroup(scope: Construct, id: string, vpc: ec2.IVpc, description: string): ec2.SecurityGroup {
  const group = new ec2.SecurityGroup(scope, id, { vpc, description, allowAllOutbound: false });
  group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to EDGAR, Bedrock and AWS APIs');
  return group;
}
