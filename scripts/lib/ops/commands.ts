/**
 * The ops commands behind `npm run deploy | traffic | rollback`, with their clients and the CDK CLI
 * injected so they are unit-tested with aws-sdk-client-mock. Progress goes to `log` (stderr in the
 * CLIs); the returned object is what `--json` prints.
 */
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { z } from 'zod';
import { StageNameSchema } from '../../../lib/config';
import type { Stage } from '../../../lib/config';
import { DEPLOYABLE_FUNCTIONS } from '../../../lib/names';
import type { DeployableFunction } from '../../../lib/names';
import { latestPublishedVersion, readAlias, setAlias } from './alias';
import { activeDeployment, describeDeployment, listDeployments, stopWithRollback, waitForDeployment } from './codedeploy';
import { OpsError } from './errors';
import { stageTarget, stageTargets } from './stage';
import type { StageTarget } from './stage';

/** What every command needs from the outside world. */
export interface OpsDeps {
  readonly loadStage: (name: string) => Stage;
  readonly codeDeploy: (region: string) => CodeDeployClient;
  readonly lambda: (region: string) => LambdaClient;
  readonly log: (line: string) => void;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => Date;
}

const FunctionSchema = z.enum(DEPLOYABLE_FUNCTIONS);

// ---------------------------------------------------------------- deploy

export const DeployOptionsSchema = z
  .object({
    stage: StageNameSchema,
    requireApproval: z.enum(['never', 'any-change', 'broadening']).default('broadening'),
    /** Wait for the CodeDeploy deployments the stack update started (canary, pre-traffic hook). */
    wait: z.boolean().default(true),
    json: z.boolean().default(false),
  })
  .strict();
export type DeployOptions = z.infer<typeof DeployOptionsSchema>;

export interface DeployDeps extends OpsDeps {
  /** Run the CDK CLI with these arguments; resolves with its exit code. */
  readonly runCdk: (args: readonly string[]) => Promise<number>;
}

export interface DeployResult {
  readonly stage: string;
  readonly outputsFile: string;
  readonly deployments: ReadonlyArray<{ function: DeployableFunction; deploymentId: string; status: string; targetVersion?: string }>;
  readonly succeeded: boolean;
}

/** The CDK CLI arguments for deploying a stage (every stack of it, in dependency order). */
export function cdkDeployArgs(options: DeployOptions): string[] {
  return [
    'deploy',
    '--all',
    '-c',
    `stage=${options.stage}`,
    '--require-approval',
    options.requireApproval,
    '--outputs-file',
    `cdk.out/outputs-${options.stage}.json`,
  ];
}

/** `cdk deploy` a stage, then report (and by default follow) the CodeDeploy deployments it started. */
export async function runDeploy(options: DeployOptions, deps: DeployDeps): Promise<DeployResult> {
  const stage = deps.loadStage(options.stage);
  // A little slack: CodeDeploy's clock and ours may disagree by a few seconds.
  const startedAt = new Date(deps.now().getTime() - 60_000);
  deps.log(`deploying stage ${stage.name} to ${stage.config.account ?? 'the current account'} in ${stage.config.region}`);
  const exitCode = await deps.runCdk(cdkDeployArgs(options));
  if (exitCode !== 0) throw new OpsError(`cdk deploy failed with exit code ${exitCode}; see its output above`);

  const client = deps.codeDeploy(stage.config.region);
  const deployments: Array<DeployResult['deployments'][number]> = [];
  for (const target of stageTargets(stage, 'all')) {
    let ids: string[];
    try {
      ids = await listDeployments(client, target, { since: startedAt });
    } catch (error) {
      // The query API stack appears only once its handler exists; nothing to follow then.
      if (error instanceof OpsError) continue;
      throw error;
    }
    const deploymentId = ids[0];
    if (!deploymentId) continue;
    deps.log(`${target.name}: CodeDeploy deployment ${deploymentId}`);
    const info = options.wait
      ? await waitForDeployment(client, deploymentId, {
          sleep: deps.sleep,
          onStatus: (state) => deps.log(`${target.name}: ${state.status}`),
        })
      : await describeDeployment(client, deploymentId);
    deployments.push({ function: target.name, deploymentId, status: info.status, targetVersion: info.targetVersion });
  }
  if (deployments.length === 0) deps.log('no function code changed: no CodeDeploy deployment was needed');
  const succeeded = deployments.every(
    (deployment) =>
      deployment.status === 'Succeeded' || (!options.wait && deployment.status !== 'Failed' && deployment.status !== 'Stopped'),
  );
  return { stage: stage.name, outputsFile: `cdk.out/outputs-${stage.name}.json`, deployments, succeeded };
}

// ---------------------------------------------------------------- traffic

export const TrafficOptionsSchema = z
  .object({
    stage: StageNameSchema,
    percent: z.coerce.number().int('must be a whole number').min(0).max(100),
    function: FunctionSchema.default('query-api'),
    /** The version to shift to; default: the version already split off, else the newest published one. */
    toVersion: z.string().regex(/^\d+$/, 'must be a published version number such as 7').optional(),
    json: z.boolean().default(false),
  })
  .strict();
export type TrafficOptions = z.infer<typeof TrafficOptionsSchema>;

export interface TrafficResult {
  readonly stage: string;
  readonly function: DeployableFunction;
  readonly alias: string;
  /** The version that keeps the rest of the traffic. */
  readonly primaryVersion: string;
  readonly newVersion: string;
  readonly percent: number;
  readonly weights: Readonly<Record<string, number>>;
}

/**
 * Shift `percent` of the alias's traffic to a new version by hand (0 = all back on the primary,
 * 100 = the new version becomes the primary). Refuses while CodeDeploy is shifting the same alias.
 */
export async function runTraffic(options: TrafficOptions, deps: OpsDeps): Promise<TrafficResult> {
  const stage = deps.loadStage(options.stage);
  const target = stageTarget(stage, options.function);
  const codeDeploy = deps.codeDeploy(stage.config.region);
  const lambda = deps.lambda(stage.config.region);

  const active = await activeDeployment(codeDeploy, target);
  if (active) {
    throw new OpsError(
      `CodeDeploy deployment ${active} is shifting ${target.functionName}:${target.alias} right now; wait for it, or stop it with npm run rollback -- --stage ${stage.name} --function ${target.name}`,
    );
  }
  const alias = await readAlias(lambda, target);
  const splitVersion = Object.keys(alias.weights)[0];
  const newVersion = options.toVersion ?? splitVersion ?? (await latestPublishedVersion(lambda, target));
  if (!newVersion) throw new OpsError(`${target.functionName} has no published version to shift to`);
  if (newVersion === alias.primaryVersion && options.percent > 0) {
    throw new OpsError(
      `${target.functionName}:${target.alias} already sends all traffic to version ${newVersion}; deploy a new version first or pass --to-version`,
    );
  }

  const state =
    options.percent === 100
      ? await setAlias(lambda, target, newVersion)
      : await setAlias(lambda, target, alias.primaryVersion, { version: newVersion, share: options.percent / 100 });
  deps.log(
    options.percent === 100
      ? `${target.functionName}:${target.alias} now sends all traffic to version ${newVersion} (was ${alias.primaryVersion})`
      : `${target.functionName}:${target.alias}: ${options.percent} % to version ${newVersion}, ${100 - options.percent} % to version ${alias.primaryVersion}`,
  );
  deps.log('note: CloudFormation still records the deployed version; the next npm run deploy starts from what the alias serves now');
  return {
    stage: stage.name,
    function: target.name,
    alias: target.alias,
    primaryVersion: state.primaryVersion,
    newVersion,
    percent: options.percent,
    weights: state.weights,
  };
}

// ---------------------------------------------------------------- rollback

export const RollbackOptionsSchema = z
  .object({
    stage: StageNameSchema,
    function: z.union([FunctionSchema, z.literal('all')]).default('all'),
    json: z.boolean().default(false),
  })
  .strict();
export type RollbackOptions = z.infer<typeof RollbackOptionsSchema>;

export type RollbackAction =
  | { function: DeployableFunction; action: 'stopped-deployment'; deploymentId: string; status: string }
  | { function: DeployableFunction; action: 'cleared-traffic-split'; version: string; removed: Readonly<Record<string, number>> }
  | { function: DeployableFunction; action: 'restored-previous-version'; deploymentId: string; fromVersion: string; toVersion: string }
  | { function: DeployableFunction; action: 'nothing-to-roll-back'; version: string };

export interface RollbackResult {
  readonly stage: string;
  readonly actions: readonly RollbackAction[];
}

async function rollBackOne(
  target: StageTarget,
  codeDeploy: CodeDeployClient,
  lambda: LambdaClient,
  log: (line: string) => void,
): Promise<RollbackAction> {
  // 1. A deployment in flight: stop it; CodeDeploy shifts the alias back to the old version.
  const active = await activeDeployment(codeDeploy, target);
  if (active) {
    const status = await stopWithRollback(codeDeploy, active);
    log(`${target.name}: stopped deployment ${active} with rollback (${status})`);
    return { function: target.name, action: 'stopped-deployment', deploymentId: active, status };
  }
  // 2. A manual traffic split (npm run traffic): send everything back to the primary version.
  const alias = await readAlias(lambda, target);
  if (Object.keys(alias.weights).length > 0) {
    await setAlias(lambda, target, alias.primaryVersion);
    log(`${target.name}: removed the traffic split; all traffic on version ${alias.primaryVersion}`);
    return { function: target.name, action: 'cleared-traffic-split', version: alias.primaryVersion, removed: alias.weights };
  }
  // 3. The last deployment succeeded and is what the alias serves: restore the version before it.
  const [lastSucceeded] = await listDeployments(codeDeploy, target, { statuses: ['Succeeded'] });
  if (lastSucceeded) {
    const info = await describeDeployment(codeDeploy, lastSucceeded);
    if (info.targetVersion === alias.primaryVersion && info.currentVersion && info.currentVersion !== alias.primaryVersion) {
      await setAlias(lambda, target, info.currentVersion);
      log(
        `${target.name}: alias restored from version ${alias.primaryVersion} to ${info.currentVersion} (before deployment ${lastSucceeded})`,
      );
      return {
        function: target.name,
        action: 'restored-previous-version',
        deploymentId: lastSucceeded,
        fromVersion: alias.primaryVersion,
        toVersion: info.currentVersion,
      };
    }
  }
  log(`${target.name}: nothing to roll back; the alias serves version ${alias.primaryVersion}`);
  return { function: target.name, action: 'nothing-to-roll-back', version: alias.primaryVersion };
}

/** Roll back one function or all: stop a deployment in flight, or restore the alias. */
export async function runRollback(options: RollbackOptions, deps: OpsDeps): Promise<RollbackResult> {
  const stage = deps.loadStage(options.stage);
  const codeDeploy = deps.codeDeploy(stage.config.region);
  const lambda = deps.lambda(stage.config.region);
  const actions: RollbackAction[] = [];
  for (const target of stageTargets(stage, options.function)) {
    try {
      actions.push(await rollBackOne(target, codeDeploy, lambda, deps.log));
    } catch (error) {
      // `all` skips a function this stage does not have yet (the query API before its handler exists).
      if (
        options.function === 'all' &&
        error instanceof OpsError &&
        / is not deployed in this stage| does not exist in /.test(error.message)
      ) {
        deps.log(`${target.name}: not deployed in stage ${stage.name}; skipped`);
        continue;
      }
      throw error;
    }
  }
  return { stage: stage.name, actions };
}
