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
});
