/**
 * The regression checks of one brief: a verified brief passes every one; a scale slip fails numeric
 * accuracy by the independent amount reading even when no verifier is asked; a date past the as-of
 * date fails date logic; a dropped citation fails coverage; a promise fails compliance language.
 */
import { describe, expect, it } from 'vitest';
import { checkBrief, datesIn, statesFact, unmatchedAmounts } from '../../../lambdas/core/evaluation/brief-checks';
import { loadDatasets } from '../../../evals/lib/dataset-files';
import { pinnedMaterials } from '../../../evals/lib/materials';

const { regression } = loadDatasets();
const row = regression.rows[0]!;
const snapshot = (await pinnedMaterials([row])).get(row.id)!.snapshot;

function edited(edit: (text: string) => string, sentence = 0, section = 'recent_results') {
  const brief = structuredClone(row.verifiedBrief);
  const s = brief.expanded.sections.find((x) => x.section === section)!.sentences[sentence]!;
  s.text = edit(s.text);
  return { brief, text: s.text, sentence: s };
}

describe('the brief checks', () => {
  it('pass a verified brief on every check', () => {
    const check = checkBrief(row, { status: 'verified', summary: row.verifiedBrief }, snapshot);
    expect(check.findings).toEqual([]);
    expect(check.keyFactsFound).toBe(check.keyFacts);
    expect(check.citedFigureSentences).toBe(check.figureSentences);
  });

  it('read a swapped scale word as an amount no source has', () => {
    const brief = structuredClone(row.verifiedBrief);
    const sentence = brief.expanded.sections.flatMap((x) => x.sentences).find((x) => /\$[\d.]+ ?(?:M|m|million)\b/.test(x.text))!;
    sentence.text = sentence.text.replace(/\$([\d.]+) ?(?:M|m|million)\b/, '$$$1 billion');
    expect(unmatchedAmounts(sentence.text, snapshot).map((f) => f.raw.trim())).toHaveLength(1);
    expect(checkBrief(row, { status: 'verified', summary: brief }, snapshot).numericAccurate).toBe(false);
  });

  it('fail date logic on a date after the as-of date', () => {
    expect(datesIn('as of November 16, 2026 and March 3, 2027')).toEqual(['2026-11-16', '2027-03-03']);
    const brief = structuredClone(row.verifiedBrief);
    brief.expanded.sections[0]!.sentences.push({ text: 'The company will report on March 3, 2027.', citations: [] });
    const check = checkBrief(row, { status: 'verified', summary: brief }, snapshot);
    expect(check.datesValid).toBe(false);
    expect(check.findings.some((f) => f.check === 'date_logic' && f.detail.includes('2027-03-03'))).toBe(true);
  });

  it('count a figure without a citation against coverage, and a promise against compliance language', () => {
    const { brief, sentence } = edited((t) => t);
    sentence.citations = [];
    sentence.text = `${sentence.text.replace(/\.$/, '')}, and the shares will keep rising.`;
    const check = checkBrief(row, { status: 'verified', summary: brief }, snapshot);
    expect(check.citedFigureSentences).toBe(check.figureSentences - 1);
    expect(check.compliantLanguage).toBe(false);
  });

  it('find a key fact only with its line item, period and value', () => {
    const fact = { metric: 'revenue', period: 'fiscal 2025', value: 1_551_000_000, display: '$1.55 billion' };
    expect(statesFact(['Revenue for FY2025 was $1.55B, rising 3 percent.'], fact)).toBe(true);
    expect(statesFact(['Revenue for FY2024 was $1.55B.'], fact)).toBe(false);
    expect(statesFact(['Net income for FY2025 was $1.55B.'], fact)).toBe(false);
    expect(statesFact(['Revenue for FY2025 was $1.65B.'], fact)).toBe(false);
  });
});
