/** The experiments wiring: an experiments table that cannot be read never stops a process from starting. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createExperiments } from '../../lambdas/wiring/experiments';
import { tableNamesFor } from '../../lambdas/core/contracts/tables';

const unreachable = {
  send: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')),
} as unknown as DynamoDBDocumentClient;

describe('createExperiments', () => {
  it('starts on the statuses of the definitions when the experiments table cannot be read', async () => {
    const experiments = await createExperiments(unreachable, tableNamesFor(''), { FA_EXPERIMENTS: 'on' });
    expect(experiments).toBeDefined();
  });

  it('is off when FA_EXPERIMENTS=off', async () => {
    expect(await createExperiments(unreachable, tableNamesFor(''), { FA_EXPERIMENTS: 'off' })).toBeUndefined();
  });

  it('forces an arm on every unit with FA_EXPERIMENT_FORCE, and neither stores an exposure nor counts an observation for it', async () => {
    const calls: string[] = [];
    const recording = {
      send: async (command: { constructor: { name: string } }) => {
        calls.push(command.constructor.name);
        return {};
      },
    } as unknown as DynamoDBDocumentClient;
    const experiments = await createExperiments(recording, tableNamesFor(''), { FA_EXPERIMENT_FORCE: 'medium_writer=v2' });
    calls.length = 0;
    const choices = await Promise.all(['AAA', 'BBB', 'CCC', 'DDD', 'EEE'].map((t) => experiments!.assign('batch', t)));
    expect(new Set(choices.map((c) => c.label))).toEqual(new Set(['medium_writer:v2']));
    expect((await experiments!.assign('query', 'fa-1')).label).toBe('medium_writer:v2');
    await experiments!.record(choices[0]!, { fact_check_pass_rate: 1 });
    expect(calls).toEqual([]);
  });

  it('refuses a forced arm the definitions do not have, in one line', async () => {
    await expect(createExperiments(unreachable, tableNamesFor(''), { FA_EXPERIMENT_FORCE: 'medium_writer=v9' })).rejects.toThrow(
      'FA_EXPERIMENT_FORCE names arm v9 of medium_writer, which has arms v1, v2',
    );
    await expect(createExperiments(unreachable, tableNamesFor(''), { FA_EXPERIMENT_FORCE: 'nope=v1' })).rejects.toThrow(
      /not an experiment/,
    );
    await expect(createExperiments(unreachable, tableNamesFor(''), { FA_EXPERIMENT_FORCE: 'medium_writer' })).rejects.toThrow(
      /must be experiment=arm/,
    );
  });
});
