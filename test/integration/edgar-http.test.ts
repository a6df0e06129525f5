/**
 * EdgarClient and EdgarFilingsSource with the real global fetch against a loopback node:http
 * server that plays data.sec.gov: the declared User-Agent goes out on every request, 429 and 5xx
 * are retried (Retry-After honoured through an injected sleep), 404/4xx/bad JSON/timeouts become
 * named errors, and one shared limiter caps several concurrent clients, counted by the server in
 * virtual 1-second windows. Payloads are small synthetic ones in EDGAR's shape.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EdgarClient } from '../../lambdas/adapters/sources/edgar/edgar-client';
import type { EdgarRetryEvent } from '../../lambdas/adapters/sources/edgar/edgar-client';
import { EdgarFilingsSource } from '../../lambdas/adapters/sources/edgar/edgar-filings-source';
import { createEdgarFilingsSource } from '../../lambdas/adapters/sources/edgar/create-edgar-filings-source';
import { TokenBucketRateLimiter } from '../../lambdas/adapters/sources/edgar/rate-limiter';
import type { RateLimiter } from '../../lambdas/adapters/sources/edgar/rate-limiter';
import type { CompanyProfile } from '../../lambdas/core/model';
import { ConfigError, NotFoundError, SourceFormatError, SourceUnavailableError } from '../../lambdas/core/errors';

const USER_AGENT = 'FA Advisor AI Tests tests@example.com';

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Send nothing at all: the client's deadline must end the wait. */
  hang?: boolean;
}

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  /** The virtual clock at arrival, when a test installs one. */
  at: number;
}

let server: Server;
let baseUrl: string;
/** Replies per path, consumed in order; the last one repeats. */
let script = new Map<string, Reply[]>();
let received: Received[] = [];
let arrivalClock: () => number = () => 0;
const hanging = new Set<ServerResponse>();

function reply(path: string, ...replies: Reply[]): void {
  script.set(path, replies);
}

const json = (value: unknown): Reply => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    received.push({ path, headers: req.headers, at: arrivalClock() });
    const replies = script.get(path);
    const next = replies && replies.length > 1 ? replies.shift()! : replies?.[0];
    if (!next) return void res.writeHead(404).end('not found');
    if (next.hang) return void hanging.add(res);
    res.writeHead(next.status, next.headers ?? {}).end(next.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  script = new Map();
  received = [];
  arrivalClock = () => 0;
});

afterEach(() => {
  for (const res of hanging) res.destroy();
  hanging.clear();
});

const noLimit: RateLimiter = { acquire: async () => undefined };

function client(overrides: Partial<ConstructorParameters<typeof EdgarClient>[0]> = {}): {
  client: EdgarClient;
  sleeps: number[];
  retries: EdgarRetryEvent[];
} {
  const sleeps: number[] = [];
  const retries: EdgarRetryEvent[] = [];
  const edgar = new EdgarClient({
    userAgent: USER_AGENT,
    baseUrl,
    rateLimiter: noLimit,
    maxAttempts: 3,
    timeoutMs: 2_000,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    onRetry: (event) => retries.push(event),
    ...overrides,
  });
  return { client: edgar, sleeps, retries };
}

const FACTS = {
  cik: 1234,
  entityName: 'Loopback Widgets Inc.',
  facts: {
    'us-gaap': {
      Revenues: {
        label: 'Revenues',
        description: null,
        units: {
          USD: [
            {
              start: '2024-01-01',
              end: '2024-12-31',
              val: 500,
              accn: '0000001234-25-000001',
              fy: 2024,
              fp: 'FY',
              form: '10-K',
              filed: '2025-02-10',
              frame: 'CY2024',
            },
            {
              start: '2025-01-01',
              end: '2025-03-31',
              val: 130,
              accn: '0000001234-25-000002',
              fy: 2025,
              fp: 'Q1',
              form: '10-Q',
              filed: '2025-05-01',
              frame: 'CY2025Q1',
            },
          ],
        },
      },
    },
  },
};

const SUBMISSIONS = {
  cik: '0000001234',
  name: 'Loopback Widgets Inc.',
  tickers: ['LBWX'],
  fiscalYearEnd: '1231',
  filings: {
    recent: {
      accessionNumber: ['0000001234-25-000003', '0000001234-25-000002', '0000001234-25-000001', '0000001234-24-000009'],
      filingDate: ['2025-08-01', '2025-05-01', '2025-02-10', '2024-02-12'],
      reportDate: ['2025-06-30', '2025-03-31', '2024-12-31', '2023-12-31'],
      form: ['10-Q', '10-Q', '10-K', '10-K'],
      primaryDocument: ['q2.htm', 'q1.htm', 'k24.htm', 'k23.htm'],
    },
  },
};

const FACTS_PATH = '/api/xbrl/companyfacts/CIK0000001234.json';
const SUBMISSIONS_PATH = '/submissions/CIK0000001234.json';

describe('EdgarClient over HTTP', () => {
  it('refuses to be built without a declared User-Agent', () => {
    for (const userAgent of [undefined, '', '   ', 'curl/8.0', 'admin@example.com']) {
      expect(() => new EdgarClient({ userAgent, rateLimiter: noLimit })).toThrow(ConfigError);
    }
  });

  it('sends the declared User-Agent to the zero-padded CIK paths and returns validated payloads', async () => {
    reply(FACTS_PATH, json(FACTS));
    reply(SUBMISSIONS_PATH, json(SUBMISSIONS));
    const { client: edgar } = client();
    const facts = await edgar.companyFacts(1234);
    const submissions = await edgar.submissions('1234');
    expect(facts.cik).toBe('0000001234');
    expect(submissions).toMatchObject({ cik: '0000001234', tickers: ['LBWX'], fiscalYearEnd: '1231' });
    expect(received.map((r) => r.path)).toEqual([FACTS_PATH, SUBMISSIONS_PATH]);
    for (const request of received) {
      expect(request.headers['user-agent']).toBe(USER_AGENT);
      expect(request.headers.accept).toBe('application/json');
    }
  });

  it('retries a 429 after the Retry-After it was given, taking a limiter slot for each attempt', async () => {
    reply(FACTS_PATH, { status: 429, headers: { 'retry-after': '2' } }, json(FACTS));
    let acquired = 0;
    const { client: edgar, sleeps, retries } = client({ rateLimiter: { acquire: async () => void (acquired += 1) } });
    await expect(edgar.companyFacts(1234)).resolves.toMatchObject({ entityName: 'Loopback Widgets Inc.' });
    expect(received).toHaveLength(2);
    expect(sleeps).toEqual([2_000]);
    expect(acquired).toBe(2);
    expect(retries).toEqual([{ path: FACTS_PATH, attempt: 1, reason: 'HTTP 429', delayMs: 2_000 }]);
  });

  it('backs off with full jitter on 503 and gives up after maxAttempts naming the last status', async () => {
    reply(FACTS_PATH, { status: 503 });
    const { client: edgar, sleeps } = client({ maxAttempts: 3, baseDelayMs: 400 });
    const failure = edgar.companyFacts(1234);
    await expect(failure).rejects.toThrow(SourceUnavailableError);
    await expect(failure).rejects.toThrow(/gave up after 3 attempts; last: HTTP 503/);
    expect(received).toHaveLength(3);
    // random() = 0.5: half of 400 · 2^(n−1).
    expect(sleeps).toEqual([200, 400]);
  });

  it('fails at once when Retry-After asks for longer than it is willing to wait', async () => {
    reply(FACTS_PATH, { status: 429, headers: { 'retry-after': '600' } });
    const { client: edgar, sleeps } = client({ maxRetryAfterMs: 30_000 });
    await expect(edgar.companyFacts(1234)).rejects.toThrow(/Retry-After 600 s/);
    expect(received).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('turns 404 into NotFoundError without retrying', async () => {
    const { client: edgar } = client();
    await expect(edgar.companyFacts(99)).rejects.toThrow(NotFoundError);
    expect(received).toHaveLength(1);
  });

  it('turns other 4xx into SourceUnavailableError with the status, without retrying', async () => {
    reply(FACTS_PATH, { status: 403, body: 'Undeclared Automated Tool' });
    const { client: edgar } = client();
    await expect(edgar.companyFacts(1234)).rejects.toThrow(SourceUnavailableError);
    await expect(edgar.companyFacts(1234)).rejects.toThrow(/HTTP 403/);
    expect(received).toHaveLength(2);
  });

  it('turns a body that is not JSON, or not companyfacts, into SourceFormatError', async () => {
    reply(FACTS_PATH, { status: 200, body: '<html>maintenance</html>' });
    const { client: edgar } = client();
    await expect(edgar.companyFacts(1234)).rejects.toThrow(SourceFormatError);
    reply(FACTS_PATH, json({ cik: 1234, entityName: 'x', facts: { 'us-gaap': { Revenues: { units: { USD: [{ val: 'lots' }] } } } } }));
    await expect(edgar.companyFacts(1234)).rejects.toThrow(SourceFormatError);
  });

  it('times out a server that never answers, retries, and reports the timeout', async () => {
    reply(FACTS_PATH, { status: 200, hang: true });
    const { client: edgar } = client({ timeoutMs: 100, maxAttempts: 2 });
    const failure = edgar.companyFacts(1234);
    await expect(failure).rejects.toThrow(SourceUnavailableError);
    await expect(failure).rejects.toThrow(/last: timed out after 100 ms/);
    expect(received).toHaveLength(2);
  });

  it('keeps several concurrent clients sharing one limiter to 10 requests per 1-second window at the server', async () => {
    reply(FACTS_PATH, json(FACTS));
    const clock = new IoAwareFakeClock();
    arrivalClock = clock.now;
    const shared = new TokenBucketRateLimiter({ ratePerSecond: 10, now: clock.now, sleep: clock.sleep });
    const countingFetch: typeof fetch = async (input, init) => {
      clock.inFlight += 1;
      try {
        return await fetch(input, init);
      } finally {
        clock.inFlight -= 1;
      }
    };
    const workers = [0, 1, 2].map(() => client({ rateLimiter: shared, fetch: countingFetch }).client);
    const calls = Array.from({ length: 30 }, (_, i) => workers[i % 3]!.companyFacts(1234));
    await clock.run(Promise.all(calls));
    expect(received).toHaveLength(30);
    const perWindow = new Map<number, number>();
    for (const { at } of received) perWindow.set(Math.floor(at / 1000), (perWindow.get(Math.floor(at / 1000)) ?? 0) + 1);
    expect([...perWindow.values()]).toEqual([10, 10, 10]);
  });
});

describe('EdgarFilingsSource over HTTP', () => {
  const company: CompanyProfile = {
    ticker: 'LBWX',
    name: 'Loopback Widgets Inc.',
    cik: '0000001234',
    sector: 'Industrials',
    industry: 'Machinery',
    exchange: 'NYSE',
    fiscalYearEndMonth: 12,
  };

  it('returns company facts filed by the as-of date, and undefined for a company EDGAR has none for', async () => {
    reply(FACTS_PATH, json(FACTS));
    const source = new EdgarFilingsSource(client().client);
    const facts = await source.companyFacts(company, '2025-03-01');
    expect(facts?.facts['us-gaap']?.Revenues?.units.USD?.map((e) => e.accn)).toEqual(['0000001234-25-000001']);
    expect(await source.companyFacts(company, '2025-01-01')).toBeUndefined();
    expect(await source.companyFacts({ ...company, cik: '0000009999' }, '2025-03-01')).toBeUndefined();
  });

  it('is built by the factory with the process-wide limiter, and not at all without a User-Agent', async () => {
    expect(() => createEdgarFilingsSource({ userAgent: undefined })).toThrow(ConfigError);
    reply(SUBMISSIONS_PATH, json(SUBMISSIONS));
    const source = createEdgarFilingsSource({ userAgent: USER_AGENT, baseUrl });
    expect((await source.filings(company, '2025-12-31')).map((d) => d.docId)).toEqual([
      '0000001234-25-000001',
      '0000001234-25-000002',
      '0000001234-25-000003',
    ]);
    expect(received.every((r) => r.headers['user-agent'] === USER_AGENT)).toBe(true);
  });

  it('lists the latest 10-K and the 10-Qs after it, as of the date, with empty sections', async () => {
    reply(SUBMISSIONS_PATH, json(SUBMISSIONS));
    const source = new EdgarFilingsSource(client().client);
    const documents = await source.filings(company, '2025-07-15');
    expect(documents.map((d) => [d.docId, d.form, d.fiscalYear, d.fiscalPeriod, d.periodEnd, d.sections.length])).toEqual([
      ['0000001234-25-000001', '10-K', 2024, 'FY', '2024-12-31', 0],
      ['0000001234-25-000002', '10-Q', 2025, 'Q1', '2025-03-31', 0],
    ]);
  });
});

/**
 * Virtual time for a test that also does real loopback I/O: time only moves when no request is in
 * flight, so the server's arrival timestamps are the limiter's grant times exactly.
 */
class IoAwareFakeClock {
  time = 0;
  inFlight = 0;
  private timers: Array<{ at: number; seq: number; resolve: () => void }> = [];
  private seq = 0;
  readonly now = (): number => this.time;
  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.timers.push({ at: this.time + ms, seq: this.seq++, resolve });
    });

  async run<T>(work: Promise<T>, maxSteps = 20_000): Promise<T> {
    let settled = false;
    work.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let step = 0; step < maxSteps; step += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return work;
      // Real I/O under way: give it a real moment (never asserted) before moving virtual time.
      if (this.inFlight > 0 || this.timers.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        continue;
      }
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift()!;
      this.time = Math.max(this.time, next.at);
      next.resolve();
    }
    throw new Error(`not settled after ${maxSteps} steps`);
  }
}
