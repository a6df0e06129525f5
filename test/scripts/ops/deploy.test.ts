import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CodeDeployClient, GetDeploymentCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { cdkDeployArgs, DeployOptionsSchema, runDeploy } from '../../../scripts/lib/ops/commands';
import type { DeployDeps } from '../../../scripts/lib/ops/commands';
import { waitForDeployment } from '../../../scripts/lib/ops/codedeploy';
import { loadStage } from '../../../scripts/lib/ops/stage';

const codeDeploy = mockClient(CodeDeployClient);
const lines: string[] = [];
const cdkCalls: string[][] = [];
let cdkExitCode = 0;
let sleeps = 0;

const deps: DeployDeps = {
  loadStage,
  codeDeploy: (region) => new CodeDeployClient({ region }),
  lambda: (region) => new LambdaClient({ region }),
  log: (line) => lines.push(line),
  sleep: async () => {
    sleeps += 1;
  },
  now: () => new Date('2026-03-02T14:00:00Z'),
  runCdk: async (args) => {
    cdkCalls.push([...args]);
    return cdkExitCode;
  },
};

const options = (raw: Record<string, unknown> = {}) => DeployOptionsSchema.parse({ stage: 'prod', ...raw });

beforeEach(() => {
  codeDeploy.reset();
  lines.length = 0;
  cdkCalls.length = 0;
  cdkExitCode = 0;
  sleeps = 0;
  codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
});

describe('npm run deploy', () => {
  it('deploys every stack of the stage through the CDK CLI with the stage selected', async () => {
    await runDeploy(options(), deps);
    expect(cdkCalls).toEqual([
      ['deploy', '--all', '-c', 'stage=prod', '--require-approval', 'broadening', '--outputs-file', 'cdk.out/outputs-prod.json'],
    ]);
    expect(cdkDeployArgs(options({ requireApproval: 'never' }))).toContain('never');
  });

  it('follows the canary the stack update started until CodeDeploy reports success', async () => {
    codeDeploy.on(ListDeploymentsCommand, { applicationName: 'fa-prod-query-api' }).resolves({ deployments: ['d-CANARY1'] });
    codeDeploy
      .on(GetDeploymentCommand)
      .resolvesOnce({ deploymentInfo: { status: 'InProgress' } })
      .resolvesOnce({ deploymentInfo: { status: 'InProgress' } })
      .resolves({ deploymentInfo: { status: 'Succeeded' } });
    const result = await runDeploy(options(), deps);
    expect(result).toEqual({
      stage: 'prod',
      outputsFile: 'cdk.out/outputs-prod.json',
      deployments: [{ function: 'query-api', deploymentId: 'd-CANARY1', status: 'Succeeded', targetVersion: undefined }],
      succeeded: true,
    });
    expect(sleeps).toBe(2);
    const since = codeDeploy.commandCalls(ListDeploymentsCommand)[0]!.args[0].input.createTimeRange?.start;
    expect(since).toEqual(new Date('2026-03-02T13:59:00Z'));
    expect(lines).toEqual(
      expect.arrayContaining(['query-api: CodeDeploy deployment d-CANARY1', 'query-api: InProgress', 'query-api: Succeeded']),
    );
  });

  it('reports failure when CodeDeploy rolled the deployment back', async () => {
    codeDeploy.on(ListDeploymentsCommand, { applicationName: 'fa-prod-stock-processor' }).resolves({ deployments: ['d-HOOK1'] });
    codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'Failed' } });
    const result = await runDeploy(options(), deps);
    expect(result.succeeded).toBe(false);
    expect(result.deployments).toEqual([
      { function: 'stock-processor', deploymentId: 'd-HOOK1', status: 'Failed', targetVersion: undefined },
    ]);
  });

  it('does not wait with --no-wait', async () => {
    codeDeploy.on(ListDeploymentsCommand, { applicationName: 'fa-prod-query-api' }).resolves({ deployments: ['d-CANARY1'] });
    codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'InProgress' } });
    const result = await runDeploy(options({ wait: false }), deps);
    expect(result.deployments[0]!.status).toBe('InProgress');
    expect(result.succeeded).toBe(true);
    expect(sleeps).toBe(0);
  });

  it('skips a function whose stack does not exist yet', async () => {
    codeDeploy
      .on(ListDeploymentsCommand, { applicationName: 'fa-prod-query-api' })
      .rejects(Object.assign(new Error('no app'), { name: 'ApplicationDoesNotExistException' }));
    const result = await runDeploy(options(), deps);
    expect(result.deployments).toEqual([]);
    expect(lines).toContain('no function code changed: no CodeDeploy deployment was needed');
  });

  it('stops with one line when cdk deploy fails, before looking for deployments', async () => {
    cdkExitCode = 1;
    await expect(runDeploy(options(), deps)).rejects.toThrowError('cdk deploy failed with exit code 1; see its output above');
    expect(codeDeploy.commandCalls(ListDeploymentsCommand)).toHaveLength(0);
  });

  it('gives up waiting after a bounded number of checks', async () => {
    codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: 'InProgress' } });
    await expect(
      waitForDeployment(new CodeDeployClient({ region: 'us-east-1' }), 'd-SLOW', { sleep: async () => {}, maxPolls: 3 }),
    ).rejects.toThrowError(/^deployment d-SLOW is still InProgress after 3 checks/);
  });

  it('rejects an unknown approval level and a malformed stage name', () => {
    expect(DeployOptionsSchema.safeParse({ stage: 'prod', requireApproval: 'sometimes' }).success).toBe(false);
    expect(DeployOptionsSchema.safeParse({ stage: 'Prod!' }).success).toBe(false);
  });
});
