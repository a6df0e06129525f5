import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildFactSnapshot, sourceHashOf } from '../../../lambdas/core/facts/normalise';
import { bundleOf, filed, filedMetricsArb, fundamentals, note } from '../../support/snapshots';

const K25 = '0009900001-26-000002';
const K24 = '0009900001-25-000001';

describe('the fact snapshot', () => {
  it('prefers the filing when vendor data disagrees, and keeps the vendor value as a ranked conflict', () => {
    const snapshot = buildFactSnapshot(bundleOf({ fundamentals: fundamentals() }), [filed('eps_diluted', 1.52, 2025, 'FY', K25)]);
    const eps = snapshot.facts.filter((f) => f.metric === 'eps_diluted' && f.period.fiscalYear === 2025);
    expect(eps).toHaveLength(1);
    expect(eps[0]).toMatchObject({ value: 1.52, source: 'filings', docId: K25 });
    expect(snapshot.conflicts).toContainEqual(
      expect.objectContaining({
        metric: 'eps_diluted',
        kind: 'cross_source',
        candidates: [
          expect.objectContaining({ value: 1.52, source: 'filings' }),
          expect.objectContaining({ value: 1.5, source: 'fundamentals' }),
        ],
      }),
    );
  });

  it('does not call rounding differences a conflict', () => {
    const snapshot = buildFactSnapshot(bundleOf({ fundamentals: fundamentals() }), [filed('revenue', 1_234_510_000, 2025, 'FY', K25)]);
    expect(snapshot.conflicts.filter((c) => c.metric === 'revenue')).toEqual([]);
  });

  it('scales vendor figures reported in thousands to base units', () => {
    const snapshot = buildFactSnapshot(bundleOf({ fundamentals: fundamentals({ scale: 'thousands', marketCap: 4_250_000 }) }), []);
    const cap = snapshot.facts.find((f) => f.metric === 'market_cap')!;
    expect(cap.value).toBe(4_250_000_000);
    expect(cap.reportedScale).toBe(1e3);
  });

  it('keeps a restated figure and what was first reported', () => {
    const restated = filed('revenue', 1_200_000_000, 2024, 'FY', K25, {
      restatements: [{ value: 1_150_000_000, form: '10-K', filed: '2025-02-20', accn: K24 }],
    });
    const snapshot = buildFactSnapshot(bundleOf(), [restated]);
    expect(snapshot.conflicts).toEqual([
      expect.objectContaining({
        kind: 'restatement',
        candidates: [expect.objectContaining({ value: 1_200_000_000 }), expect.objectContaining({ value: 1_150_000_000, docId: K24 })],
      }),
    ]);
    expect(snapshot.documents.map((d) => d.docId)).toContain(K24);
  });

  it('derives margins and growth from facts of the same period and names them', () => {
    const snapshot = buildFactSnapshot(bundleOf(), [
      filed('revenue', 200, 2025, 'FY', K25),
      filed('revenue', 160, 2024, 'FY', K24),
      filed('gross_profit', 90, 2025, 'FY', K25),
    ]);
    const margin = snapshot.facts.find((f) => f.metric === 'gross_margin')!;
    expect(margin.value).toBeCloseTo(45);
    expect(margin.derivedFrom).toEqual([`gross_profit|2025-FY|${K25}`, `revenue|2025-FY|${K25}`]);
    expect(snapshot.facts.find((f) => f.metric === 'revenue_growth')!.value).toBeCloseTo(25);
  });

  it('marks stale and missing sources instead of guessing', () => {
    const snapshot = buildFactSnapshot(
      bundleOf({
        notes: [note('bmx-old', { published: '2025-01-02' })],
        failures: [{ source: 'fundamentals', reason: 'SourceUnavailableError: down' }],
      }),
      [],
    );
    expect(snapshot.staleSources).toEqual([{ source: 'research', newest: '2025-01-02' }]);
    expect(snapshot.missingSources).toEqual([{ source: 'fundamentals', reason: 'SourceUnavailableError: down' }]);
  });

  it('has one value per metric and period, whatever the inputs', () => {
    fc.assert(
      fc.property(filedMetricsArb, (metrics) => {
        const snapshot = buildFactSnapshot(bundleOf({ fundamentals: fundamentals() }), metrics);
        const keys = snapshot.facts
          .filter((f) => f.metric !== 'price_target')
          .map((f) => `${f.metric}|${f.period.fiscalYear}|${f.period.fiscalPeriod}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const fact of snapshot.facts) expect(snapshot.documents.map((d) => d.docId)).toContain(fact.docId);
      }),
    );
  });

  it('changes its source hash when any source content changes, and only then', () => {
    const bundle = bundleOf({ notes: [note('bmx-1')] });
    expect(sourceHashOf(bundle)).toBe(sourceHashOf(structuredClone(bundle)));
    expect(sourceHashOf({ ...bundle, notes: [note('bmx-1', { priceTarget: 56 })] })).not.toBe(sourceHashOf(bundle));
  });
});
