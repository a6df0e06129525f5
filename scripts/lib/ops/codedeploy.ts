/**
 * CodeDeploy queries and actions shared by deploy, traffic and rollback. Every AWS answer is
 * parsed with zod before it is trusted; every wait is bounded.
 */
import { GetDeploymentCommand, ListDeploymentsCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import type { CodeDeployClient, DeploymentStatus } from '@aws-sdk/client-codedeploy';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { OpsError } from './errors';
import type { StageTarget } from './stage';

/** Statuses of a deployment that is still moving traffic (or about to). */
export const ACTIVE_STATUSES: DeploymentStatus[] = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];
const TERMINAL = new Set(['Succeeded', 'Failed', 'Stopped']);

/** Deployment ids of a target's group, newest first, optionally filtered by status and start time. */
export async function listDeployments(
  client: CodeDeployClient,
  target: StageTarget,
  options: { statuses?: DeploymentStatus[]; since?: Date } = {},
): Promise<string[]> {
  try {
    const response = await client.send(
      new ListDeploymentsCommand({
        applicationName: target.application,
        deploymentGroupName: target.deploymentGroup,
        includeOnlyStatuses: options.statuses,
        createTimeRange: options.since ? { start: options.since } : undefined,
      }),
    );
    return response.deployments ?? [];
  } catch (error) {
    if (
      error instanceof Error &&
      (error.name === 'ApplicationDoesNotExistException' || error.name === 'DeploymentGroupDoesNotExistException')
    ) {
      throw new OpsError(
        `${target.name} is not deployed in this stage (no CodeDeploy group ${target.deploymentGroup}); run npm run deploy first`,
      );
    }
    throw error;
  }
}

/** The deployment currently shifting the target's alias, if any. */
export async function activeDeployment(client: CodeDeployClient, target: StageTarget): Promise<string | undefined> {
  return (await listDeployments(client, target, { statuses: ACTIVE_STATUSES }))[0];
}

const AppSpecSchema = z.object({
  Resources: z
    .array(
      z.record(
        z.string(),
        z.object({
          Type: z.literal('AWS::Lambda::Function'),
          Properties: z.object({
            Name: z.string(),
            Alias: z.string(),
            CurrentVersion: z.coerce.string(),
            TargetVersion: z.coerce.string(),
          }),
        }),
      ),
    )
    .min(1),
});

export interface DeploymentInfo {
  readonly deploymentId: string;
  readonly status: string;
  /** Version the alias pointed at before the deployment, and the one it deployed. */
  readonly currentVersion?: string;
  readonly targetVersion?: string;
}

/** Status and versions of a deployment (versions from its AppSpec, when it has one). */
export async function describeDeployment(client: CodeDeployClient, deploymentId: string): Promise<DeploymentInfo> {
  const response = await client.send(new GetDeploymentCommand({ deploymentId }));
  const info = response.deploymentInfo;
  if (!info?.status) throw new OpsError(`CodeDeploy returned no status for deployment ${deploymentId}`);
  const content = info.revision?.appSpecContent?.content ?? info.revision?.string?.content;
  let versions: { currentVersion?: string; targetVersion?: string } = {};
  if (content) {
    let document: unknown;
    try {
      document = parseYaml(content);
    } catch {
      document = undefined;
    }
    const appSpec = AppSpecSchema.safeParse(document);
    if (appSpec.success) {
      const properties = Object.values(appSpec.data.Resources[0]!)[0]!.Properties;
      versions = { currentVersion: properties.CurrentVersion, targetVersion: properties.TargetVersion };
    }
  }
  return { deploymentId, status: info.status, ...versions };
}

/** Stop a deployment and let CodeDeploy shift the alias back to the old version. */
export async function stopWithRollback(client: CodeDeployClient, deploymentId: string): Promise<string> {
  const response = await client.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }));
  return response.status ?? 'Pending';
}

export interface WaitOptions {
  /** Injected so tests do not wait. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly pollMs?: number;
  /** Upper bound on polls (default: 30 minutes' worth). */
  readonly maxPolls?: number;
  readonly onStatus?: (info: DeploymentInfo) => void;
}

/** Poll a deployment until it succeeds, fails or stops. @throws OpsError when it outlasts maxPolls. */
export async function waitForDeployment(client: CodeDeployClient, deploymentId: string, options: WaitOptions): Promise<DeploymentInfo> {
  const pollMs = options.pollMs ?? 15_000;
  const maxPolls = options.maxPolls ?? Math.ceil((30 * 60_000) / pollMs);
  let last: DeploymentInfo | undefined;
  for (let poll = 0; poll < maxPolls; poll += 1) {
    const info = await describeDeployment(client, deploymentId);
    if (info.status !== last?.status) options.onStatus?.(info);
    last = info;
    if (TERMINAL.has(info.status)) return info;
    await options.sleep(pollMs);
  }
  throw new OpsError(
    `deployment ${deploymentId} is still ${last?.status ?? 'unknown'} after ${maxPolls} checks; follow it with aws deploy get-deployment --deployment-id ${deploymentId}`,
  );
}
