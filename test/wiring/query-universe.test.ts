/** The query path resolves tickers from the universe the source wiring chooses: the batch's. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'fa-query-universe-'));
const universe = join(dir, 'universe.csv');
writeFileSync(
  universe,
  'ticker,name,cik,sector,industry\nAAPL,Apple Inc.,320193,Technology,Hardware\nKO,The Coca-Cola Company,21344,Consumer Defensive,Beverages\n',
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the query wiring with a CSV universe', () => {
  it('resolves real names and tickers from the CSV, and no demo company', async () => {
    // The runtime config is read once per process, from these variables.
    Object.assign(process.env, {
      FA_SOURCES: 'edgar',
      FA_UNIVERSE: universe,
      FA_FEEDS: join(dir, 'feeds'),
      EDGAR_USER_AGENT: 'Acme Advisors ops@acme.example',
      FA_LLM: 'local',
      FA_COST_LEDGER: 'off',
      // This test is about the universe; experiments read their state from DynamoDB, which it does not start.
      FA_EXPERIMENTS: 'off',
    });
    const { queryDependencies } = await import('../../lambdas/wiring/query');
    const deps = await queryDependencies();
    try {
      expect(deps.resolver.get('AAPL')?.cik).toBe('0000320193');
      expect(
        deps.resolver
          .resolve('How safe is the Coca-Cola dividend compared with AAPL?')
          .map((r) => r.ticker)
          .sort(),
      ).toEqual(['AAPL', 'KO']);
      expect(deps.resolver.get('WJRX')).toBeUndefined();
    } finally {
      await deps.close();
    }
  });
});
