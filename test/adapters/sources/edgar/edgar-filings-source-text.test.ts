/**
 * EdgarFilingsSource with a real EdgarClient against the edgar-replay server over a small synthetic
 * filer: filing text split into items, the 8-K item 2.02 press release found through the filing
 * index, one missing document costing only its own filing, the response cache (Archives documents
 * never asked for again, submissions revalidated with 304), and injected 429s retried with jitter.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { archiveRequestsOf, startEdgarReplay } from '../../../../local/edgar-replay';
import type { EdgarReplay, EdgarReplayOptions } from '../../../../local/edgar-replay';
import { EdgarClient } from '../../../../lambdas/adapters/sources/edgar/edgar-client';
import type { EdgarClientOptions, EdgarRetryEvent } from '../../../../lambdas/adapters/sources/edgar/edgar-client';
import { EdgarFilingsSource } from '../../../../lambdas/adapters/sources/edgar/edgar-filings-source';
import type { FilingTextSkip } from '../../../../lambdas/adapters/sources/edgar/edgar-filings-source';
import { MDNA_TITLE } from '../../../../lambdas/adapters/sources/edgar/filing-items';
import { RESULTS_RELEASE_TITLE } from '../../../../lambdas/adapters/sources/edgar/filing-documents';
import { TokenBucketRateLimiter } from '../../../../lambdas/adapters/sources/edgar/rate-limiter';
import type { RateLimiter } from '../../../../lambdas/adapters/sources/edgar/rate-limiter';
import { FileResponseCache, MemoryResponseCache } from '../../../../lambdas/adapters/sources/edgar/response-cache';
import type { EdgarResponseCache } from '../../../../lambdas/adapters/sources/edgar/response-cache';
import type { CompanyProfile } from '../../../../lambdas/core/model';
import { NotFoundError } from '../../../../lambdas/core/errors';

const USER_AGENT = 'FA Advisor AI Tests tests@example.com';
const company: CompanyProfile = {
  ticker: 'EXH',
  name: 'Example Holdings',
  cik: '0000000042',
  sector: 'Information Technology',
  industry: 'Hardware',
  exchange: 'NASDAQ',
  fiscalYearEndMonth: 9,
};
const AS_OF = '2026-02-15';
const SUBMISSIONS_PATH = '/submissions/CIK0000000042.json';
const FOLDER = '/Archives/edgar/data/42';

type Row = [accession: string, form: string, filed: string, report: string, document: string, items: string];
const ROWS: Row[] = [
  ['0000000042-26-000011', '8-K', '2026-01-29', '2026-01-29', 'exh-20260129.htm', '2.02,9.01'],
  ['0000000042-26-000004', '10-Q', '2026-01-30', '2025-12-27', 'exh-20251227.htm', ''],
  ['0000000042-25-000079', '10-K', '2025-10-31', '2025-09-27', 'exh-20250927.htm', ''],
  ['0000000042-25-000077', '8-K', '2025-10-30', '2025-10-30', 'exh-20251030.htm', '2.02,9.01'],
  ['0000000042-25-000070', '8-K', '2025-09-01', '2025-09-01', 'exh-20250901.htm', '5.02'],
];

function submissionsJson(rows: Row[]): string {
  return JSON.stringify({
    cik: '0000000042',
    name: 'Example Holdings',
    tickers: ['EXH'],
    fiscalYearEnd: '0926',
    filings: {
      recent: {
        accessionNumber: rows.map((r) => r[0]),
        form: rows.map((r) => r[1]),
        filingDate: rows.map((r) => r[2]),
        reportDate: rows.map((r) => r[3]),
        primaryDocument: rows.map((r) => r[4]),
        items: rows.map((r) => r[5]),
      },
      files: [],
    },
  });
}

const ANNUAL_HTML = `<html><body>
<table><tr><td>Item 1.</td><td>Business</td><td>1</td></tr><tr><td>Item 1A.</td><td>Risk Factors</td><td>4</td></tr>
<tr><td>Item 7.</td><td>Management’s Discussion and Analysis</td><td>20</td></tr></table>
<p><b>Item 1. Business</b></p><p>Example Holdings designs and sells widgets.</p>
<p><b>Item 1A. Risk Factors</b></p><p>Demand for widgets is cyclical.</p>
<p><b>Item 7. Management’s Discussion and Analysis of Financial Condition and Results of Operations</b></p>
<p>Total net sales increased 6% to $41.6 billion.</p>
<p><b>Item 8. Financial Statements</b></p><table><tr><td>Net sales</td><td>$</td><td>41,616</td></tr></table>
</body></html>`;

const QUARTERLY_HTML = `<html><body>
<p>PART I — FINANCIAL INFORMATION</p><p>Item 1. Financial Statements</p><p>Tables.</p>
<p>Item 2. Management’s Discussion and Analysis of Financial Condition and Results of Operations</p>
<p>Quarterly net sales rose 4%.</p><p>Item 3. Quantitative and Qualitative Disclosures About Market Risk</p><p>None.</p>
<p>PART II — OTHER INFORMATION</p><p>Item 1A. Risk Factors</p><p>No material changes.</p>
</body></html>`;

const INDEX_WITH_EXHIBIT = `<html><body><table class="tableFile" summary="Document Format Files">
<tr><th>Seq</th><th>Description</th><th>Document</th><th>Type</th><th>Size</th></tr>
<tr><td>1</td><td>8-K</td><td><a href="${FOLDER}/000000004225000077/exh-20251030.htm">exh-20251030.htm</a> iXBRL</td><td>8-K</td><td>40211</td></tr>
<tr><td>2</td><td>PRESS RELEASE</td><td><a href="${FOLDER}/000000004225000077/a8-kex991q4fy25.htm">a8-kex991q4fy25.htm</a></td><td>EX-99.1</td><td>95120</td></tr>
</table></body></html>`;

const INDEX_WITHOUT_EXHIBIT = `<html><body><table><tr><th>Seq</th><th>Description</th><th>Document</th><th>Type</th></tr>
<tr><td>1</td><td>8-K</td><td>exh-20260129.htm</td><td>8-K</td></tr></table></body></html>`;

const PRESS_RELEASE_HTML = `<html><body><p>Example Holdings Reports Fourth Quarter Results</p>
<p>Revenue of $11.2 billion, up 8 percent year over year.</p></body></html>`;

const FILES: Record<string, string> = {
  [SUBMISSIONS_PATH]: submissionsJson(ROWS),
  [`${FOLDER}/000000004225000079/exh-20250927.htm`]: ANNUAL_HTML,
  [`${FOLDER}/000000004226000004/exh-20251227.htm`]: QUARTERLY_HTML,
  [`${FOLDER}/000000004225000077/0000000042-25-000077-index.htm`]: INDEX_WITH_EXHIBIT,
  [`${FOLDER}/000000004225000077/a8-kex991q4fy25.htm`]: PRESS_RELEASE_HTML,
  [`${FOLDER}/000000004226000011/0000000042-26-000011-index.htm`]: INDEX_WITHOUT_EXHIBIT,
};

let dir: string;
let replay: EdgarReplay | undefined;

function write(path: string, body: string): void {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), body);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edgar-source-'));
  for (const [path, body] of Object.entries(FILES)) write(path, body);
});

afterEach(async () => {
  await replay?.close();
  replay = undefined;
});

async function serve(options: Partial<EdgarReplayOptions> = {}): Promise<EdgarReplay> {
  replay = await startEdgarReplay({ dir, ratePerSecond: 0, ...options });
  return replay;
}

/** A limiter that lets everything through quickly and counts the slots taken. */
function countingLimiter(): RateLimiter & { taken: number } {
  const inner = new TokenBucketRateLimiter({ ratePerSecond: 10_000 });
  const limiter = {
    taken: 0,
    acquire: async () => {
      limiter.taken += 1;
      await inner.acquire();
    },
  };
  return limiter;
}

function sourceOver(server: EdgarReplay, options: Partial<EdgarClientOptions> = {}, skips: FilingTextSkip[] = []) {
  const limiter = countingLimiter();
  const client = new EdgarClient({
    userAgent: USER_AGENT,
    baseUrl: server.url,
    rateLimiter: limiter,
    baseDelayMs: 4,
    maxDelayMs: 20,
    random: () => 0.5,
    ...options,
  });
  return { source: new EdgarFilingsSource(client, { onFilingTextSkipped: (skip) => skips.push(skip) }), limiter };
}

describe('EdgarFilingsSource with filing text', () => {
  it('splits the 10-K into items 1, 1A and 7 and the 10-Q into 2 and 1A, skipping the table of contents', async () => {
    const { source } = sourceOver(await serve());
    const [annual, quarterly] = await source.filings(company, AS_OF);
    expect(annual).toMatchObject({ docId: '0000000042-25-000079', form: '10-K', fiscalYear: 2025, fiscalPeriod: 'FY' });
    expect(annual!.sections).toEqual([
      { item: '1', title: 'Business', text: 'Example Holdings designs and sells widgets.' },
      { item: '1A', title: 'Risk Factors', text: 'Demand for widgets is cyclical.' },
      { item: '7', title: MDNA_TITLE, text: 'Total net sales increased 6% to $41.6 billion.' },
    ]);
    expect(quarterly).toMatchObject({ docId: '0000000042-26-000004', form: '10-Q', fiscalYear: 2026, fiscalPeriod: 'Q1' });
    expect(quarterly!.sections.map((s) => [s.item, s.text])).toEqual([
      ['2', 'Quarterly net sales rose 4%.'],
      ['1A', 'No material changes.'],
    ]);
  });

  it('returns the item 2.02 8-K’s EX-99.1, found through the filing index, as a results release of the quarter before it', async () => {
    const skips: FilingTextSkip[] = [];
    const { source } = sourceOver(await serve(), {}, skips);
    const documents = await source.filings(company, AS_OF);
    const releases = documents.filter((d) => d.form === '8-K');
    expect(releases).toEqual([
      {
        docId: '0000000042-25-000077',
        ticker: 'EXH',
        form: '8-K',
        filed: '2025-10-30',
        periodEnd: '2025-10-30',
        fiscalYear: 2025,
        fiscalPeriod: 'Q4',
        title: 'Example Holdings 8-K results release for fiscal 2025 Q4 (filed 2025-10-30)',
        sections: [
          {
            item: '2.02',
            title: RESULTS_RELEASE_TITLE,
            text: 'Example Holdings Reports Fourth Quarter Results\nRevenue of $11.2 billion, up 8 percent year over year.',
          },
        ],
      },
    ]);
    // The January 8-K's index lists no EX-99.1: it is left out, and the reason is named.
    expect(skips).toEqual([
      {
        ticker: 'EXH',
        accessionNumber: '0000000042-26-000011',
        form: '8-K',
        reason: 'FilingTextError: the filing index lists no EX-99.1 exhibit',
      },
    ]);
  });

  it('returns a filing whose document is missing without text and names the reason; the others keep theirs', async () => {
    rmSync(join(dir, `${FOLDER}/000000004226000004/exh-20251227.htm`));
    const skips: FilingTextSkip[] = [];
    const { source } = sourceOver(await serve(), {}, skips);
    const documents = await source.filings(company, AS_OF);
    expect(documents.map((d) => [d.docId, d.sections.length])).toEqual([
      ['0000000042-25-000079', 3],
      ['0000000042-26-000004', 0],
      ['0000000042-25-000077', 1],
    ]);
    expect(skips.find((s) => s.form === '10-Q')).toEqual({
      ticker: 'EXH',
      accessionNumber: '0000000042-26-000004',
      form: '10-Q',
      reason: `NotFoundError: EDGAR has nothing at ${FOLDER}/000000004226000004/exh-20251227.htm (HTTP 404)`,
    });
  });

  it('fails the whole call only when submissions themselves fail', async () => {
    rmSync(join(dir, SUBMISSIONS_PATH));
    const { source } = sourceOver(await serve());
    await expect(source.filings(company, AS_OF)).rejects.toThrow(NotFoundError);
  });

  it('sends the declared User-Agent on every request, so the replay never answers 403', async () => {
    const server = await serve();
    const { source, limiter } = sourceOver(server);
    await source.filings(company, AS_OF);
    expect(server.stats().byStatus['403']).toBeUndefined();
    expect(limiter.taken).toBe(server.stats().requests);
  });
});

describe('EdgarFilingsSource with a response cache', () => {
  const caches: Array<[string, () => EdgarResponseCache]> = [
    ['in memory', () => new MemoryResponseCache()],
    ['in a folder', () => new FileResponseCache(mkdtempSync(join(tmpdir(), 'edgar-cache-')))],
  ];

  it.each(caches)('%s: a re-run asks for no Archives document again and revalidates submissions with a 304', async (_, makeCache) => {
    const server = await serve();
    const responseCache = makeCache();
    const first = await sourceOver(server, { responseCache }).source.filings(company, AS_OF);
    // The 10-K, the 10-Q, both 8-K indexes and the one EX-99.1.
    expect(archiveRequestsOf(server.stats())).toBe(5);
    server.resetStats();
    const second = await sourceOver(server, { responseCache }).source.filings(company, AS_OF);
    expect(second).toEqual(first);
    expect(server.stats()).toEqual({ requests: 1, byStatus: { '304': 1 }, byPath: { [SUBMISSIONS_PATH]: { '304': 1 } } });
  });

  it('downloads submissions again when they changed, and then only the new filing’s document', async () => {
    const server = await serve();
    const responseCache = new MemoryResponseCache();
    await sourceOver(server, { responseCache }).source.filings(company, AS_OF);
    const newQuarter: Row = ['0000000042-26-000020', '10-Q', '2026-02-10', '2025-12-27', 'exh-20251227a.htm', ''];
    write(SUBMISSIONS_PATH, submissionsJson([newQuarter, ...ROWS]));
    write(`${FOLDER}/000000004226000020/exh-20251227a.htm`, QUARTERLY_HTML);
    server.resetStats();
    const documents = await sourceOver(server, { responseCache }).source.filings(company, AS_OF);
    expect(documents.map((d) => d.docId)).toContain('0000000042-26-000020');
    expect(server.stats().byPath).toEqual({
      [SUBMISSIONS_PATH]: { '200': 1 },
      [`${FOLDER}/000000004226000020/exh-20251227a.htm`]: { '200': 1 },
    });
  });

  it('keys entries by the SEC URL, so a replay restarted on another port still finds them', async () => {
    const responseCache = new MemoryResponseCache();
    const before = await startEdgarReplay({ dir, ratePerSecond: 0 });
    await sourceOver(before, { responseCache }).source.filings(company, AS_OF);
    // Started while the first still holds its port, so the base URL surely differs.
    const after = await serve();
    await before.close();
    await sourceOver(after, { responseCache }).source.filings(company, AS_OF);
    expect(after.url).not.toBe(before.url);
    expect(archiveRequestsOf(after.stats())).toBe(0);
    expect(responseCache.size).toBe(6);
  });

  it('remembers a missing document for a day, then asks again', async () => {
    rmSync(join(dir, `${FOLDER}/000000004226000004/exh-20251227.htm`));
    const server = await serve();
    const responseCache = new MemoryResponseCache();
    let now = Date.parse('2026-02-15T06:00:00Z');
    const options = { responseCache, now: () => now };
    await sourceOver(server, options).source.filings(company, AS_OF);
    server.resetStats();
    await sourceOver(server, options).source.filings(company, AS_OF);
    expect(archiveRequestsOf(server.stats())).toBe(0);
    now += 86_400_000;
    server.resetStats();
    await sourceOver(server, options).source.filings(company, AS_OF);
    // Only the absence expired; the January 8-K's index, which was there, is immutable and stays cached.
    expect(server.stats().byPath).toEqual({
      [SUBMISSIONS_PATH]: { '304': 1 },
      [`${FOLDER}/000000004226000004/exh-20251227.htm`]: { '404': 1 },
    });
  });

  it('treats a failing cache as a miss and says so', async () => {
    const server = await serve();
    const problems: string[] = [];
    const broken: EdgarResponseCache = {
      get: async () => {
        throw new Error('disk full');
      },
      put: async () => {
        throw new Error('disk full');
      },
    };
    const documents = await sourceOver(server, { responseCache: broken, onCacheError: (detail) => problems.push(detail) }).source.filings(
      company,
      AS_OF,
    );
    expect(documents).toHaveLength(3);
    expect(problems[0]).toMatch(
      /^EDGAR response cache: could not read https:\/\/data\.sec\.gov\/submissions\/CIK0000000042\.json \(Error: disk full\)/,
    );
  });
});

describe('EdgarFilingsSource under SEC throttling', () => {
  it('retries injected 429s with full-jitter backoff, taking a limiter slot for every attempt', async () => {
    const server = await serve({ inject429First: 2 });
    const retries: EdgarRetryEvent[] = [];
    const { source, limiter } = sourceOver(server, { onRetry: (event) => retries.push(event) });
    const documents = await source.filings(company, AS_OF);
    expect(documents.map((d) => d.sections.length)).toEqual([3, 2, 1]);
    // random() = 0.5: half of min(20, 4 · 2^(n−1)) ms.
    expect(retries).toEqual([
      { path: SUBMISSIONS_PATH, attempt: 1, reason: 'HTTP 429', delayMs: 2 },
      { path: SUBMISSIONS_PATH, attempt: 2, reason: 'HTTP 429', delayMs: 4 },
    ]);
    expect(server.stats().byStatus['429']).toBe(2);
    expect(limiter.taken).toBe(server.stats().requests);
  });

  it('retries documents, which are HTML, the same way', async () => {
    const server = await serve({ inject429Every: 3 });
    const retries: EdgarRetryEvent[] = [];
    const { source } = sourceOver(server, { onRetry: (event) => retries.push(event) });
    const documents = await source.filings(company, AS_OF);
    expect(documents.map((d) => d.sections.length)).toEqual([3, 2, 1]);
    expect(retries.some((event) => event.path.startsWith('/Archives/'))).toBe(true);
    expect(retries.every((event) => event.reason === 'HTTP 429')).toBe(true);
  });

  it('gives up after maxAttempts naming the last status, and a throttled submissions fails the call', async () => {
    const server = await serve({ inject429Every: 1 });
    const { source } = sourceOver(server, { maxAttempts: 2 });
    await expect(source.filings(company, AS_OF)).rejects.toThrow(/gave up after 2 attempts; last: HTTP 429/);
  });
});
