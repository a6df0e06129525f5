/**
 * Production's pre-traffic golden stock is a real company (issue 12): its ticker is in the SEC list,
 * never one of the demo universe's fictional tickers, so a new version is judged on real sources.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createDemoSources } from '../../lambdas/adapters/sources/demo';

const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const secTickers = new Set(
  Object.values(
    JSON.parse(readFileSync(`${DATA}universe/sec_company_tickers_2026-02.json`, 'utf8')) as Record<string, { ticker: string }>,
  ).map((c) => c.ticker),
);
const stages = (
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context: { 'fa:stages': Record<string, { batch: { goldenStock?: { ticker: string } } }> };
  }
).context['fa:stages'];

describe("production's golden stock", () => {
  it('is a real SEC-listed company, not a fictional demo ticker', async () => {
    const ticker = stages.prod!.batch.goldenStock!.ticker;
    expect(secTickers.has(ticker)).toBe(true);
    const demo = new Set((await createDemoSources({}).universe.list()).map((c) => c.ticker));
    expect(demo.has(ticker)).toBe(false);
  });
});
