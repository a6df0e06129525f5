import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRuntimeConfig } from '../../lambdas/wiring/config';
import { createSources } from '../../lambdas/wiring/sources';
import { ConfigError } from '../../lambdas/core/errors';

const root = mkdtempSync(join(tmpdir(), 'fa-wiring-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const universe = join(root, 'universe.csv');
writeFileSync(universe, 'ticker,name,cik,sector,industry\nAAPL,Apple Inc.,320193,Technology,Hardware\n');
mkdirSync(join(root, 'feeds', 'news'), { recursive: true });
writeFileSync(
  join(root, 'feeds', 'news', '2026-02-02.jsonl'),
  JSON.stringify({
    docId: 'n-1',
    ticker: 'AAPL',
    published: '2026-02-02T12:00:00Z',
    source: 'Wire',
    headline: 'Apple news',
    body: 'Text.',
  }) + '\n',
);

const env = (vars: Record<string, string>) => parseRuntimeConfig({ FA_COST_LEDGER: 'off', ...vars });

describe('the source wiring', () => {
  it('serves the demo universe and data when nothing is chosen', async () => {
    const sources = createSources(env({}));
    const [first] = await sources.universe.list();
    expect(first!.ticker).toBe('WJRX');
    expect(await sources.news.news(first!, '2026-02-02')).not.toHaveLength(0);
  });

  it('serves the CSV universe, EDGAR and the feeds with FA_SOURCES=edgar', async () => {
    const sources = createSources(
      env({
        FA_SOURCES: 'edgar',
        FA_UNIVERSE: universe,
        FA_FEEDS: join(root, 'feeds'),
        EDGAR_USER_AGENT: 'Acme Advisors ops@acme.example',
      }),
    );
    const apple = (await sources.universe.get('AAPL'))!;
    expect(apple).toMatchObject({ cik: '0000320193', sector: 'Information Technology' });
    expect((await sources.news.news(apple, '2026-02-02')).map((item) => item.docId)).toEqual(['n-1']);
    // Feeds with no delivery are an unavailable source, recorded by the pipeline (not the demo's data).
    await expect(sources.fundamentals.fundamentals(apple, '2026-02-02')).rejects.toThrow('fundamentals feed: no delivery');
    await expect(sources.research.notes(apple, '2026-02-02')).rejects.toThrow('research feed: no delivery');
  });

  it('mixes per kind: demo universe and filings with news from a feed', async () => {
    const sources = createSources(env({ FA_SOURCES: 'news=feed', FA_FEEDS: join(root, 'feeds') }));
    const [first] = await sources.universe.list();
    expect(first!.ticker).toBe('WJRX');
    expect(await sources.news.news(first!, '2026-02-02')).toEqual([]);
    expect(await sources.filings.filings(first!, '2026-02-02')).not.toHaveLength(0);
  });

  it('names the feeds as missing sources when no feeds root is set, rather than refusing to brief', async () => {
    const sources = createSources(env({ FA_SOURCES: 'edgar', FA_UNIVERSE: universe, EDGAR_USER_AGENT: 'Acme Advisors ops@acme.example' }));
    const apple = (await sources.universe.get('AAPL'))!;
    await expect(sources.news.news(apple, '2026-02-02')).rejects.toThrow('news feed: no feeds configured (FA_FEEDS is not set)');
    await expect(sources.fundamentals.fundamentals(apple, '2026-02-02')).rejects.toThrow('fundamentals feed: no feeds configured');
  });

  it.each([
    [
      { FA_SOURCES: 'edgar', FA_FEEDS: 'f', EDGAR_USER_AGENT: 'A b@c.de' },
      'invalid environment variable FA_UNIVERSE: is required when FA_SOURCES has a csv universe',
    ],
    [
      { FA_SOURCES: 'edgar', FA_UNIVERSE: 'u.csv', FA_FEEDS: 'f' },
      'invalid environment variable EDGAR_USER_AGENT: is required when FA_SOURCES reads EDGAR',
    ],
    [{ FA_SOURCES: 'sec' }, 'invalid environment variable FA_SOURCES: must be demo, edgar'],
  ])('refuses an incomplete environment %j with one line', (vars, message) => {
    expect(() => env(vars)).toThrow(ConfigError);
    expect(() => env(vars)).toThrow(message);
  });
});
