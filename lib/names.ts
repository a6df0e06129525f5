/**
 * Physical names that more than one place must agree on: the CDK stacks create resources with them
 * and the ops scripts (deploy, traffic, rollback) find those resources by them. No AWS imports here,
 * so the scripts stay light.
 */
import { resourcePrefix } from './config';

/** The alias every caller uses; CodeDeploy shifts its traffic. */
export const LIVE_ALIAS = 'live';

/** The functions deployed through CodeDeploy, by the name operators type (`--function`). */
export const DEPLOYABLE_FUNCTIONS = ['query-api', 'stock-processor'] as const;
export type DeployableFunction = (typeof DEPLOYABLE_FUNCTIONS)[number];

export interface DeploymentTarget {
  readonly functionName: string;
  readonly alias: string;
  readonly application: string;
  readonly deploymentGroup: string;
}

/** Names of a stage's stacks (`FaAdvisor-<stage>-<part>`). */
export function stackNames(stage: string) {
  const base = `FaAdvisor-${stage}`;
  return {
    data: `${base}-Data`,
    network: `${base}-Network`,
    pipeline: `${base}-Pipeline`,
    api: `${base}-Api`,
    monitoring: `${base}-Monitoring`,
  } as const;
}

/** Physical names of a stage's functions, state machine and CodeDeploy resources. */
export function stageNames(stage: string) {
  const prefix = resourcePrefix(stage);
  return {
    prefix,
    functions: {
      prepareBatch: `${prefix}-prepare-batch`,
      processStock: `${prefix}-process-stock`,
      recordFailure: `${prefix}-record-failure`,
      finalizeBatch: `${prefix}-finalize-batch`,
      queryApi: `${prefix}-query-api`,
      stockPreTrafficCheck: `${prefix}-process-stock-pre-traffic`,
      queryPreTrafficCheck: `${prefix}-query-api-pre-traffic`,
    },
    stateMachine: `${prefix}-stock-batch`,
    deadlineCheckStateMachine: `${prefix}-batch-deadline-check`,
    cacheName: `${prefix}-embeddings`,
  } as const;
}

/** Where CodeDeploy and the alias of a deployable function live in a stage. */
export function deploymentTarget(stage: string, fn: DeployableFunction): DeploymentTarget {
  const names = stageNames(stage);
  return {
    functionName: fn === 'query-api' ? names.functions.queryApi : names.functions.processStock,
    alias: LIVE_ALIAS,
    application: `${names.prefix}-${fn}`,
    deploymentGroup: `${names.prefix}-${fn}`,
  };
}
