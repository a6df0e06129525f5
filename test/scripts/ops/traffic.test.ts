import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CodeDeployClient, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { GetAliasCommand, LambdaClient, ListVersionsByFunctionCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { runTraffic, TrafficOptionsSchema } from '../../../scripts/lib/ops/commands';
import type { OpsDeps, TrafficOptions } from '../../../scripts/lib/ops/commands';
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

const options = (raw: Record<string, unknown>): TrafficOptions => TrafficOptionsSchema.parse({ stage: 'prod', ...raw });

beforeEach(() => {
  codeDeploy.reset();
  lambda.reset();
  lines.length = 0;
  codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
  lambda.on(GetAliasCommand).resolves({ FunctionVersion: '6', Name: 'live' });
  lambda
    .on(ListVersionsByFunctionCommand)
    .resolves({ Versions: [{ Version: '$LATEST' }, { Version: '5' }, { Version: '7' }, { Version: '6' }] });
  lambda.on(UpdateAliasCommand).resolves({});
});

describe('npm run traffic', () => {
  it('sends P % of the query alias to the newest version and keeps the rest on the current one', async () => {
    const result = await runTraffic(options({ percent: '10' }), deps);
    expect(lambda.commandCalls(UpdateAliasCommand)[0]!.args[0].input).toEqual({
      FunctionName: 'fa-prod-query-api',
      Name: 'live',
      FunctionVersion: '6',
      RoutingConfig: { AdditionalVersionWeights: { '7': 0.1 } },
    });
    expect(result).toEqual({
      stage: 'prod',
      function: 'query-api',
      alias: 'live',
      primaryVersion: '6',
      newVersion: '7',
      percent: 10,
      weights: { '7': 0.1 },
    });
    expect(lines[0]).toBe('fa-prod-query-api:live: 10 % to version 7, 90 % to version 6');
  });

  it('promotes the version already split off at 100 %', async () => {
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '6', RoutingConfig: { AdditionalVersionWeights: { '7': 0.25 } } });
    const result = await runTraffic(options({ percent: 100 }), deps);
    expect(lambda.commandCalls(UpdateAliasCommand)[0]!.args[0].input).toMatchObject({
      FunctionVersion: '7',
      RoutingConfig: { AdditionalVersionWeights: {} },
    });
    expect(result).toMatchObject({ primaryVersion: '7', newVersion: '7', weights: {} });
  });

  it('sends everything back to the primary version at 0 %', async () => {
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '6', RoutingConfig: { AdditionalVersionWeights: { '7': 0.5 } } });
    const result = await runTraffic(options({ percent: 0 }), deps);
    expect(lambda.commandCalls(UpdateAliasCommand)[0]!.args[0].input).toMatchObject({
      FunctionVersion: '6',
      RoutingConfig: { AdditionalVersionWeights: {} },
    });
    expect(result.weights).toEqual({});
  });

  it('shifts the stock processor to an explicit version', async () => {
    await runTraffic(options({ percent: 50, function: 'stock-processor', toVersion: '5' }), deps);
    expect(lambda.commandCalls(UpdateAliasCommand)[0]!.args[0].input).toMatchObject({
      FunctionName: 'fa-prod-process-stock',
      RoutingConfig: { AdditionalVersionWeights: { '5': 0.5 } },
    });
  });

  it('refuses while CodeDeploy is shifting the same alias, and changes nothing', async () => {
    codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: ['d-LIVE123'] });
    await expect(runTraffic(options({ percent: 10 }), deps)).rejects.toThrowError(
      /^CodeDeploy deployment d-LIVE123 is shifting fa-prod-query-api:live right now/,
    );
    expect(codeDeploy.commandCalls(ListDeploymentsCommand)[0]!.args[0].input).toMatchObject({
      applicationName: 'fa-prod-query-api',
      deploymentGroupName: 'fa-prod-query-api',
      includeOnlyStatuses: expect.arrayContaining(['InProgress', 'Created']),
    });
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });

  it('refuses when there is no newer version than the one serving', async () => {
    lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [{ Version: '$LATEST' }, { Version: '6' }] });
    await expect(runTraffic(options({ percent: 10 }), deps)).rejects.toThrowError(
      'fa-prod-query-api:live already sends all traffic to version 6; deploy a new version first or pass --to-version',
    );
  });

  it('says the stage is not deployed when the alias does not exist', async () => {
    lambda.on(GetAliasCommand).rejects(Object.assign(new Error('Function not found'), { name: 'ResourceNotFoundException' }));
    await expect(runTraffic(options({ percent: 10 }), deps)).rejects.toThrowError(
      'fa-prod-query-api:live does not exist in us-east-1; run npm run deploy first',
    );
  });

  it('rejects a percentage outside 0-100, a fraction, an unknown function and an unknown stage', async () => {
    expect(TrafficOptionsSchema.safeParse({ stage: 'prod', percent: '150' }).success).toBe(false);
    expect(TrafficOptionsSchema.safeParse({ stage: 'prod', percent: '12.5' }).success).toBe(false);
    expect(TrafficOptionsSchema.safeParse({ stage: 'prod', percent: '10', function: 'batch' }).success).toBe(false);
    await expect(runTraffic(options({ stage: 'qa', percent: 10 }), deps)).rejects.toThrowError(
      'stage "qa" is not configured; known stages: dev, prod',
    );
  });
});
