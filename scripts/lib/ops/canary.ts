/**
 * `npm run ops -- canary`: for each deployable function, the CodeDeploy deployment moving its `live`
 * alias (or the last one) and how the alias splits traffic right now.
 */
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Stage } from '../../../lib/config';
import type { DeployableFunction } from '../../../lib/names';
import { readAlias } from './alias';
import { activeDeployment, describeDeployment, listDeployments } from './codedeploy';
import type { DeploymentInfo } from './codedeploy';
import { OpsError } from './errors';
import { stageTargets } from './stage';

export interface CanaryState {
  readonly function: DeployableFunction;
  readonly alias: string;
  /** `in-progress` while CodeDeploy shifts traffic, else the last deployment's status. */
  readonly deployment?: DeploymentInfo & { readonly active: boolean };
  /** Share of the alias's traffic per version (sums to 1). */
  readonly traffic: Readonly<Record<string, number>>;
  readonly notDeployed?: true;
}

export interface CanaryReport {
  readonly stage: string;
  readonly functions: readonly CanaryState[];
}

export async function canaryStatus(stage: Stage, codeDeploy: CodeDeployClient, lambda: LambdaClient): Promise<CanaryReport> {
  const functions: CanaryState[] = [];
  for (const target of stageTargets(stage, 'all')) {
    try {
      const active = await activeDeployment(codeDeploy, target);
      const id = active ?? (await listDeployments(codeDeploy, target))[0];
      const deployment = id ? { ...(await describeDeployment(codeDeploy, id)), active: Boolean(active) } : undefined;
      const alias = await readAlias(lambda, target);
      const extra = Object.values(alias.weights).reduce((total, share) => total + share, 0);
      const traffic = { [alias.primaryVersion]: Math.round((1 - extra) * 10_000) / 10_000, ...alias.weights };
      functions.push({ function: target.name, alias: target.alias, traffic, ...(deployment ? { deployment } : {}) });
    } catch (error) {
      // The query API exists only once its handler does; say so rather than fail the whole report.
      if (error instanceof OpsError && / is not deployed in this stage| does not exist in /.test(error.message)) {
        functions.push({ function: target.name, alias: target.alias, traffic: {}, notDeployed: true });
        continue;
      }
      throw error;
    }
  }
  return { stage: stage.name, functions };
}

export function describeCanary(report: CanaryReport): string {
  return [
    `stage ${report.stage}:`,
    ...report.functions.map((f) => {
      if (f.notDeployed) return `  ${f.function}: not deployed`;
      const split = Object.entries(f.traffic)
        .map(([version, share]) => `version ${version} ${(share * 100).toFixed(1)} %`)
        .join(', ');
      const deployment = f.deployment
        ? `; ${f.deployment.active ? 'deployment in progress' : 'last deployment'} ${f.deployment.deploymentId} ${f.deployment.status}${f.deployment.targetVersion ? ` (→ version ${f.deployment.targetVersion})` : ''}`
        : '; no deployment yet';
      return `  ${f.function}:${f.alias} ${split}${deployment}`;
    }),
  ].join('\n');
}
