/**
 * The batch's brief check reads the excerpts the writer was given: a correct brief's prose about the
 * business, its risks and analysts' theses rests on them, so its risk decides "publish", where the
 * same brief checked against the facts alone is riskier; an invented sentence still fails.
 */
import { describe, expect, it } from 'vitest';
import { verifyBrief } from '../../../lambdas/core/pipeline/write-and-verify';
import { gatherSources } from '../../../lambdas/core/pipeline/process-stock';
import { verifyDraftGrounding } from '../../../lambdas/core/grounding';
import { buildFactSnapshot } from '../../../lambdas/core/facts/normalise';
import { briefInputFrom } from '../../../lambdas/core/summary/brief-input';
import { composeBrief } from '../../../lambdas/core/summary/compose-brief';
import { createDemoSources } from '../../../lambdas/adapters/sources/demo';
import { extractMetrics } from '../../../lambdas/adapters/sources/edgar/companyfacts';

async function demoBrief(index: number) {
  const sources = createDemoSources({});
  const company = (await sources.universe.list())[index]!;
  const asOf = '2026-11-23';
  const bundle = await gatherSources(company, asOf, sources);
  const metrics = bundle.companyFacts ? extractMetrics(bundle.companyFacts, { asOf, fiscalYearEndMonth: company.fiscalYearEndMonth }) : [];
  const snapshot = buildFactSnapshot(bundle, metrics);
  const input = briefInputFrom(snapshot, bundle);
  return { snapshot, input, draft: composeBrief(input, 'narrative') };
}

describe('verifyBrief', () => {
  it('publishes a correct brief whose prose rests on the excerpts, riskier without them', async () => {
    for (const i of [0, 7, 19]) {
      const { snapshot, input, draft } = await demoBrief(i);
      const withExcerpts = verifyBrief(draft, snapshot, input);
      const factsAlone = verifyDraftGrounding(draft, snapshot);
      expect(withExcerpts.passed).toBe(true);
      expect(withExcerpts.risk.decision).toBe('publish');
      expect(withExcerpts.risk.score).toBeLessThan(factsAlone.risk.score);
    }
  });

  it('fails a brief with an invented event among its sentences', async () => {
    const { snapshot, input, draft } = await demoBrief(3);
    const overview = draft.expanded.sections.find((s) => s.section === 'overview')!;
    const cited = overview.sentences[0]!.citations;
    overview.sentences.push({
      text: 'The company announced a merger with a Japanese rival and a $4 billion special dividend.',
      citations: cited,
    });
    const result = verifyBrief(draft, snapshot, input);
    expect(result.passed).toBe(false);
    expect(result.risk.decision).not.toBe('publish');
  });
});
