/** Raw source payloads, in the shapes the real sources use (EDGAR, vendor feeds, notes, news). */

import type { IsoDate, SourceKind, CompanyProfile } from './company';

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
  facts: Record<string, Record<string, { label?: string | null; description?: string | null; units: Record<string, CompanyFactsEntry[]> }>>;
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
