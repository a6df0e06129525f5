/** The fact snapshot: the single source of truth for numbers (docs/DESIGN.md, "The stock pipeline"). */
import type { IsoDate, SourceKind, GicsSector } from './company';
import type { SourceFailure } from './source-payloads';

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
