/**
 * One stage of the application: five stacks split by lifecycle — Data (tables, bucket, alarm topic),
 * Network (VPC, cache), Pipeline (batch), Api (query API; only once its handler exists), Monitoring.
 */
import { join } from 'node:path';
import { Tags } from 'aws-cdk-lib';
import type { App, Environment } from 'aws-cdk-lib';
import type { Stage } from './config';
import type { BedrockModels } from './constructs/bedrock-models';
import { stackNames } from './names';
import { REPO_ROOT } from './paths';
import { ApiStack } from './stacks/api-stack';
import { DataStack } from './stacks/data-stack';
import type { ExperimentMonitoring } from './constructs/operations-monitoring';
import { MonitoringStack } from './stacks/monitoring-stack';
import { NetworkStack } from './stacks/network-stack';
import { PipelineStack } from './stacks/pipeline-stack';

export interface StageStacksOptions {
  readonly bedrock: BedrockModels;
  /** Path of the query handler. Infrastructure tests leave it out to build the batch stacks alone, faster. */
  readonly queryEntry?: string;
  /** Running A/B tests (config/ab_tests.yaml): a dashboard row each and alarms on their guardrails. */
  readonly experiments?: readonly ExperimentMonitoring[];
  /** The built FA console; default web/dist of the repository (deployed only when it exists). */
  readonly webDistPath?: string;
}

export interface StageStacks {
  readonly data: DataStack;
  readonly network: NetworkStack;
  readonly pipeline: PipelineStack;
  readonly api?: ApiStack;
  readonly monitoring: MonitoringStack;
}

/** Create a stage's stacks in `app`. */
export function createStageStacks(app: App, stage: Stage, options: StageStacksOptions): StageStacks {
  const { name, config } = stage;
  // Explicit region (and account when configured): no environment lookups, synth works offline.
  const env: Environment = { account: config.account, region: config.region };
  const stacks = stackNames(name);
  const common = { env, stage: name, config, terminationProtection: config.protectData };

  const data = new DataStack(app, stacks.data, { ...common, description: `FA Advisor AI (${name}): tables, run artifacts, alarm topic` });
  const network = new NetworkStack(app, stacks.network, {
    ...common,
    description: `FA Advisor AI (${name}): VPC and embedding-hash cache`,
  });
  const pipeline = new PipelineStack(app, stacks.pipeline, {
    ...common,
    description: `FA Advisor AI (${name}): nightly stock batch`,
    data,
    network,
    bedrock: options.bedrock,
  });
  const api = options.queryEntry
    ? new ApiStack(app, stacks.api, {
        ...common,
        description: `FA Advisor AI (${name}): FA query API`,
        data,
        bedrock: options.bedrock,
        queryEntry: options.queryEntry,
        webDistPath: options.webDistPath ?? join(REPO_ROOT, 'web', 'dist'),
      })
    : undefined;
  const monitoring = new MonitoringStack(app, stacks.monitoring, {
    ...common,
    description: `FA Advisor AI (${name}): dashboards and alarms`,
    data,
    network,
    pipeline,
    api,
    bedrock: options.bedrock,
    experiments: options.experiments,
  });

  const all = [data, network, pipeline, ...(api ? [api] : []), monitoring];
  for (const stack of all) {
    Tags.of(stack).add('fa:stage', name);
    Tags.of(stack).add('fa:application', 'fa-advisor-ai');
  }
  return { data, network, pipeline, api, monitoring };
}
