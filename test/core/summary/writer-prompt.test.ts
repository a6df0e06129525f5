import { describe, expect, it } from 'vitest';
import { createDemoSources, DEMO_HARD_CASES, tickersWithHardCase } from '../../../lambdas/adapters/sources/demo/index';
import { extractMetrics } from '../../../lambdas/adapters/sources/edgar/companyfacts';
import { buildFactSnapshot } from '../../../lambdas/core/facts/normalise';
import { gatherSources } from '../../../lambdas/core/pipeline/process-stock';
import { briefInputFrom } from '../../../lambdas/core/summary/brief-input';
import type { VerificationFinding } from '../../../lambdas/core/model/index';
import type { BriefInput } from '../../../lambdas/core/summary/brief-input';
import { parseWriterPrompt, renderWriterPrompt } from '../../../lambdas/core/summary/writer-prompt';

const AS_OF = '2026-11-24';
const sources = createDemoSources();

async function briefInputOf(ticker: string): Promise<BriefInput> {
  const company = (await sources.universe.get(ticker))!;
  const bundle = await gatherSources(company, AS_OF, sources);
  const metrics = bundle.companyFacts
    ? extractMetrics(bundle.companyFacts, { asOf: AS_OF, fiscalYearEndMonth: company.fiscalYearEndMonth })
    : [];
  return briefInputFrom(buildFactSnapshot(bundle, metrics, 'hash'), bundle);
}

describe('the writer prompt', () => {
  // One stock of every planted hard case (conflicts, restatements, losses, odd fiscal years, gaps …).
  const tickers = [
    ...new Set(DEMO_HARD_CASES.map((hardCase) => tickersWithHardCase(hardCase)[0]).filter((t): t is string => t !== undefined)),
  ];

  it('carries every fact so that the local provider reads back exactly what was rendered', async () => {
    expect(tickers.length).toBeGreaterThan(5);
    for (const ticker of tickers) {
      const input = await briefInputOf(ticker);
      const prompt = renderWriterPrompt(input);
      expect(parseWriterPrompt(prompt).input, ticker).toEqual(input);
      const finding: VerificationFinding = {
        length: 'medium',
        section: 'recent_results',
        sentence: 'Revenue was $9.9 billion.',
        kind: 'unsupported_number',
        detail: '$9.9 billion is not in the facts',
      };
      expect(parseWriterPrompt(renderWriterPrompt(input, [finding])).findings).toEqual([finding]);
    }
  });

  it('sends the facts as a table, far smaller than the same facts as JSON objects', async () => {
    const input = await briefInputOf(tickers[0]!);
    const prompt = renderWriterPrompt(input);
    const facts = /<facts>\n([\s\S]*?)\n<\/facts>/.exec(prompt)![1]!;
    expect(facts.split('\n')).toHaveLength(input.facts.length + 1);
    expect(facts.length).toBeLessThan(JSON.stringify(input.facts).length / 2.5);
  });

  it('refuses a facts table whose rows do not match the columns', async () => {
    const prompt = renderWriterPrompt(await briefInputOf(tickers[0]!)).replace(/\n\["revenue",[^\n]*/, '\n["revenue","2025-FY"]');
    expect(() => parseWriterPrompt(prompt)).toThrow();
  });
});
