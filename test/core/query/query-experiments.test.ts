/**
 * The query path under an A/B test: the FA's arm (assigned by FA id) is the answer's prompt variant
 * and part of the cache key, and one observation per written answer goes to the arm's counters.
 */
import { describe, expect, it } from 'vitest';
import { LocalAnswerLlm } from '../../../lambdas/adapters/llm/local-answer-llm';
import { answerQuery } from '../../../lambdas/core/query/query-service';
import type { ExperimentPort } from '../../../lambdas/core/ports/index';
import { ExperimentAssigner, hashAssignment } from '../../../lambdas/core/experiments/assignment';
import type { ArmChoice, ExposureRecord, ExposureStore } from '../../../lambdas/core/experiments/assignment';
import { parseExperimentFile } from '../../../lambdas/core/experiments/definitions';
import { recording, testQueryDeps } from '../../integration/query-fixtures';
import { experiment } from '../experiments/fixtures';

/** An in-memory exposure store with the same first-writer-wins rule as the DynamoDB one. */
function memoryStore(): ExposureStore & { records: Map<string, ExposureRecord> } {
  const records = new Map<string, ExposureRecord>();
  const key = (r: Pick<ExposureRecord, 'experiment' | 'bucketVersion' | 'surface' | 'unitId'>) =>
    `${r.experiment}#${r.bucketVersion}#${r.surface}#${r.unitId}`;
  return {
    records,
    get: async (experiment, bucketVersion, surface, unitId) => records.get(key({ experiment, bucketVersion, surface, unitId })),
    putFirst: async (record) => {
      const existing = records.get(key(record));
      if (existing) return { record: existing, created: false };
      records.set(key(record), record);
      return { record, created: true };
    },
  };
}

function port(): ExperimentPort & { observations: Array<{ choice: ArmChoice; values: Record<string, number> }> } {
  const assigner = new ExperimentAssigner(parseExperimentFile({ version: 1, experiments: [experiment()] }), {
    store: memoryStore(),
    now: () => new Date(),
  });
  const observations: Array<{ choice: ArmChoice; values: Record<string, number> }> = [];
  return {
    observations,
    assign: (surface, unit) => assigner.assign(surface, unit),
    record: async (choice, values) => void observations.push({ choice, values }),
  };
}

/** FA ids hashed into each arm of the 90/10 test. */
const faIn = (arm: string) =>
  Array.from({ length: 500 }, (_, i) => `fa-${i}`).find((fa) => hashAssignment(experiment(), 'query', fa).arm.key === arm)!;

describe('answers under the medium_writer experiment', () => {
  it('carry the FA arm as their prompt variant, and FAs in different arms never share a cached answer', async () => {
    const experiments = port();
    const deps = await testQueryDeps({ llm: recording(new LocalAnswerLlm()) });
    const question = { question: 'What was KQRV revenue last quarter?' };
    const control = await answerQuery(faIn('v1'), question, { ...deps, experiments });
    const treatment = await answerQuery(faIn('v2'), question, { ...deps, experiments });
    const again = await answerQuery(faIn('v2'), question, { ...deps, experiments });
    if (control.kind !== 'answered' || treatment.kind !== 'answered' || again.kind !== 'answered') throw new Error('expected answers');
    expect(control.answer.promptVariant).toBe('medium_writer:v1');
    expect(treatment.answer.promptVariant).toBe('medium_writer:v2');
    expect(treatment.answer.cache.hit).toBe(false);
    expect(again.answer.cache.hit).toBe(true);
    // One observation per written answer, none for the cached one.
    expect(experiments.observations.map((o) => o.choice.arm)).toEqual(['v1', 'v2']);
    expect(experiments.observations[0]!.values).toMatchObject({ answer_flagged_rate: expect.any(Number) });
  });

  it('without experiments the configured label stays', async () => {
    const deps = await testQueryDeps({ llm: new LocalAnswerLlm() });
    const outcome = await answerQuery('fa-1', { question: 'What was KQRV revenue last quarter?' }, deps);
    expect(outcome.kind === 'answered' && outcome.answer.promptVariant).toBe(deps.promptVariant);
  });
});
