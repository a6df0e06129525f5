/**
 * Every sentence the query path writes from a fact alone passes the detector, whatever the fact and
 * its sign (the batch's briefs are covered by verify-draft.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildFactSnapshot } from '../../../lambdas/core/facts/normalise';
import { verifyDraftGrounding } from '../../../lambdas/core/grounding';
import type { SummaryDraft } from '../../../lambdas/core/model';
import { bundleOf, filedMetricsArb, fundamentals, note } from '../../support/snapshots';

describe('query answers written from facts', () => {
  it('pass, whatever the fact and its sign', async () => {
    const { factSentence } = await import('../../../lambdas/core/query/fact-sentences');
    const { metricLabel } = await import('../../../lambdas/core/query/context');
    const { formatFact, formatPeriod } = await import('../../../lambdas/core/facts/format');
    const { periodKey } = await import('../../../lambdas/core/facts/normalise');
    fc.assert(
      fc.property(filedMetricsArb, (metrics) => {
        const bundle = bundleOf({ fundamentals: fundamentals(), notes: [note('bmx-1')] });
        const snap = buildFactSnapshot(bundle, metrics);
        const sentences = snap.facts.map((fact) => ({
          text: factSentence(
            {
              id: fact.id,
              ticker: snap.ticker,
              metric: fact.metric,
              label: metricLabel(fact.metric),
              periodLabel: formatPeriod(fact.period),
              fiscalYear: fact.period.fiscalYear,
              fiscalPeriod: periodKey(fact.period) === 'spot' ? 'spot' : fact.period.fiscalPeriod,
              display: formatFact(fact),
              negative: fact.value < 0,
              sources: [1],
            },
            snap.companyName,
          ).text,
          citations: [fact.docId],
        }));
        const draft: SummaryDraft = {
          hook: { sections: [] },
          medium: { sections: [] },
          expanded: { sections: [{ section: 'overview', sentences }] },
        };
        const result = verifyDraftGrounding(draft, snap);
        expect(result.findings.map((f) => `${f.grounding}: ${f.sentence} — ${f.detail}`)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
