/**
 * Bucketing reproduces GrowthBook exactly (its published SDK vectors), and assignment from the hash
 * alone is deterministic, honours coverage and namespaces, and splits units by the weights.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketRanges, chooseArm, fnv1a32, hashToUnit, inNamespace } from '../../../lambdas/core/experiments/hashing';
import { hashAssignment, seedOf } from '../../../lambdas/core/experiments/assignment';
import { experiment } from './fixtures';
import { BUCKET_RANGE_CASES, CHOOSE_VARIATION_CASES, HASH_CASES, IN_NAMESPACE_CASES } from './growthbook-vectors';

describe('GrowthBook compatibility', () => {
  it('FNV-1a 32-bit matches the reference vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it.each(HASH_CASES)('hash(%j, %j, v%d) is %d', (seed, value, version, expected) => {
    expect(hashToUnit(seed, value, version) ?? null).toBe(expected);
  });

  it.each(BUCKET_RANGE_CASES)('bucket ranges: %s', (_name, [arms, coverage, weights], expected) => {
    const ranges = bucketRanges(arms, coverage, weights ?? undefined);
    expect(ranges).toHaveLength(expected.length);
    ranges.forEach(([start, end], i) => {
      expect(start).toBeCloseTo(expected[i]![0]!, 9);
      expect(end).toBeCloseTo(expected[i]![1]!, 9);
    });
  });

  it.each(CHOOSE_VARIATION_CASES)('choose arm: %s', (_name, n, ranges, expected) => {
    expect(chooseArm(n, ranges as Array<[number, number]>)).toBe(expected);
  });

  it.each(IN_NAMESPACE_CASES)('namespace: %s', (_name, unit, [name, start, end], expected) => {
    expect(inNamespace(unit, { name, range: [start, end] })).toBe(expected);
  });
});

describe('assignment from the hash', () => {
  it('is deterministic: the same unit always gets the same arm', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), (unit) => {
        const e = experiment();
        expect(hashAssignment(e, 'batch', unit)).toEqual(hashAssignment(e, 'batch', unit));
      }),
    );
  });

  it('splits units by the weights (90/10 within two points over 20,000 units)', () => {
    const e = experiment();
    let v2 = 0;
    for (let i = 0; i < 20_000; i += 1) if (hashAssignment(e, 'batch', `T${i}`).arm.key === 'v2') v2 += 1;
    expect(v2 / 20_000).toBeGreaterThan(0.08);
    expect(v2 / 20_000).toBeLessThan(0.12);
  });

  it('lowering coverage only takes units out; no covered unit changes arm', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), (unit, coverage) => {
        const full = hashAssignment(experiment(), 'batch', unit);
        const partial = hashAssignment(experiment({ coverage }), 'batch', unit);
        if (partial.inExperiment) expect(partial.arm.key).toBe(full.arm.key);
        else expect(partial.reason).toBe('coverage');
      }),
    );
  });

  it('keeps units outside the namespace slice out, with the control arm', () => {
    const e = experiment({ namespace: { name: 'writer_prompt', range: [0, 0.5] } });
    const decisions = Array.from({ length: 2_000 }, (_, i) => hashAssignment(e, 'query', `fa-${i}`));
    const outside = decisions.filter((d) => d.reason === 'namespace');
    expect(outside.length / decisions.length).toBeGreaterThan(0.4);
    expect(outside.length / decisions.length).toBeLessThan(0.6);
    expect(outside.every((d) => !d.inExperiment && d.arm.key === 'v1')).toBe(true);
  });

  it('a new bucket version changes the seed, and so re-randomises units', () => {
    expect(seedOf(experiment())).toBe('medium_writer');
    expect(seedOf(experiment({ bucketVersion: 2 }))).toBe('medium_writer:bv2');
    const equal = experiment({
      arms: [
        { key: 'a', weight: 0.5 },
        { key: 'b', weight: 0.5 },
      ],
    });
    const bumped = experiment({
      arms: [
        { key: 'a', weight: 0.5 },
        { key: 'b', weight: 0.5 },
      ],
      bucketVersion: 1,
    });
    const moved = Array.from({ length: 1_000 }, (_, i) => `T${i}`).filter(
      (u) => hashAssignment(equal, 'batch', u).arm.key !== hashAssignment(bumped, 'batch', u).arm.key,
    );
    expect(moved.length).toBeGreaterThan(400);
    expect(moved.length).toBeLessThan(600);
  });

  it('a stopped experiment or a surface it does not name gives the control arm', () => {
    expect(hashAssignment(experiment({ status: 'stopped' }), 'batch', 'T1')).toMatchObject({ inExperiment: false, reason: 'not_running' });
    expect(hashAssignment(experiment({ units: { batch: 'ticker' } }), 'query', 'fa-1')).toMatchObject({
      inExperiment: false,
      reason: 'not_on_surface',
      arm: { key: 'v1' },
    });
  });
});
