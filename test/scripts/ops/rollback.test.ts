import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CodeDeployClient, GetDeploymentCommand, ListDeploymentsCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { GetAliasCommand, LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { RollbackOptionsSchema, runRollback } from '../../../scripts/lib/ops/commands';
import type { OpsDeps } from '../../../scripts/lib/ops/commands';
import { loadStage } from '../../../scripts/lib/ops/stage';

const codeDeploy = mockClient(CodeDeployClient);
const lambda = mockClient(LambdaClient);
const lines: string[] = [];

const deps: OpsDeps = {
  loadStage,
  codeDeploy: (region) => new CodeDeployClient({ region }),
  lambda: (region) => new LambdaClient({ region }),
  log: (line) => lines.push(line),
  sleep: async () => {},
  now: () => new Date('2026-03-02T14:00:00Z'),
};

/** The AppSpec CloudFormation gives CodeDeploy for a Lambda alias update. */
function appSpec(current: string, target: string): string {
  return JSON.stringify({
    version: 0.0,
    Resources: [
      {
        QueryFunctionLiveAlias: {
          Type: 'AWS::Lambda::Function',
          Properties: { Name: 'fa-prod-query-api', Alias: 'live', CurrentVersion: current, TargetVersion: target },
        },
      },
    ],
    Hooks: [{ BeforeAllowTraffic: 'fa-prod-query-api-pre-traffic' }],
  });
}

const queryOnly = RollbackOptionsSchema.parse({ stage: 'prod', function: 'query-api' });

beforeEach(() => {
  codeDeploy.reset();
  lambda.reset();
  lines.length = 0;
  codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
  lambda.on(GetAliasCommand).resolves({ FunctionVersion: '7' });
  lambda.on(UpdateAliasCommand).resolves({});
});

describe('npm run rollback', () => {
  it('stops a deployment in flight with automatic rollback', async () => {
    codeDeploy
      .on(ListDeploymentsCommand, { includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'] })
      .resolves({ deployments: ['d-CANARY1'] });
    codeDeploy.on(StopDeploymentCommand).resolves({ status: 'Pending', statusMessage: 'Stopping' });
    const result = await runRollback(queryOnly, deps);
    expect(codeDeploy.commandCalls(StopDeploymentCommand)[0]!.args[0].input).toEqual({
      deploymentId: 'd-CANARY1',
      autoRollbackEnabled: true,
    });
    expect(result.actions).toEqual([{ function: 'query-api', action: 'stopped-deployment', deploymentId: 'd-CANARY1', status: 'Pending' }]);
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });

  it('removes a manual traffic split, keeping the primary version', async () => {
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '6', RoutingConfig: { AdditionalVersionWeights: { '7': 0.3 } } });
    const result = await runRollback(queryOnly, deps);
    expect(lambda.commandCalls(UpdateAliasCommand)[0]!.args[0].input).toEqual({
      FunctionName: 'fa-prod-query-api',
      Name: 'live',
      FunctionVersion: '6',
      RoutingConfig: { AdditionalVersionWeights: {} },
    });
    expect(result.actions[0]).toEqual({ function: 'query-api', action: 'cleared-traffic-split', version: '6', removed: { '7': 0.3 } });
  });

  it('restores the version the last successful deployment replaced', async () => {
    codeDeploy.on(ListDeploymentsCommand, { includeOnlyStatuses: ['Succeeded'] }).resolves({ deployments: ['d-DONE2', 'd-OLDER1'] });
    codeDeploy.on(GetDeploymentCommand, { deploymentId: 'd-DONE2' }).resolves({
      deploymentInfo: { status: 'Succeeded', revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec('6', '7') } } },
    });
    const result = await runRollback(queryOnly, deps);
    expect(lambda.commandCalls(UpdateAliasCommand)[0]!.args[0].input).toMatchObject({
      FunctionVersion: '6',
      RoutingConfig: { AdditionalVersionWeights: {} },
    });
    expect(result.actions[0]).toEqual({
      function: 'query-api',
      action: 'restored-previous-version',
      deploymentId: 'd-DONE2',
      fromVersion: '7',
      toVersion: '6',
    });
  });

  it('does nothing when the alias already serves the version from before the last deployment', async () => {
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '6' });
    codeDeploy.on(ListDeploymentsCommand, { includeOnlyStatuses: ['Succeeded'] }).resolves({ deployments: ['d-DONE2'] });
    codeDeploy
      .on(GetDeploymentCommand)
      .resolves({ deploymentInfo: { status: 'Succeeded', revision: { revisionType: 'String', string: { content: appSpec('6', '7') } } } });
    const result = await runRollback(queryOnly, deps);
    expect(result.actions).toEqual([{ function: 'query-api', action: 'nothing-to-roll-back', version: '6' }]);
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });

  it('ignores a deployment record without a readable AppSpec rather than guessing a version', async () => {
    codeDeploy.on(ListDeploymentsCommand, { includeOnlyStatuses: ['Succeeded'] }).resolves({ deployments: ['d-ODD'] });
    codeDeploy.on(GetDeploymentCommand).resolves({
      deploymentInfo: { status: 'Succeeded', revision: { revisionType: 'AppSpecContent', appSpecContent: { content: '{not: [valid' } } },
    });
    const result = await runRollback(queryOnly, deps);
    expect(result.actions[0]!.action).toBe('nothing-to-roll-back');
  });

  it('rolls back both functions by default and skips one the stage does not have yet', async () => {
    lambda
      .on(GetAliasCommand, { FunctionName: 'fa-prod-query-api' })
      .rejects(Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' }));
    lambda
      .on(GetAliasCommand, { FunctionName: 'fa-prod-process-stock' })
      .resolves({ FunctionVersion: '3', RoutingConfig: { AdditionalVersionWeights: { '4': 0.1 } } });
    const result = await runRollback(RollbackOptionsSchema.parse({ stage: 'prod' }), deps);
    expect(result.actions).toEqual([{ function: 'stock-processor', action: 'cleared-traffic-split', version: '3', removed: { '4': 0.1 } }]);
    expect(lines).toContain('query-api: not deployed in stage prod; skipped');
  });

  it('fails with one line when the named function is not deployed', async () => {
    codeDeploy
      .on(ListDeploymentsCommand)
      .rejects(Object.assign(new Error('group missing'), { name: 'DeploymentGroupDoesNotExistException' }));
    await expect(runRollback(queryOnly, deps)).rejects.toThrowError(
      'query-api is not deployed in this stage (no CodeDeploy group fa-prod-query-api); run npm run deploy first',
    );
  });
});
