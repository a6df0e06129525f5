/**
 * The stage an ops command acts on, read from cdk.json exactly as the CDK app reads it, and the
 * names of its deployable functions (lib/names.ts: the stacks create them under the same names).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStages, selectStages } from '../../../lib/config';
import type { Stage } from '../../../lib/config';
import { DEPLOYABLE_FUNCTIONS, deploymentTarget } from '../../../lib/names';
import type { DeployableFunction, DeploymentTarget } from '../../../lib/names';
import { REPO_ROOT } from '../../../lib/paths';
import { OpsError } from './errors';

/** Read and validate `fa:stages` from cdk.json and return the named stage. @throws OpsError */
export function loadStage(name: string, cdkJsonPath = join(REPO_ROOT, 'cdk.json')): Stage {
  let context: unknown;
  try {
    const document: unknown = JSON.parse(readFileSync(cdkJsonPath, 'utf8'));
    context =
      document &&
      typeof document === 'object' &&
      'context' in document &&
      document.context &&
      typeof document.context === 'object' &&
      'fa:stages' in document.context
        ? document.context['fa:stages']
        : undefined;
  } catch (error) {
    throw new OpsError(`cannot read ${cdkJsonPath}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return selectStages(parseStages(context), name)[0]!;
  } catch (error) {
    throw new OpsError(error instanceof Error ? error.message : String(error));
  }
}

/** A deployable function of a stage, with where its alias and CodeDeploy group live. */
export interface StageTarget extends DeploymentTarget {
  readonly name: DeployableFunction;
  readonly region: string;
}

export function stageTarget(stage: Stage, name: DeployableFunction): StageTarget {
  return { name, region: stage.config.region, ...deploymentTarget(stage.name, name) };
}

/** The named function, or all deployable functions for `all`. */
export function stageTargets(stage: Stage, which: DeployableFunction | 'all'): StageTarget[] {
  return (which === 'all' ? DEPLOYABLE_FUNCTIONS : [which]).map((name) => stageTarget(stage, name));
}
