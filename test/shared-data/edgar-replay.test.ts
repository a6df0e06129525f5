/**
 * The real EDGAR files of ../shared/data/edgar, laid out in EDGAR's URL layout by the fixture
 * builder and served by edgar-replay, read through the production factory: Apple's FY2025 10-K
 * (inline XBRL) split into Items 1, 1A and 7 with their real text, chunked by item, company facts
 * for every company that has them, and a second run over the file cache that asks for no Archives
 * document again.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveRequestsOf, startEdgarReplay } from '../../local/edgar-replay';
import type { EdgarReplay } from '../../local/edgar-replay';
import { createEdgarFilingsSource } from '../../lambdas/adapters/sources/edgar/create-edgar-filings-source';
import type { FilingTextSkip } from '../../lambdas/adapters/sources/edgar/edgar-filings-source';
import { splitAnnualReport, splitQuarterlyReport } from '../../lambdas/adapters/sources/edgar/filing-items';
import { chunkDocuments } from '../../lambdas/core/chunking/section-chunker';
import { NotFoundError } from '../../lambdas/core/errors';
import type { CompanyProfile, FilingDocument } from '../../lambdas/core/model';
import { buildEdgarReplayDir, SHARED_EDGAR } from '../fixtures/edgar-replay-dir';
import type { EdgarReplayDir } from '../fixtures/edgar-replay-dir';

const USER_AGENT = 'FA Advisor AI Tests tests@example.com';
const AS_OF = '2026-02-02';

function profile(ticker: string, name: string, cik: string, fiscalYearEndMonth = 12): CompanyProfile {
  return { ticker, name, cik, sector: 'Information Technology', industry: 'n/a', exchange: 'NASDAQ', fiscalYearEndMonth };
}

let layout: EdgarReplayDir;
let replay: EdgarReplay;
let cacheDir: string;

beforeAll(async () => {
  layout = buildEdgarReplayDir();
  replay = await startEdgarReplay({ dir: layout.dir });
  cacheDir = mkdtempSync(join(tmpdir(), 'edgar-cache-'));
});

afterAll(async () => {
  await replay.close();
});

function source(skips: FilingTextSkip[] = []) {
  return createEdgarFilingsSource({
    userAgent: USER_AGENT,
    baseUrl: replay.url,
    responseCacheDir: cacheDir,
    onFilingTextSkipped: (skip) => skips.push(skip),
  });
}

const words = (text: string): string => text.replace(/\s+/g, ' ').trim();

describe('Apple’s FY2025 10-K through edgar-replay', () => {
  let documents: FilingDocument[];
  const skips: FilingTextSkip[] = [];
  const apple = () => profile('AAPL', 'Apple Inc.', layout.ciks.AAPL!, 9);

  beforeAll(async () => {
    replay.resetStats();
    documents = await source(skips).filings(apple(), AS_OF);
  });

  const annual = () => documents.find((d) => d.docId === layout.apple10K.accessionNumber)!;
  const item = (key: string) => annual().sections.find((s) => s.item === key)!;

  it('is the latest 10-K as of the date, cited by its real accession number', () => {
    expect(annual()).toMatchObject({ form: '10-K', filed: '2025-10-31', periodEnd: '2025-09-27', fiscalYear: 2025, fiscalPeriod: 'FY' });
    expect(annual().sections.map((s) => s.item)).toEqual(['1', '1A', '7']);
  });

  it('has Item 1 as the real Business section, the same text the item-1 extract of the filing holds', () => {
    const extract = JSON.parse(readFileSync(join(SHARED_EDGAR, 'filings_text/apple_10k_fy2025_item1_business.json'), 'utf8')) as {
      item1_business_text: string;
    };
    const business = words(item('1').text);
    expect(business.startsWith('Company Background The Company designs, manufactures and markets smartphones')).toBe(true);
    // The extract spaces some inline spans differently ("iPhone ®") and keeps the page footers
    // ("Apple Inc. | 2025 Form 10-K | 1") we leave out, so compare without either.
    const dense = (text: string) => text.replace(/\s+/g, '');
    const extractText = dense(extract.item1_business_text).replace(/AppleInc\.\|2025Form10-K\|\d+/g, '');
    expect(dense(business)).toContain(extractText.slice(0, 2_000));
    expect(dense(business).length).toBeGreaterThan(0.9 * extractText.length);
    expect(business).not.toMatch(/Item 1A|Risk Factors \| 5/);
  });

  it('has a substantial Item 1A and an Item 7 MD&A that discusses net sales with the real figures', () => {
    expect(item('1A').text.length).toBeGreaterThan(40_000);
    expect(item('1A').text).toMatch(/macroeconomic/i);
    const mdna = item('7').text;
    expect(mdna.length).toBeGreaterThan(10_000);
    expect(mdna).toMatch(/net sales/i);
    expect(mdna).toContain('Total net sales | $416,161 | 6% | $391,035');
    expect(mdna).not.toMatch(/Item 7A|Quantitative and Qualitative Disclosures About Market Risk/);
  });

  it('names why the 8-K earnings release has no text (its index is not in the replay folder) and leaves it out', () => {
    expect(documents.map((d) => d.form)).toEqual(['10-K']);
    expect(skips).toEqual([
      expect.objectContaining({
        accessionNumber: '0000320193-25-000077',
        form: '8-K',
        reason: expect.stringMatching(/^NotFoundError: .*HTTP 404/),
      }),
    ]);
  });

  it('chunks by item like the demo filings: every chunk within one item, each item in several chunks', () => {
    const chunks = chunkDocuments([
      {
        docId: annual().docId,
        kind: 'filings',
        title: annual().title,
        date: annual().filed,
        sections: annual().sections.map((s) => ({ section: s.item, title: s.title, text: s.text })),
      },
    ]);
    const perItem = new Map<string, number>();
    for (const chunk of chunks) perItem.set(chunk.section, (perItem.get(chunk.section) ?? 0) + 1);
    expect([...perItem.keys()]).toEqual(['1', '1A', '7']);
    expect(Math.min(...perItem.values())).toBeGreaterThan(5);
  });

  it('makes no Archives request on a second run over the file cache, and revalidates submissions with a 304', async () => {
    replay.resetStats();
    const again = await source().filings(apple(), AS_OF);
    expect(again).toEqual(documents);
    expect(archiveRequestsOf(replay.stats())).toBe(0);
    expect(replay.stats().byPath).toEqual({ [`/submissions/CIK${layout.ciks.AAPL}.json`]: { '304': 1 } });
  });
});

describe('the other real companies through edgar-replay', () => {
  it.each([
    ['AAPL', 'Apple Inc.', 9],
    ['SNOW', 'Snowflake Inc.', 1],
    ['TSLA', 'Tesla, Inc.', 12],
    ['JPM', 'JPMorgan Chase & Co.', 12],
    ['WMT', 'Walmart Inc.', 1],
  ] as const)('%s: company facts come back from the replayed companyfacts JSON', async (ticker, name, fiscalYearEndMonth) => {
    const facts = await source().companyFacts(profile(ticker, name, layout.ciks[ticker]!, fiscalYearEndMonth), AS_OF);
    expect(Object.keys(facts?.facts['us-gaap'] ?? {}).length).toBeGreaterThan(10);
  });

  it('lists Tesla’s latest 10-K without text when its document is not in the folder, naming the reason', async () => {
    const skips: FilingTextSkip[] = [];
    const documents = await source(skips).filings(profile('TSLA', 'Tesla, Inc.', layout.ciks.TSLA!), AS_OF);
    expect(documents.map((d) => [d.docId, d.form, d.sections.length])).toEqual([['0001628280-26-003952', '10-K', 0]]);
    expect(skips.map((s) => [s.accessionNumber, s.reason.split(':')[0]])).toEqual(
      expect.arrayContaining([['0001628280-26-003952', 'NotFoundError']]),
    );
  });

  it('fails filings with NotFoundError for a company whose submissions are not there (Snowflake)', async () => {
    await expect(source().filings(profile('SNOW', 'Snowflake Inc.', layout.ciks.SNOW!, 1), AS_OF)).rejects.toThrow(NotFoundError);
  });
});

describe('the item splitter on other real Apple reports (text renderings of a 10-K and a 10-Q)', () => {
  const text = (file: string) => readFileSync(join(SHARED_EDGAR, 'filings_text', file), 'utf8');

  it('finds Part I Item 2 of the 10-Q (the MD&A, not Part II’s share repurchases) and Part II Item 1A', () => {
    const { sections, missing } = splitQuarterlyReport(text('apple_10q_edgartools.md'));
    expect(missing).toEqual([]);
    const [mdna, risks] = sections;
    expect(mdna!.item).toBe('2');
    expect(mdna!.text.length).toBeGreaterThan(10_000);
    expect(mdna!.text).toMatch(/net sales/i);
    expect(mdna!.text).not.toMatch(/Unregistered Sales of Equity Securities/);
    expect(risks!.item).toBe('1A');
    expect(risks!.text).toMatch(/no material changes to the Company’s risk factors/);
  });

  it('finds Items 1, 1A and 7 of the 10-K, each starting where the item does', () => {
    const { sections } = splitAnnualReport(text('apple_10k_edgartools.md'));
    expect(sections.map((s) => [s.item, s.text.split('\n')[0]!.slice(0, 40)])).toEqual([
      ['1', 'Company Background'],
      ['1A', 'The Company’s business, reputation, resu'],
      ['7', 'The following discussion should be read '],
    ]);
  });
});

describe('the item splitter on 24 real 10-Ks (../shared/data/edgar/10k_items) reassembled behind a table of contents', () => {
  const dir = join(SHARED_EDGAR, '10k_items');
  const ORDER = [
    '1',
    '1A',
    '1B',
    '1C',
    '2',
    '3',
    '4',
    '5',
    '6',
    '7',
    '7A',
    '8',
    '9',
    '9A',
    '9B',
    '9C',
    '10',
    '11',
    '12',
    '13',
    '14',
    '15',
    '16',
  ];
  const files = readdirSync(dir).filter((file) => file.endsWith('.json'));

  it('has the filings it should', () => {
    expect(files).toHaveLength(24);
  });

  it.each(files)('%s: Items 1, 1A and 7 come back exactly, each without its heading line', (file) => {
    const filing = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
    const items = ORDER.filter((key) => typeof filing[`item_${key}`] === 'string' && (filing[`item_${key}`] as string).trim() !== '');
    // Each item's text starts with its own heading ("ITEM 1. Business"); the TOC lines repeat them.
    const toc = ['TABLE OF CONTENTS', ...items.map((key, page) => `Item ${key}. | Title | ${page + 1}`)];
    const text = [...toc, ...items.map((key) => filing[`item_${key}`] as string)].join('\n');
    const { sections, missing } = splitAnnualReport(text);
    expect(missing).toEqual([]);
    const squash = (value: string) => value.replace(/\s+/g, ' ').trim();
    for (const section of sections) {
      const [, ...body] = (filing[`item_${section.item}`] as string).trim().split('\n');
      expect(squash(section.text)).toBe(squash(body.join('\n')));
    }
  });
});
