/**
 * The domain vocabulary shared by the pipeline: what the sources return, the fact snapshot that
 * is the single source of truth for numbers, and the summaries we write and verify.
 * Pure types only: no I/O, no AWS SDK.
 */

/** ISO calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

export type SourceKind = 'filings' | 'fundamentals' | 'research' | 'news';

/** Ranking used when sources disagree: lower wins (DESIGN §5.2: filings > vendor data > notes > news). */
export const SOURCE_RANK: Record<SourceKind, number> = { filings: 1, fundamentals: 2, research: 3, news: 4 };

export const GICS_SECTORS = [
  'Energy',
  'Materials',
  'Industrials',
  'Consumer Discretionary',
  'Consumer Staples',
  'Health Care',
  'Financials',
  'Information Technology',
  'Communication Services',
  'Utilities',
  'Real Estate',
] as const;
export type GicsSector = (typeof GICS_SECTORS)[number];

export interface CompanyProfile {
  ticker: string;
  name: string;
  /** SEC central index key, 10 digits zero-padded. */
  cik: string;
  sector: GicsSector;
  industry: string;
  exchange: 'NYSE' | 'NASDAQ';
  /** Month (1–12) in which the fiscal year ends; many companies do not end in December. */
  fiscalYearEndMonth: number;
}

// ---------------------------------------------------------------------------------------------
// Raw source payloads, in the shapes the real sources use.

/** One XBRL fact as it appears in EDGAR `companyfacts` JSON (`facts.<taxonomy>.<concept>.units.<unit>[]`). */
export interface CompanyFactsEntry {
  start?: IsoDate;
  end: IsoDate;
  val: number;
  accn: string;
  fy: number | null;
  fp: string | null;
  form: string;
  filed: IsoDate;
  frame?: string;
}

/** EDGAR `data.sec.gov/api/xbrl/companyfacts/CIK##########.json`. */
export interface CompanyFactsJson {
  cik: number | string;
  entityName: string;
  facts: Record<
    string,
    Record<string, { label?: string | null; description?: string | null; units: Record<string, CompanyFactsEntry[]> }>
  >;
}

/** A text section of a filing, e.g. Item 1 (Business), Item 1A (Risk Factors), Item 7 (MD&A). */
export interface FilingSection {
  item: string;
  title: string;
  text: string;
}

export interface FilingDocument {
  /** Stable id citations point at, e.g. `0001234567-26-000123` (the accession number). */
  docId: string;
  ticker: string;
  form: '10-K' | '10-Q' | '10-K/A' | '10-Q/A' | '8-K';
  filed: IsoDate;
  periodEnd: IsoDate;
  fiscalYear: number;
  fiscalPeriod: 'FY' | 'Q1' | 'Q2' | 'Q3' | 'Q4';
  title: string;
  sections: FilingSection[];
}

/** Vendor fundamentals and consensus estimates (FactSet-like). Monetary values are in `scale` units. */
export interface FundamentalsRecord {
  docId: string;
  ticker: string;
  vendor: string;
  asOf: IsoDate;
  currency: 'USD';
  /** Monetary figures (not per-share ones) are reported in this scale. */
  scale: 'units' | 'thousands' | 'millions';
  price: number;
  sharesOutstanding: number;
  marketCap: number;
  lastFiscalYear: { fiscalYear: number; periodEnd: IsoDate; revenue: number; netIncome: number; epsDiluted: number };
  consensus: Array<{ fiscalYear: number; epsMean: number; revenueMean: number; numEstimates: number }>;
}

export type AnalystRating = 'Buy' | 'Overweight' | 'Hold' | 'Underweight' | 'Sell';

/** Sell-side research note (BlueMatrix-like). */
export interface ResearchNote {
  docId: string;
  ticker: string;
  broker: string;
  analyst: string;
  published: IsoDate;
  rating: AnalystRating;
  previousRating?: AnalystRating;
  priceTarget: number;
  previousPriceTarget?: number;
  currency: 'USD';
  title: string;
  thesis: string;
}

export interface NewsItem {
  docId: string;
  ticker: string;
  /** ISO timestamp. */
  published: string;
  source: string;
  headline: string;
  body: string;
}

export interface SourceFailure {
  source: SourceKind;
  reason: string;
}

/** Everything gathered for one stock and as-of date. A failed source is recorded, never guessed. */
export interface SourceBundle {
  ticker: string;
  asOf: IsoDate;
  profile: CompanyProfile;
  companyFacts?: CompanyFactsJson;
  filings: FilingDocument[];
  fundamentals?: FundamentalsRecord;
  notes: ResearchNote[];
  news: NewsItem[];
  failures: SourceFailure[];
}

// ---------------------------------------------------------------------------------------------
// The fact snapshot (DESIGN §5.2).

export type MetricName =
  | 'revenue'
  | 'net_income'
  | 'operating_income'
  | 'gross_profit'
  | 'eps_diluted'
  | 'eps_basic'
  | 'total_assets'
  | 'total_liabilities'
  | 'stockholders_equity'
  | 'cash'
  | 'operating_cash_flow'
  | 'shares_outstanding'
  | 'dividends_per_share'
  | 'net_interest_income'
  | 'price'
  | 'market_cap'
  | 'consensus_eps'
  | 'consensus_revenue'
  | 'price_target'
  | 'gross_margin'
  | 'operating_margin'
  | 'net_margin'
  | 'revenue_growth'
  | 'pe_ratio';

export type FactUnit = 'USD' | 'USD/share' | 'shares' | 'percent' | 'ratio';

export interface FiscalPeriod {
  fiscalYear: number;
  /** `FY` for a full year, `Q1`..`Q4` for a quarter, `NTM`/`spot` for forward-looking or point-in-time values. */
  fiscalPeriod: 'FY' | 'Q1' | 'Q2' | 'Q3' | 'Q4' | 'spot';
  start?: IsoDate;
  end: IsoDate;
}

export interface Fact {
  /** Stable id: metric, period, source document. */
  id: string;
  metric: MetricName;
  /** Value in base units (USD, not USD thousands). */
  value: number;
  unit: FactUnit;
  /** The scale the source reported the value in (1, 1e3, 1e6); `value` is already multiplied out. */
  reportedScale: number;
  period: FiscalPeriod;
  source: SourceKind;
  docId: string;
  filed: IsoDate;
  form?: string;
  /** Derived facts (margins, growth) name the facts they were computed from. */
  derivedFrom?: string[];
}

export interface FactConflict {
  metric: MetricName;
  periodKey: string;
  /** Best-ranked first; the first is the value the summaries use. */
  candidates: Array<{ factId: string; value: number; source: SourceKind; docId: string; filed: IsoDate }>;
  kind: 'cross_source' | 'restatement';
}

export interface DocumentRef {
  docId: string;
  kind: SourceKind;
  title: string;
  date: IsoDate;
  form?: string;
}

export interface FactSnapshot {
  ticker: string;
  asOf: IsoDate;
  companyName: string;
  sector: GicsSector;
  /** The preferred fact for each (metric, period): conflicts resolved by rank, the losers kept in `conflicts`. */
  facts: Fact[];
  conflicts: FactConflict[];
  documents: DocumentRef[];
  missingSources: SourceFailure[];
  /** Sources whose newest item is older than the staleness limit for its kind. */
  staleSources: Array<{ source: SourceKind; newest: IsoDate }>;
  /** sha256 over the canonical source content; equal hashes mean nothing a summary depends on changed. */
  sourceHash: string;
}

// ---------------------------------------------------------------------------------------------
// Summaries.

export const SUMMARY_SECTIONS = [
  'overview',
  'recent_results',
  'valuation_and_estimates',
  'analyst_view',
  'risks',
  'catalysts',
] as const;
export type SummarySection = (typeof SUMMARY_SECTIONS)[number];

export const SUMMARY_LENGTHS = ['hook', 'medium', 'expanded'] as const;
export type SummaryLength = (typeof SUMMARY_LENGTHS)[number];

export interface SummarySentence {
  text: string;
  /** Source document ids this sentence rests on. */
  citations: string[];
}

export interface SummaryBody {
  sections: Array<{ section: SummarySection; sentences: SummarySentence[] }>;
}

export interface SummaryDraft {
  hook: SummaryBody;
  medium: SummaryBody;
  expanded: SummaryBody;
}

export type VerificationStatus = 'verified' | 'regenerated' | 'facts_only' | 'failed';

export interface VerificationFinding {
  length: SummaryLength;
  section: SummarySection;
  sentence: string;
  kind:
    | 'unsupported_number'
    | 'wrong_scale'
    | 'wrong_period'
    | 'missing_citation'
    | 'unknown_citation'
    | 'citation_mismatch'
    | 'future_date'
    | 'malformed_output';
  detail: string;
}

export interface VerificationResult {
  passed: boolean;
  claimsChecked: number;
  findings: VerificationFinding[];
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}
