/** Companies and the source kinds that describe them. */
/** ISO calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

export type SourceKind = 'filings' | 'fundamentals' | 'research' | 'news';

/** Ranking used when sources disagree: lower wins (docs/DESIGN.md §5.2: filings > vendor data > notes > news). */
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
  /** Absent when the universe does not say (or lists another venue). */
  exchange?: 'NYSE' | 'NASDAQ';
  /** Month (1–12) in which the fiscal year ends; many companies do not end in December. */
  fiscalYearEndMonth: number;
  /**
   * True when the universe did not state the fiscal year end: `fiscalYearEndMonth` is then only a
   * placeholder (December), and the filings themselves decide how periods are labelled.
   */
  fiscalYearEndInferred?: boolean;
}
