/**
 * The nightly batch: its four functions (the stock processor in the VPC, next to the cache), the
 * Distributed Map state machine with its schedule, and the stock processor's safe deployment.
 */
import { CfnOutput, Duration, Stack, aws_codedeploy as codedeploy } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { resourcePrefix } from '../config';
import type { BedrockModels } from '../constructs/bedrock-models';
import type { DataStack } from './data-stack';
import type { NetworkStack } from './network-stack';
import { httpsOnlySecurityGroup } from '../constructs/service-network';
import { SafeDeployment } from '../constructs/safe-deployment';
import { ServiceFunction } from '../constructs/service-function';
import type { ServiceFunctionProps } from '../constructs/service-function';
import { StockFanoutWorkflow } from '../constructs/stock-fanout-workflow';
import { stockProcessorGoldenChecks } from '../golden-checks';
import { SERVICE_NAMES } from '../../lambdas/core/contracts/metrics';
import { deploymentTarget, stageNames } from '../names';
import { handlerEntry, STOCK_BATCH_ASL } from '../paths';
import type { TableKey } from '../../lambdas/core/contracts/tables';

/** Configuration files every batch function loads at start-up (lambdas/wiring/batch.ts). */
export const BATCH_BUNDLED_FILES = {
  FA_MODELS_CONFIG: 'config/models.yaml',
  FA_PRICES_CONFIG: 'config/prices.yaml',
  FA_BUDGETS_CONFIG: 'config/budgets.yaml',
  FA_AB_TESTS_CONFIG: 'config/ab_tests.yaml',
} as const;

/** The tables the batch reads and writes; the query-side tables (sessions, answer cache) stay out of reach. */
export const BATCH_TABLES: readonly TableKey[] = ['summaries', 'chunks', 'runs', 'costLedger', 'idempotency', 'experiments'];

export interface PipelineStackProps extends StackProps {
  readonly stage: string;
  readonly config: StageConfig;
  readonly data: DataStack;
  readonly network: NetworkStack;
  readonly bedrock: BedrockModels;
}

export class PipelineStack extends Stack {
  public readonly functions: {
    readonly prepareBatch: ServiceFunction;
    readonly processStock: ServiceFunction;
    readonly recordFailure: ServiceFunction;
    readonly finalizeBatch: ServiceFunction;
  };
  public readonly workflow: StockFanoutWorkflow;
  public readonly deployment: SafeDeployment;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { stage, config, data, network } = props;
    const names = stageNames(stage);
    const common = {
      stage,
      serviceName: SERVICE_NAMES.batch,
      logLevel: config.logLevel,
      logRetentionDays: config.logRetentionDays,
      protectData: config.protectData,
      bundledFiles: BATCH_BUNDLED_FILES,
      environment: { EDGAR_USER_AGENT: config.batch.edgarUserAgent },
    } satisfies Partial<ServiceFunctionProps>;

    const prepareBatch = new ServiceFunction(this, 'PrepareBatch', {
      ...common,
      entry: handlerEntry('prepare-batch'),
      functionName: names.functions.prepareBatch,
      description: 'Resolves the universe for a batch run and opens its audit record',
      timeout: Duration.minutes(1),
    });
    // In the VPC: the only function that talks to the cache. Out via NAT to EDGAR and Bedrock.
    const processStock = new ServiceFunction(this, 'ProcessStock', {
      ...common,
      entry: handlerEntry('process-stock'),
      functionName: names.functions.processStock,
      description: 'One stock through gather, normalise, embed, write, verify and store',
      memorySize: config.batch.processorMemoryMb,
      timeout: Duration.seconds(config.batch.processorTimeoutSeconds),
      vpc: network.network.vpc,
      vpcSubnets: network.network.appSubnets,
      securityGroups: [httpsOnlySecurityGroup(this, 'ProcessStockSecurityGroup', network.network.vpc, 'Stock processor: HTTPS out only')],
    });
    const recordFailure = new ServiceFunction(this, 'RecordFailure', {
      ...common,
      entry: handlerEntry('record-failure'),
      functionName: names.functions.recordFailure,
      description: 'Stores a failed stock with its reason so the audit counts it',
      timeout: Duration.seconds(30),
    });
    const finalizeBatch = new ServiceFunction(this, 'FinalizeBatch', {
      ...common,
      entry: handlerEntry('finalize-batch'),
      functionName: names.functions.finalizeBatch,
      description: 'Aggregates the per-stock outcomes into the run audit and emits run metrics',
      timeout: Duration.minutes(5),
    });
    this.functions = { prepareBatch, processStock, recordFailure, finalizeBatch };

    for (const fn of [prepareBatch, processStock, recordFailure, finalizeBatch]) data.tables.bindReadWrite(fn, BATCH_TABLES);
    network.cache.bindClient(processStock);
    props.bedrock.bind(processStock);
    data.artifacts.bindReportWriter(finalizeBatch);
    data.sourceData.bindReader(prepareBatch, 'universe');
    data.sourceData.bindReader(processStock, 'all');
    data.sourceData.bindReader(recordFailure, 'none');
    data.sourceData.bindReader(finalizeBatch, 'none');

    this.workflow = new StockFanoutWorkflow(this, 'StockBatch', {
      stateMachineName: names.stateMachine,
      definitionFile: STOCK_BATCH_ASL,
      functions: this.functions,
      artifacts: data.artifacts,
      logRetentionDays: config.logRetentionDays,
      protectData: config.protectData,
      scheduleEnabled: config.batch.scheduleEnabled,
      maxConcurrency: config.batch.maxConcurrency,
    });

    const target = deploymentTarget(stage, 'stock-processor');
    this.deployment = new SafeDeployment(this, 'ProcessStockDeployment', {
      target: processStock,
      applicationName: target.application,
      deploymentGroupName: target.deploymentGroup,
      // The hook has already run a golden stock through the new version; a batch is all-or-nothing.
      deploymentConfig: codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE,
      goldenChecks: stockProcessorGoldenChecks(config.batch.goldenStock),
      hookFunctionName: names.functions.stockPreTrafficCheck,
      stage,
      logLevel: config.logLevel,
      logRetentionDays: config.logRetentionDays,
      protectData: config.protectData,
      alarmTopic: data.alarms.topic,
      maxP95DurationMs: config.batch.processorTimeoutSeconds * 1000 * 0.8,
    });

    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'Prefix', { value: resourcePrefix(stage) });
  }
}
