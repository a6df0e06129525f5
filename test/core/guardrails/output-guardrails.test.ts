import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredSummary } from '../../../lambdas/core/model/index';
import { ANSWER_DISCLAIMER, checkOutput, mergeSnapshots } from '../../../lambdas/core/guardrails/output-guardrails';
import { formatFact, formatPeriod } from '../../../lambdas/core/facts/format';
import { memoryBriefs } from '../../integration/query-fixtures';

let kqrv: StoredSummary;
let hjln: StoredSummary;
beforeAll(async () => {
  const store = await memoryBriefs();
  kqrv = store.summaries.get('KQRV')!;
  hjln = store.summaries.get('HJLN')!;
});

function revenueFact(summary: StoredSummary) {
  return summary.snapshot.facts.find((f) => f.metric === 'revenue' && f.period.fiscalPeriod === 'FY')!;
}

describe('output guardrails', () => {
  it('keep a sentence whose figure, period and citation match the retrieved facts', () => {
    const fact = revenueFact(kqrv);
    const sentence = { text: `Revenue was ${formatFact(fact)} for ${formatPeriod(fact.period)}.`, citations: [fact.docId] };
    const result = checkOutput([sentence], kqrv.snapshot);
    expect(result).toMatchObject({ kept: [sentence], removed: [], flags: [], hallucinationFlagged: false });
    expect(result.claimsChecked).toBeGreaterThan(0);
  });

  it('remove a sentence with an invented figure, a wrong scale or a wrong period, and flag a hallucination', () => {
    const fact = revenueFact(kqrv);
    const good = { text: `Revenue was ${formatFact(fact)} for ${formatPeriod(fact.period)}.`, citations: [fact.docId] };
    const invented = { text: 'Revenue was $9,999.9 million for fiscal 2025.', citations: [fact.docId] };
    const scaled = {
      text: good.text.replace(/million|billion/, (w) => (w === 'million' ? 'billion' : 'million')),
      citations: [fact.docId],
    };
    const period = { text: `Revenue was ${formatFact(fact)} for fiscal ${fact.period.fiscalYear - 3}.`, citations: [fact.docId] };
    const result = checkOutput([good, invented, scaled, period], kqrv.snapshot);
    expect(result.kept).toEqual([good]);
    expect(result.removed.map((r) => r.flag).sort()).toEqual(['ungrounded_number', 'wrong_period', 'wrong_scale']);
    expect(result.hallucinationFlagged).toBe(true);
    // The risk shown is that of the sentence kept, scored again without the removed ones.
    expect(result.risk).toEqual(checkOutput([good], kqrv.snapshot).risk);
    expect(result.risk.decision).toBe('publish');
    expect(checkOutput([good, invented], kqrv.snapshot).risk.score).toBeLessThan(0.5);
  });

  it('score the risk of what they keep: a hedge-worthy unsupported statement is kept with a higher risk than a grounded one', () => {
    const fact = revenueFact(kqrv);
    const good = { text: `Revenue was ${formatFact(fact)} for ${formatPeriod(fact.period)}.`, citations: [fact.docId] };
    const vague = { text: 'Management expects demand to stay resilient.', citations: [fact.docId] };
    const grounded = checkOutput([good], kqrv.snapshot).risk;
    const mixed = checkOutput([good, vague], kqrv.snapshot);
    expect(grounded.score).toBeLessThan(0.1);
    expect(mixed.kept).toHaveLength(2);
    expect(mixed.risk.score).toBeGreaterThan(grounded.score);
  });

  it('remove a figure without a citation, or cited to a document that does not hold it', () => {
    const fact = revenueFact(kqrv);
    const text = `Revenue was ${formatFact(fact)} for ${formatPeriod(fact.period)}.`;
    const uncited = checkOutput([{ text, citations: [] }], kqrv.snapshot);
    expect(uncited.removed[0]!.flag).toBe('missing_citation');
    expect(uncited.flags).toContain('no_citations');
    const miscited = checkOutput([{ text, citations: [kqrv.snapshot.documents.find((d) => d.kind === 'news')!.docId] }], kqrv.snapshot);
    expect(miscited.removed[0]!.flag).toBe('citation_mismatch');
  });

  it('remove promises and recommendations but keep reported analyst ratings', () => {
    const note = kqrv.snapshot.documents.find((d) => d.kind === 'research')!.docId;
    const result = checkOutput(
      [
        { text: 'The stock will definitely double next year.', citations: [note] },
        { text: 'Returns are guaranteed for patient holders.', citations: [note] },
        { text: 'You should buy the shares before the next report.', citations: [note] },
        { text: 'Harbor Ridge Securities rates the stock Buy.', citations: [note] },
      ],
      kqrv.snapshot,
    );
    expect(result.kept.map((s) => s.text)).toEqual(['Harbor Ridge Securities rates the stock Buy.']);
    expect(result.flags).toEqual(['promissory_language', 'recommendation_language']);
    expect(result.hallucinationFlagged).toBe(false);
  });

  it('check an answer about several stocks against all of their facts at once', () => {
    const a = revenueFact(kqrv);
    const b = revenueFact(hjln);
    const sentences = [
      { text: `KQRV revenue was ${formatFact(a)} for ${formatPeriod(a.period)}.`, citations: [a.docId] },
      { text: `HJLN revenue was ${formatFact(b)} for ${formatPeriod(b.period)}.`, citations: [b.docId] },
    ];
    expect(checkOutput(sentences, mergeSnapshots([kqrv.snapshot, hjln.snapshot])).kept).toEqual(sentences);
    // Against one stock's facts alone, the other's figure is unsupported.
    expect(checkOutput(sentences, kqrv.snapshot).kept).toHaveLength(1);
  });

  it('ship a disclaimer that carries no figure for the checks to trip on', () => {
    expect(ANSWER_DISCLAIMER).not.toMatch(/\d/);
    expect(ANSWER_DISCLAIMER).toMatch(/not investment advice/);
  });
});
