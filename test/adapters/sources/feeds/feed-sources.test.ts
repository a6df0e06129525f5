import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createDemoSources } from '../../../../lambdas/adapters/sources/demo';
import { fileBlobReader } from '../../../../lambdas/adapters/sources/blob-reader';
import { createFeedSources } from '../../../../lambdas/adapters/sources/feeds/feed-sources';
import { deliveriesOf, deliveryFor, parseDelivery } from '../../../../lambdas/adapters/sources/feeds/feed-deliveries';
import type { MalformedLine } from '../../../../lambdas/adapters/sources/feeds/feed-deliveries';
import { SourceUnavailableError } from '../../../../lambdas/core/errors';
import type { CompanyProfile } from '../../../../lambdas/core/model';

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function feedsRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'fa-feeds-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const jsonl = (records: unknown[]) => records.map((record) => JSON.stringify(record)).join('\n') + '\n';

const demo = createDemoSources();
const ASOF = '2026-02-02';

async function demoRecords(count: number) {
  const companies = (await demo.universe.list()).slice(0, count);
  return Promise.all(
    companies.map(async (company) => ({
      company,
      fundamentals: await demo.fundamentals.fundamentals(company, ASOF).catch(() => undefined),
      notes: await demo.research.notes(company, ASOF),
      news: await demo.news.news(company, ASOF).catch(() => []),
    })),
  );
}

const company = (ticker: string) => ({ ticker }) as CompanyProfile;

describe('vendor feeds', () => {
  it('give back exactly the records the demo sources produce, when the demo is written out as feeds', async () => {
    const stocks = await demoRecords(20);
    const root = feedsRoot({
      [`fundamentals/${ASOF}.jsonl`]: jsonl(stocks.flatMap((s) => (s.fundamentals ? [s.fundamentals] : []))),
      [`research/${ASOF}.jsonl`]: jsonl(stocks.flatMap((s) => s.notes)),
      [`news/${ASOF}.jsonl`]: jsonl(stocks.flatMap((s) => s.news)),
    });
    const feeds = createFeedSources({ blobs: fileBlobReader(), root });
    for (const stock of stocks) {
      expect(await feeds.fundamentals.fundamentals(stock.company, ASOF)).toEqual(stock.fundamentals);
      expect(await feeds.research.notes(stock.company, ASOF)).toEqual(stock.notes);
      expect(await feeds.news.news(stock.company, ASOF)).toEqual(stock.news);
    }
    expect(feeds.malformedLines()).toBe(0);
  });

  it('skip a malformed line, reporting its file and line number, and keep the good ones', async () => {
    const [stock] = await demoRecords(1);
    const [good, second] = stock!.news;
    const file = `news/${ASOF}.jsonl`;
    const root = feedsRoot({
      [file]: [
        JSON.stringify(good),
        '{"docId": "nws-broken", ',
        JSON.stringify({ ...second, published: 'yesterday' }),
        '',
        JSON.stringify({ ...good, headline: 'a second line with the same id' }),
      ].join('\n'),
    });
    const skipped: MalformedLine[] = [];
    const feeds = createFeedSources({ blobs: fileBlobReader(), root, onMalformed: (line) => skipped.push(line) });
    expect(await feeds.news.news(stock!.company, ASOF)).toEqual([good]);
    expect(skipped).toEqual([
      { kind: 'news', file: join(root, file), line: 2, reason: 'not valid JSON' },
      { kind: 'news', file: join(root, file), line: 3, reason: 'published must be an ISO timestamp such as 2026-02-02T13:30:00Z' },
      { kind: 'news', file: join(root, file), line: 5, reason: `docId ${good!.docId} repeats an earlier line` },
    ]);
    // Parsed once per file version: asking again reports nothing new.
    await feeds.news.news(stock!.company, ASOF);
    expect(feeds.malformedLines()).toBe(3);
  });

  it('use the newest delivery on or before the as-of date, and only records dated on or before it', async () => {
    const note = (docId: string, published: string, priceTarget: number) => ({
      docId,
      ticker: 'ABC',
      broker: 'Broker',
      analyst: 'Analyst',
      published,
      rating: 'Buy',
      priceTarget,
      currency: 'USD',
      title: 'Title',
      thesis: 'Thesis.',
    });
    const root = feedsRoot({
      'research/2026-01-29.jsonl': jsonl([note('n1', '2026-01-28', 10)]),
      'research/2026-02-02.jsonl': jsonl([note('n1', '2026-01-28', 10), note('n2', '2026-02-02', 12)]),
      'research/2026-02-03.jsonl': jsonl([note('n3', '2026-02-03', 14)]),
      'research/README.txt': 'not a delivery',
    });
    const feeds = createFeedSources({ blobs: fileBlobReader(), root });
    expect((await feeds.research.notes(company('ABC'), '2026-01-30')).map((n) => n.docId)).toEqual(['n1']);
    expect((await feeds.research.notes(company('ABC'), '2026-02-02')).map((n) => n.docId)).toEqual(['n2', 'n1']);
    expect((await feeds.research.notes(company('ABC'), '2026-02-05')).map((n) => n.docId)).toEqual(['n3']);
    // A stock the vendor does not cover is no coverage, not a failure.
    expect(await feeds.research.notes(company('XYZ'), '2026-02-02')).toEqual([]);
  });

  it('count a stale or missing delivery as an unavailable source, saying which and why', async () => {
    const [stock] = await demoRecords(1);
    const root = feedsRoot({ [`fundamentals/2026-01-28.jsonl`]: jsonl([stock!.fundamentals]) });
    const feeds = createFeedSources({ blobs: fileBlobReader(), root, maxAgeDays: { fundamentals: 7 } });
    const stale = feeds.fundamentals.fundamentals(stock!.company, '2026-02-06');
    await expect(stale).rejects.toBeInstanceOf(SourceUnavailableError);
    await expect(stale).rejects.toThrow(
      'fundamentals feed: the newest delivery on or before 2026-02-06 is 2026-01-28, 9 days old (stale after 7)',
    );
    await expect(feeds.news.news(stock!.company, ASOF)).rejects.toThrow(
      `news feed: no delivery on or before ${ASOF} in ${join(root, 'news')}`,
    );
    // Within its age the same delivery is used.
    expect(await feeds.fundamentals.fundamentals(stock!.company, ASOF)).toEqual(stock!.fundamentals);
  });

  it('pick, among any set of deliveries, the newest dated on or before the as-of date', () => {
    const day = fc.integer({ min: 0, max: 60 }).map((n) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.uniqueArray(day, { maxLength: 10 }), day, (dates, asOf) => {
        const deliveries = deliveriesOf(dates.map((date) => ({ location: `x/${date}.jsonl`, name: `${date}.jsonl`, version: '1' })));
        const eligible = dates.filter((date) => date <= asOf).sort();
        expect(deliveryFor(deliveries, asOf)?.date).toBe(eligible.at(-1));
      }),
    );
  });

  it('never let a line that fails its schema through, whatever is wrong with it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const skipped: MalformedLine[] = [];
        const records = parseDelivery('fundamentals', 'f.jsonl', JSON.stringify(value), (line) => skipped.push(line));
        expect(records.length + skipped.length).toBe(1);
        expect(skipped.every((line) => line.line === 1 && line.file === 'f.jsonl')).toBe(true);
      }),
    );
  });
});
