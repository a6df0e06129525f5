/**
 * A three-company universe for the query tests, turned into stored briefs and chunks by the real
 * batch core (processStock with the local writer and embedder), so the query path reads exactly what
 * the nightly batch stores. Fictional companies; tickers follow the demo's initial-plus-Q/J rule so
 * they can never be real symbols.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  ChunkRepository,
  LlmPort,
  LlmRequest,
  RunRepository,
  Sources,
  SummaryRepository,
  AnswerCacheStore,
  SessionStore,
} from '../../lambdas/core/ports';
import type {
  RunAudit,
  StockOutcome,
  StoredChunk,
  StoredSummary,
  SummaryFingerprint,
  CompanyFactsJson,
  CompanyProfile,
  FilingDocument,
  FundamentalsRecord,
  NewsItem,
  ResearchNote,
  CachedAnswer,
  SessionTurn,
} from '../../lambdas/core/model';
import type { FiledMetric } from '../../lambdas/core/facts/normalise';
import { FileHashCache } from '../../lambdas/adapters/cache/file-hash-cache';
import { LocalEmbedder } from '../../lambdas/adapters/embedder/local-embedder';
import { LocalGroundedLlm } from '../../lambdas/adapters/llm/local-grounded-llm';
import { loadModelConfig } from '../../lambdas/adapters/llm/model-config';
import { loadPriceTable } from '../../lambdas/adapters/price-table-file';
import { ModelRouter } from '../../lambdas/core/routing/model-router';
import { processStock } from '../../lambdas/core/pipeline/process-stock';
import { filed } from '../support/snapshots';
import { LocalAnswerLlm } from '../../lambdas/adapters/llm/local-answer-llm';
import { TickerResolver } from '../../lambdas/core/query/ticker-resolver';
import { DEFAULT_QUERY_SETTINGS } from '../../lambdas/core/query/query-service';
import type { QueryDeps } from '../../lambdas/core/query/query-service';

export const AS_OF = '2026-11-24';

export const COMPANIES: CompanyProfile[] = [
  {
    ticker: 'KQRV',
    name: 'Kelorix Instruments Inc.',
    cik: '9900000301',
    sector: 'Information Technology',
    industry: 'Electronic Equipment',
    exchange: 'NASDAQ',
    fiscalYearEndMonth: 12,
  },
  {
    ticker: 'HJLN',
    name: 'Hajelon Beverages Corp.',
    cik: '9900000304',
    sector: 'Consumer Staples',
    industry: 'Soft Drinks',
    exchange: 'NYSE',
    fiscalYearEndMonth: 12,
  },
  {
    ticker: 'FQTA',
    name: 'Falquora Energy Holdings, Inc.',
    cik: '9900000307',
    sector: 'Energy',
    industry: 'Oil & Gas Exploration',
    exchange: 'NYSE',
    fiscalYearEndMonth: 12,
  },
];

interface CompanyData {
  metrics: FiledMetric[];
  filings: FilingDocument[];
  fundamentals: FundamentalsRecord;
  notes: ResearchNote[];
  news: NewsItem[];
}

function accn(index: number, year: number, seq: number): string {
  return `00099000${String(index).padStart(2, '0')}-${String(year).slice(2)}-${String(seq).padStart(6, '0')}`;
}

function companyData(
  profile: CompanyProfile,
  index: number,
  scale: number,
  margin: number,
  business: string,
  risks: string[],
): CompanyData {
  const t = profile.ticker;
  const k2025 = accn(index, 2026, 1);
  const k2024 = accn(index, 2025, 2);
  const q2026 = accn(index, 2026, 3);
  const q2025 = accn(index, 2025, 4);
  const revenue = (factor: number) => Math.round(scale * factor);
  const metrics: FiledMetric[] = [];
  const periods = [
    [2024, 'FY', k2024, 1],
    [2025, 'FY', k2025, 1.08],
    [2025, 'Q3', q2025, 0.26],
    [2026, 'Q3', q2026, 0.29],
  ] as const;
  for (const [year, period, accession, factor] of periods) {
    const rev = revenue(factor);
    metrics.push(
      filed('revenue', rev, year, period, accession),
      filed('gross_profit', Math.round(rev * 0.45), year, period, accession),
      filed('operating_income', Math.round(rev * margin * 1.3), year, period, accession),
      filed('net_income', Math.round(rev * margin), year, period, accession),
      filed('eps_diluted', Math.round(((rev * margin) / 2e8) * 100) / 100, year, period, accession),
    );
  }
  const tenK: FilingDocument = {
    docId: k2025,
    ticker: t,
    form: '10-K',
    filed: '2026-02-20',
    periodEnd: '2025-12-31',
    fiscalYear: 2025,
    fiscalPeriod: 'FY',
    title: `${profile.name} annual report for fiscal 2025`,
    sections: [
      { item: '1', title: 'Item 1. Business', text: business },
      {
        item: '1A',
        title: 'Item 1A. Risk Factors',
        text: risks.map((r) => `**${r}**\n${r} could reduce demand for our products and lower our margins over time.`).join('\n\n'),
      },
      {
        item: '7',
        title: "Item 7. Management's Discussion and Analysis",
        text: `Revenue grew in fiscal 2025 as volumes rose and pricing held. Gross margin widened on a better mix of products and lower freight costs. We expect capital spending to stay near recent levels while we invest in capacity.`,
      },
    ],
  };
  const tenQ: FilingDocument = {
    docId: q2026,
    ticker: t,
    form: '10-Q',
    filed: '2026-10-30',
    periodEnd: '2026-09-30',
    fiscalYear: 2026,
    fiscalPeriod: 'Q3',
    title: `${profile.name} quarterly report for the third quarter of fiscal 2026`,
    sections: [
      {
        item: '2',
        title: "Item 2. Management's Discussion and Analysis",
        text: `Third-quarter revenue rose on stronger demand from industrial customers and a price increase taken early in the year. Operating costs grew more slowly than sales, which lifted operating margin. Working capital needs were lower than a year earlier.`,
      },
    ],
  };
  const fundamentals: FundamentalsRecord = {
    docId: `fds-${t}-${AS_OF}`,
    ticker: t,
    vendor: 'Northfield Data',
    asOf: AS_OF,
    currency: 'USD',
    scale: 'millions',
    price: 40 + index * 7.25,
    sharesOutstanding: 200,
    marketCap: (40 + index * 7.25) * 200,
    lastFiscalYear: {
      fiscalYear: 2025,
      periodEnd: '2025-12-31',
      revenue: revenue(1.08) / 1e6,
      netIncome: Math.round(revenue(1.08) * margin) / 1e6,
      epsDiluted: Math.round(((revenue(1.08) * margin) / 2e8) * 100) / 100,
    },
    consensus: [
      { fiscalYear: 2026, epsMean: 1.1 + index / 10, revenueMean: revenue(1.15) / 1e6, numEstimates: 14 },
      { fiscalYear: 2027, epsMean: 1.3 + index / 10, revenueMean: revenue(1.24) / 1e6, numEstimates: 11 },
    ],
  };
  const notes: ResearchNote[] = [
    {
      docId: `bmx-${t}-1`,
      ticker: t,
      broker: 'Harbor Ridge Securities',
      analyst: 'A. Analyst',
      published: '2026-11-05',
      rating: index === 2 ? 'Hold' : 'Buy',
      priceTarget: 50 + index * 9,
      currency: 'USD',
      title: 'Margins have room to run',
      thesis:
        'We see steady share gains with large industrial customers. Execution on the new platform remains the key debate for investors.',
    },
  ];
  const news: NewsItem[] = [
    {
      docId: `nws-${t}-1`,
      ticker: t,
      published: '2026-11-18T13:00:00Z',
      source: 'Wire',
      headline: `${profile.name.split(' ')[0]} names a new chief operating officer`,
      body: 'The company named a new chief operating officer to run its largest business, effective next month. The appointment follows a review of the management structure.',
    },
    {
      docId: `nws-${t}-2`,
      ticker: t,
      published: '2026-11-10T13:00:00Z',
      source: 'Wire',
      headline: `${profile.name.split(' ')[0]} opens a new plant`,
      body: 'The company opened a new plant to serve customers in the Midwest. Management said the plant adds capacity for its fastest-growing product lines.',
    },
  ];
  return { metrics, filings: [tenK, tenQ], fundamentals, notes, news };
}

const DATA: Record<string, CompanyData> = {
  KQRV: companyData(
    COMPANIES[0]!,
    1,
    2.4e9,
    0.12,
    'Kelorix Instruments designs and sells precision sensors and test equipment to industrial and aerospace customers. The company sells through a direct sales force and a network of distributors. Its products are used to measure pressure, flow and vibration in demanding environments.',
    ['Competition from larger rivals', 'Supply chain disruptions for electronic components', 'Customer concentration in aerospace'],
  ),
  HJLN: companyData(
    COMPANIES[1]!,
    2,
    8.1e9,
    0.09,
    'Hajelon Beverages makes and distributes soft drinks, juices and bottled water across North America. The company owns several regional brands and bottles most of its products in its own plants. It sells to grocery chains, convenience stores and restaurants.',
    [
      'Changing consumer preferences away from sugary drinks',
      'Rising packaging and sweetener costs',
      'Dependence on large retail customers',
    ],
  ),
  FQTA: companyData(
    COMPANIES[2]!,
    3,
    0.9e9,
    -0.08,
    'Falquora Energy explores for and produces natural gas and crude oil onshore in the United States. The company operates a portfolio of mature fields and a growing position in a shale basin. It sells its production under short-term contracts at market prices.',
    ['Volatile commodity prices', 'Regulation of drilling and emissions', 'Access to capital for development drilling'],
  ),
};

export function fixtureSources(): Sources {
  const byTicker = new Map(COMPANIES.map((c) => [c.ticker, c]));
  return {
    universe: { list: async () => COMPANIES, get: async (ticker) => byTicker.get(ticker) },
    filings: {
      companyFacts: async (company): Promise<CompanyFactsJson> => ({ cik: company.cik, entityName: company.ticker, facts: {} }),
      filings: async (company) => DATA[company.ticker]!.filings,
    },
    fundamentals: { fundamentals: async (company) => DATA[company.ticker]!.fundamentals },
    research: { notes: async (company) => DATA[company.ticker]!.notes },
    news: { news: async (company) => DATA[company.ticker]!.news },
  };
}

/** In-memory storage ports, for tests that need the batch's output without DynamoDB. */
export class MemoryStore implements SummaryRepository, ChunkRepository, RunRepository {
  readonly summaries = new Map<string, StoredSummary>();
  readonly chunks = new Map<string, StoredChunk[]>();
  private readonly outcomes = new Map<string, StockOutcome>();
  private readonly audits = new Map<string, RunAudit>();

  async getLatest(ticker: string) {
    return this.summaries.get(ticker);
  }
  async getLatestFingerprint(ticker: string): Promise<SummaryFingerprint | undefined> {
    return this.summaries.get(ticker);
  }
  async putSummary(summary: StoredSummary) {
    this.summaries.set(summary.ticker, summary);
  }
  async history() {
    return [];
  }
  async putChunks(chunks: StoredChunk[]) {
    for (const chunk of chunks) {
      const list = (this.chunks.get(chunk.ticker) ?? []).filter((c) => c.chunkId !== chunk.chunkId);
      list.push(chunk);
      this.chunks.set(chunk.ticker, list);
    }
  }
  async pruneChunks() {
    return 0;
  }
  async countChunks(ticker: string) {
    return this.chunks.get(ticker)?.length ?? 0;
  }
  async chunksOf(ticker: string) {
    return this.chunks.get(ticker) ?? [];
  }
  async createRun(audit: RunAudit) {
    this.audits.set(audit.runId, audit);
  }
  async getRun(runId: string) {
    return this.audits.get(runId);
  }
  async runningRuns() {
    return [];
  }
  async updateRun(audit: RunAudit) {
    this.audits.set(audit.runId, audit);
  }
  async getStockOutcome(runId: string, ticker: string) {
    return this.outcomes.get(`${runId}/${ticker}`);
  }
  async putStockOutcome(outcome: StockOutcome) {
    this.outcomes.set(`${outcome.runId}/${outcome.ticker}`, outcome);
  }
  async listStockOutcomes() {
    return [...this.outcomes.values()];
  }
}

/**
 * Run the batch core over the fixture universe into the given stores (all three stocks unless
 * `tickers` says otherwise).
 */
export async function seedBriefs(
  store: { summaries: SummaryRepository; chunks: ChunkRepository; runs: RunRepository },
  tickers: string[] = COMPANIES.map((c) => c.ticker),
): Promise<void> {
  const router = new ModelRouter(loadModelConfig('config/models.yaml'));
  const cache = new FileHashCache({ directory: mkdtempSync(join(tmpdir(), 'fa-query-cache-')) });
  for (const ticker of tickers) {
    await processStock(
      { runId: 'fixture-run', asOf: AS_OF, ticker },
      {
        sources: fixtureSources(),
        extractMetrics: (facts) => DATA[facts.entityName]!.metrics,
        summaries: store.summaries,
        runs: store.runs,
        chunks: store.chunks,
        cache,
        embedder: new LocalEmbedder(),
        llm: new LocalGroundedLlm({ slipRate: 0 }),
        chooseModel: (task) => router.route(task),
        prices: loadPriceTable('config/prices.yaml'),
        experimentVariant: 'control',
        cacheDegradations: () => 0,
        now: () => new Date(`${AS_OF}T06:00:00Z`),
      },
    );
  }
  await cache.close();
}

let memory: Promise<MemoryStore> | undefined;

/** The fixture briefs in memory, built once per test file. */
export function memoryBriefs(): Promise<MemoryStore> {
  memory ??= (async () => {
    const store = new MemoryStore();
    await seedBriefs({ summaries: store, chunks: store, runs: store });
    return store;
  })();
  return memory;
}

// ---------------------------------------------------------------------------------------------
// The query path over the fixture briefs, with in-memory sessions and answer cache.

/** Sessions in memory, with the same contract as the DynamoDB repository (expiry in code). */
export class MemorySessions implements SessionStore {
  readonly turns: SessionTurn[] = [];
  async recentTurns(faId: string, sessionId: string, limit: number, now: number) {
    return this.turns.filter((t) => t.faId === faId && t.sessionId === sessionId && t.expiresAt > now).slice(-limit);
  }
  async appendTurn(turn: SessionTurn) {
    this.turns.push(turn);
  }
}

export class MemoryAnswerCache implements AnswerCacheStore {
  readonly entries = new Map<string, CachedAnswer>();
  async get(key: string, now: number) {
    const entry = this.entries.get(key);
    return entry && entry.expiresAt > now ? entry : undefined;
  }
  async put(entry: CachedAnswer) {
    this.entries.set(entry.key, entry);
  }
}

/** An LlmPort that records every request it passes on. */
export function recording(llm: LlmPort): LlmPort & { requests: LlmRequest[] } {
  const requests: LlmRequest[] = [];
  return { requests, converse: (request) => (requests.push(request), llm.converse(request)) };
}

export interface TestQueryDeps extends QueryDeps {
  sessions: MemorySessions;
  answerCache: MemoryAnswerCache;
  clock: { now: number };
}

/** Query dependencies over the fixture briefs; override any part. */
export async function testQueryDeps(overrides: Partial<QueryDeps> = {}): Promise<TestQueryDeps> {
  const store = await memoryBriefs();
  const router = new ModelRouter(loadModelConfig('config/models.yaml'));
  const clock = { now: Date.parse(`${AS_OF}T15:00:00Z`) };
  let id = 0;
  return {
    resolver: new TickerResolver(COMPANIES),
    summaries: store,
    chunks: store,
    embedder: new LocalEmbedder(),
    llm: new LocalAnswerLlm(),
    route: (task, context) => router.route(task, context),
    prices: loadPriceTable('config/prices.yaml'),
    sessions: new MemorySessions(),
    answerCache: new MemoryAnswerCache(),
    promptVariant: 'control',
    now: () => clock.now,
    newId: () => `id-${(id += 1)}`,
    settings: DEFAULT_QUERY_SETTINGS,
    ...overrides,
    clock,
  } as TestQueryDeps;
}
