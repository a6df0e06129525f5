/** Dashboards, alarms and the 08:00 batch-deadline check: changes often, holds no state. */
import { Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { resourcePrefix } from '../config';
import { BatchDeadlineCheck } from '../constructs/batch-deadline-check';
import type { BedrockModels } from '../constructs/bedrock-models';
import { OperationsMonitoring } from '../constructs/operations-monitoring';
import type { ExperimentMonitoring } from '../constructs/operations-monitoring';
import { stageNames } from '../names';
import type { ApiStack } from './api-stack';
import type { DataStack } from './data-stack';
import type { NetworkStack } from './network-stack';
import type { PipelineStack } from './pipeline-stack';

export interface MonitoringStackProps extends StackProps {
  readonly stage: string;
  readonly config: StageConfig;
  readonly data: DataStack;
  readonly network: NetworkStack;
  readonly pipeline: PipelineStack;
  /** Absent until the query handler exists. */
  readonly api?: ApiStack;
  readonly bedrock: BedrockModels;
  readonly experiments?: readonly ExperimentMonitoring[];
}

export class MonitoringStack extends Stack {
  public readonly deadlineCheck: BatchDeadlineCheck;
  public readonly monitoring: OperationsMonitoring;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { stage, config, pipeline } = props;
    this.deadlineCheck = new BatchDeadlineCheck(this, 'BatchDeadline', {
      stateMachineName: stageNames(stage).deadlineCheckStateMachine,
      batchStateMachine: pipeline.workflow.stateMachine,
      stage,
      enabled: config.batch.scheduleEnabled,
      logRetentionDays: config.logRetentionDays,
      protectData: config.protectData,
    });
    const fns = pipeline.functions;
    this.monitoring = new OperationsMonitoring(this, 'Operations', {
      prefix: resourcePrefix(stage),
      stage,
      alarmTopic: props.data.alarms.topic,
      batch: {
        stateMachine: pipeline.workflow.stateMachine,
        deadlineCheck: this.deadlineCheck.stateMachine,
        functions: [fns.prepareBatch, fns.processStock, fns.recordFailure, fns.finalizeBatch],
        processStock: fns.processStock,
        deadLetterQueues: [pipeline.workflow.scheduleDeadLetterQueue, this.deadlineCheck.scheduleDeadLetterQueue],
      },
      query: props.api ? { api: props.api.queryApi.api, queryFunction: props.api.queryFunction } : undefined,
      tables: props.data.tables.tables,
      cacheName: props.network.cache.cacheName,
      bedrockModelIds: props.bedrock.modelIds,
      experiments: props.experiments,
      thresholds: {
        maxCostPerStockUsd: config.alarms.maxCostPerStockUsd,
        maxCostPerQueryUsd: config.alarms.maxCostPerQueryUsd,
        maxQueryP95Ms: config.alarms.maxQueryP95Ms,
      },
    });
  }
}
