import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildFactSnapshot } from '../../../lambdas/core/facts/normalise';
import { briefInputFrom } from '../../../lambdas/core/summary/brief-input';
import { composeBrief } from '../../../lambdas/core/summary/compose-brief';
import { extractClaims, findPeriods, verifyDraftGrounding } from '../../../lambdas/core/grounding';
import type { SummaryDraft } from '../../../lambdas/core/model/index';
import { bundleOf, filed, filedMetricsArb, fundamentals, note } from '../../support/snapshots';

const K = '0009900001-26-000002';
const snapshot = buildFactSnapshot(bundleOf({ fundamentals: fundamentals(), notes: [note('bmx-1')] }), [
  filed('revenue', 1_234_500_000, 2025, 'FY', K),
  filed('revenue', 1_100_000_000, 2024, 'FY', '0009900001-25-000001'),
  filed('net_income', -42_300_000, 2025, 'FY', K),
  filed('eps_diluted', 1.52, 2025, 'FY', K),
]);

function draftOf(text: string, citations: string[]): SummaryDraft {
  const body = { sections: [{ section: 'recent_results' as const, sentences: [{ text, citations }] }] };
  return { hook: body, medium: body, expanded: body };
}

const kinds = (text: string, citations: string[]) => [
  ...new Set(verifyDraftGrounding(draftOf(text, citations), snapshot).findings.map((f) => f.kind)),
];

describe('claim extraction', () => {
  it('reads money with scale words, per-share values, percentages and multiples', () => {
    const claims = extractClaims('Revenue was $1,234.5 million, EPS $1.52, margin 12.3%, at 18.4x earnings.');
    expect(claims.flatMap((c) => (c.kind === 'numeric' ? [[c.figure.unit, c.figure.value]] : []))).toEqual([
      ['usd', 1_234_500_000],
      ['usd', 1.52],
      ['pct', 12.3],
      ['x', 18.4],
    ]);
  });

  it('treats dates and fiscal periods as periods, not figures', () => {
    const claims = extractClaims('In the third quarter of fiscal 2026, as of March 3, 2026, nothing changed.');
    expect(claims.filter((c) => c.kind === 'numeric')).toEqual([]);
    const periods = findPeriods('In the third quarter of fiscal 2026, as of March 3, 2026, nothing changed.');
    expect(periods.map((p) => [p.kind, p.year, p.quarter ?? p.date])).toEqual([
      ['quarter', 2026, 3],
      ['date', 2026, '2026-03-03'],
    ]);
  });
});

describe('verifying a summary against the fact snapshot', () => {
  it('passes a figure copied with its period and citation', () => {
    expect(kinds('Revenue for fiscal 2025 was $1,234.5 million.', [K])).toEqual([]);
  });

  it('accepts a loss stated in words with its absolute value', () => {
    expect(kinds('The company reported a net loss of $42.3 million in fiscal 2025.', [K])).toEqual([]);
  });

  it('catches a figure at the wrong scale', () => {
    expect(kinds('Revenue for fiscal 2025 was $1,234.5 billion.', [K])).toEqual(['wrong_scale']);
  });

  it('catches a figure attributed to the wrong fiscal year', () => {
    expect(kinds('Revenue for fiscal 2026 was $1,234.5 million.', [K])).toEqual(['wrong_period']);
  });

  it('catches a number that is in no source', () => {
    expect(kinds('Revenue for fiscal 2025 was $1,777.0 million.', [K])).toEqual(['unsupported_number']);
  });

  it('requires a citation on every sentence that carries a figure', () => {
    expect(kinds('Revenue for fiscal 2025 was $1,234.5 million.', [])).toContain('missing_citation');
  });

  it('rejects citations of documents that are not in the snapshot', () => {
    expect(kinds('The outlook is steady.', ['0000000000-00-000000'])).toEqual(['unknown_citation']);
  });

  it('flags a figure whose cited document does not hold it', () => {
    expect(kinds('Revenue for fiscal 2025 was $1,234.5 million.', ['bmx-1'])).toEqual(['citation_mismatch']);
  });

  it('rejects dates after the as-of date', () => {
    expect(kinds('The company reports again on December 15, 2026.', [K])).toEqual(['future_date']);
  });
});

describe('briefs composed from any snapshot', () => {
  it('always verify, narrative and facts-only alike', () => {
    fc.assert(
      fc.property(filedMetricsArb, fc.boolean(), (metrics, withVendor) => {
        const bundle = bundleOf({ fundamentals: withVendor ? fundamentals() : undefined, notes: [note('bmx-1')] });
        const snap = buildFactSnapshot(bundle, metrics);
        const input = briefInputFrom(snap, bundle);
        for (const style of ['narrative', 'facts_only'] as const) {
          const result = verifyDraftGrounding(composeBrief(input, style), snap);
          expect(result.findings).toEqual([]);
          expect(result.claimsChecked).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never let a swapped scale word through', () => {
    fc.assert(
      fc.property(filedMetricsArb, (metrics) => {
        const bundle = bundleOf({ fundamentals: fundamentals() });
        const snap = buildFactSnapshot(bundle, metrics);
        const draft = composeBrief(briefInputFrom(snap, bundle), 'narrative');
        const sentence = draft.expanded.sections.flatMap((s) => s.sentences).find((s) => /\b(million|billion)\b/.test(s.text));
        fc.pre(sentence !== undefined);
        sentence!.text = sentence!.text.replace(/\b(million|billion)\b/, (w) => (w === 'million' ? 'billion' : 'million'));
        expect(verifyDraftGrounding(draft, snap).passed).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('quoting source prose', () => {
  it('splits sentences at their ends, not after company abbreviations or inside quotes', async () => {
    const { splitSentences, numberFreeSentences } = await import('../../../lambdas/core/summary/brief-input');
    const text = 'Zyora Corp. ("Zyora," the "Company") provides hotels. Our stock trades under the symbol "ZQRR." We grew 8% last year.';
    expect(splitSentences(text)).toEqual([
      'Zyora Corp. ("Zyora," the "Company") provides hotels.',
      'Our stock trades under the symbol "ZQRR."',
      'We grew 8% last year.',
    ]);
    expect(numberFreeSentences(text, 5)).toEqual([
      'Zyora Corp. ("Zyora," the "Company") provides hotels.',
      'Our stock trades under the symbol "ZQRR."',
    ]);
  });
});
