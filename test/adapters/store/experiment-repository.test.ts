/**
 * Sticky assignment and per-arm counters on real DynamoDB API calls (dynalite): the first exposure
 * is a conditional write that a second writer cannot replace, changing weights never moves a unit
 * already assigned, a bucket version starts over, and counters add up atomically.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../lambdas/adapters/store/dynamo-repositories';
import { DynamoExperimentRepository } from '../../../lambdas/adapters/store/experiment-repository';
import { ExperimentAssigner, hashAssignment } from '../../../lambdas/core/experiments/assignment';
import { parseExperimentFile } from '../../../lambdas/core/experiments/definitions';
import type { Experiment } from '../../../lambdas/core/experiments/definitions';
import { tableNamesFor } from '../../../lambdas/core/contracts/tables';
import { startTestDynamo } from '../../support/dynalite';
import type { TestDynamo } from '../../support/dynalite';
import { experiment } from '../../core/experiments/fixtures';

let dynamo: TestDynamo;
let repository: DynamoExperimentRepository;
let doc: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  doc = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
  repository = new DynamoExperimentRepository(doc, tableNamesFor('').experiments);
}, 60_000);

afterAll(async () => {
  doc.destroy();
  await dynamo.close();
});

const fileOf = (...experiments: Experiment[]) => parseExperimentFile({ version: 1, experiments });
const now = () => new Date('2026-12-04T06:00:00Z');

describe('sticky first exposure in DynamoDB', () => {
  it('the first writer wins: a second conditional write returns the stored arm', async () => {
    const first = await repository.putFirst({
      experiment: 'sticky',
      bucketVersion: 0,
      surface: 'batch',
      unitId: 'AAA',
      arm: 'v1',
      firstExposedAt: '2026-12-01T00:00:00Z',
    });
    const second = await repository.putFirst({
      experiment: 'sticky',
      bucketVersion: 0,
      surface: 'batch',
      unitId: 'AAA',
      arm: 'v2',
      firstExposedAt: '2026-12-02T00:00:00Z',
    });
    expect(first.created).toBe(true);
    expect(second).toEqual({ created: false, record: first.record });
    expect((await repository.counts('sticky', 0)).exposures).toEqual({ v1: 1 });
  });

  it('changing the weights never reshuffles units already assigned', async () => {
    const before = experiment({ key: 'reweigh' });
    const after = experiment({
      key: 'reweigh',
      arms: [
        { key: 'v1', weight: 0.2 },
        { key: 'v2', weight: 0.8 },
      ],
    });
    const units = Array.from({ length: 60 }, (_, i) => `U${i}`);
    const a = new ExperimentAssigner(fileOf(before), { store: repository, now });
    const first = await Promise.all(units.map((u) => a.assign('batch', u)));
    const b = new ExperimentAssigner(fileOf(after), { store: repository, now });
    const again = await Promise.all(units.map((u) => b.assign('batch', u)));
    expect(again.map((c) => c.arm)).toEqual(first.map((c) => c.arm));
    // ...while the hash alone, for the same units, would have moved some of them.
    expect(units.some((u) => hashAssignment(after, 'batch', u).arm.key !== hashAssignment(before, 'batch', u).arm.key)).toBe(true);
    // A unit seen for the first time under the new weights follows them.
    const fresh = await b.assign('batch', 'NEW-UNIT');
    expect(fresh.arm).toBe(hashAssignment(after, 'batch', 'NEW-UNIT').arm.key);
  });

  it('assignment is deterministic for any unit id, with or without the store', async () => {
    const e = experiment({ key: 'determinism' });
    const assigner = new ExperimentAssigner(fileOf(e), { store: repository, now });
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Za-z0-9-]{1,16}$/), async (unit) => {
        const choice = await assigner.assign('query', unit);
        expect(choice.arm).toBe(hashAssignment(e, 'query', unit).arm.key);
        expect(choice.label).toBe(`determinism:${choice.arm}`);
      }),
      { numRuns: 40 },
    );
  });

  it('a new bucket version re-randomises: stored exposures of the old version are not read', async () => {
    const v0 = experiment({
      key: 'rerandom',
      arms: [
        { key: 'a', weight: 0.5 },
        { key: 'b', weight: 0.5 },
      ],
    });
    const v1 = experiment({
      key: 'rerandom',
      arms: [
        { key: 'a', weight: 0.5 },
        { key: 'b', weight: 0.5 },
      ],
      bucketVersion: 1,
    });
    const units = Array.from({ length: 40 }, (_, i) => `R${i}`);
    const old = await Promise.all(units.map((u) => new ExperimentAssigner(fileOf(v0), { store: repository, now }).assign('batch', u)));
    const bumped = await Promise.all(units.map((u) => new ExperimentAssigner(fileOf(v1), { store: repository, now }).assign('batch', u)));
    expect(bumped.filter((c, i) => c.arm !== old[i]!.arm).length).toBeGreaterThan(5);
    expect(bumped.map((c) => c.arm)).toEqual(units.map((u) => hashAssignment(v1, 'batch', u).arm.key));
  });

  it('a stopped experiment gives everyone the control label', async () => {
    const e = experiment({ key: 'stopped_one' });
    const assigner = new ExperimentAssigner(fileOf(e), { store: repository, now, statusOf: () => 'stopped' });
    expect(await assigner.assign('batch', 'ANY')).toEqual({ label: 'control', params: {} });
  });
});

describe('per-arm sufficient statistics', () => {
  it('concurrent observations add up exactly (UpdateItem ADD)', async () => {
    const values = Array.from({ length: 50 }, (_, i) => i % 3);
    await Promise.all(
      values.map((x) =>
        repository.addObservations({ experiment: 'counters', bucketVersion: 0, arm: 'v2', values: { words: x, pass: x > 0 ? 1 : 0 } }),
      ),
    );
    const counts = await repository.counts('counters', 0);
    expect(counts.metrics.words!.v2).toEqual({
      n: 50,
      sum: values.reduce((s, x) => s + x, 0),
      sumSq: values.reduce((s, x) => s + x * x, 0),
    });
    expect(counts.metrics.pass!.v2!.sum).toBe(values.filter((x) => x > 0).length);
  });

  it('aggregates per unit exactly under concurrent writes: a unit seen many times is one unit', async () => {
    const observations = Array.from({ length: 60 }, (_, i) => ({ unit: `FA${i % 7}`, value: (i * 13) % 5 }));
    await Promise.all(
      observations.map((o) =>
        repository.addObservations({
          experiment: 'per_unit',
          bucketVersion: 0,
          arm: 'v1',
          unitId: o.unit,
          values: { answer_cost_usd: o.value },
        }),
      ),
    );
    const perUnit = new Map<string, { x: number; n: number }>();
    for (const o of observations) {
      const u = perUnit.get(o.unit) ?? { x: 0, n: 0 };
      perUnit.set(o.unit, { x: u.x + o.value, n: u.n + 1 });
    }
    const units = [...perUnit.values()];
    const counts = await repository.counts('per_unit', 0);
    expect(counts.perUnit!.answer_cost_usd!.v1).toEqual({
      units: 7,
      x: units.reduce((s, u) => s + u.x, 0),
      n: 60,
      xx: units.reduce((s, u) => s + u.x * u.x, 0),
      nn: units.reduce((s, u) => s + u.n * u.n, 0),
      xn: units.reduce((s, u) => s + u.x * u.n, 0),
    });
    expect(counts.metrics.answer_cost_usd!.v1!.n).toBe(60);
  });

  it('start keeps the first start time; stop records when', async () => {
    const started = await repository.setStatus('lifecycle', 'running', new Date('2026-12-01T00:00:00Z'));
    await repository.setStatus('lifecycle', 'stopped', new Date('2026-12-02T00:00:00Z'));
    const restarted = await repository.setStatus('lifecycle', 'running', new Date('2026-12-03T00:00:00Z'));
    expect(started.startedAt).toBe('2026-12-01T00:00:00.000Z');
    expect(restarted.startedAt).toBe('2026-12-01T00:00:00.000Z');
    expect(restarted.stoppedAt).toBeUndefined();
    expect((await repository.getState('lifecycle'))?.status).toBe('running');
  });
});
