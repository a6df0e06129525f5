/** Source ports: one per source kind. Demo and EDGAR adapters implement them. */
import type { CompanyProfile, IsoDate, CompanyFactsJson, FilingDocument, FundamentalsRecord, ResearchNote, NewsItem } from '../model';

export interface UniverseSource {
  /** Every company in the universe, in a stable order. */
  list(): Promise<CompanyProfile[]>;
  get(ticker: string): Promise<CompanyProfile | undefined>;
}

export interface FilingsSource {
  /** XBRL facts filed on or before `asOf`, or undefined when the company has none. */
  companyFacts(company: CompanyProfile, asOf: IsoDate): Promise<CompanyFactsJson | undefined>;
  /** The latest 10-K and the 10-Qs after it (text sections), filed on or before `asOf`. */
  filings(company: CompanyProfile, asOf: IsoDate): Promise<FilingDocument[]>;
}

export interface FundamentalsSource {
  fundamentals(company: CompanyProfile, asOf: IsoDate): Promise<FundamentalsRecord | undefined>;
}

export interface ResearchSource {
  /** The most recent research notes published on or before `asOf`, newest first. */
  notes(company: CompanyProfile, asOf: IsoDate): Promise<ResearchNote[]>;
}

export interface NewsSource {
  /** The most recent news items published on or before `asOf`, newest first. */
  news(company: CompanyProfile, asOf: IsoDate): Promise<NewsItem[]>;
}

export interface Sources {
  universe: UniverseSource;
  filings: FilingsSource;
  fundamentals: FundamentalsSource;
  research: ResearchSource;
  news: NewsSource;
}
