/**
 * The demo universe (docs/DESIGN.md §3): 1,000 fictional US companies across all eleven GICS sectors,
 * served through the same source ports as the real sources, for the embedded default runtime.
 *
 * Deterministic: the same seed gives the same bytes for every port, ticker and as-of date. Every
 * value comes from streams keyed by (seed, ticker, day), so one stock can be generated without
 * generating any other, and history reaches back as far as anyone asks without being simulated.
 *
 * A realistic share of content changes from one business day to the next (about a fifth of the
 * stocks get news or a note, one or two percent a filing); everything else is byte-identical, so
 * the embedding cache and the skip-unchanged path are exercised the way a real week exercises them.
 * Hard cases are planted on purpose on a few percent of stocks each: see `DEMO_HARD_CASES`.
 */
import type { Sources } from '../../../core/ports';
import type {
  CompanyFactsJson,
  CompanyProfile,
  FilingDocument,
  FundamentalsRecord,
  IsoDate,
  NewsItem,
  ResearchNote,
} from '../../../core/model';
import { NotFoundError, SourceUnavailableError } from '../../../core/errors';
import { businessIndexOf, dayOf } from './calendar';
import { companyFactsOn } from './company-facts';
import { filingDocument } from './filing-text';
import { filingsUpTo } from './financials';
import { fundamentalsRefreshIndex, isOutage } from './events';
import { fundamentalsRecordAt } from './fundamentals';
import { latestNews } from './news';
import { latestNotes } from './research';
import { buildUniverse, DEMO_HARD_CASES } from './universe';
import type { DemoCompany, DemoHardCase } from './universe';

export { DEMO_HARD_CASES };
export type { DemoHardCase };

/** The default seed: the universe every developer, CI run and evaluation sees unless told otherwise. */
export const DEMO_SEED = 20260101;
/** The default number of companies. */
export const DEMO_UNIVERSE_SIZE = 1000;
/** Largest universe the CIK range (9,900,003 upwards in steps of 3) can hold. */
export const DEMO_MAX_SIZE = 30_000;

export interface DemoSourcesOptions {
  /** Non-negative integer; defaults to `DEMO_SEED`. */
  seed?: number;
  /** Number of companies, 1 to `DEMO_MAX_SIZE`; defaults to 1,000. */
  size?: number;
}

/** The demo's source ports plus what tests and evaluations need to find the planted cases. */
export interface DemoSources extends Sources {
  readonly seed: number;
  readonly size: number;
  /** The hard cases planted on a ticker (empty for ordinary stocks and unknown tickers). */
  plantedHardCases(ticker: string): DemoHardCase[];
  /** The ports that throw `SourceUnavailableError` for this ticker on this as-of date. */
  sourceOutages(ticker: string, asOf: IsoDate): Array<'fundamentals' | 'news'>;
}

interface Universe {
  companies: DemoCompany[];
  byTicker: Map<string, DemoCompany>;
  profiles: CompanyProfile[];
}

// A handful of universes at most (a test may build a few seeds); each is about a megabyte.
const universes = new Map<string, Universe>();
const MAX_UNIVERSES = 6;

function universeFor(seed: number, size: number): Universe {
  const key = `${seed}:${size}`;
  const cached = universes.get(key);
  if (cached) return cached;
  const companies = buildUniverse(seed, size);
  const universe: Universe = {
    companies,
    byTicker: new Map(companies.map((c) => [c.profile.ticker, c])),
    profiles: companies.map((c) => c.profile),
  };
  if (universes.size >= MAX_UNIVERSES) universes.delete(universes.keys().next().value!);
  universes.set(key, universe);
  return universe;
}

function resolveOptions(options: DemoSourcesOptions): { seed: number; size: number } {
  const seed = options.seed ?? DEMO_SEED;
  const size = options.size ?? DEMO_UNIVERSE_SIZE;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`demo seed must be a non-negative integer, got ${seed}`);
  if (!Number.isInteger(size) || size < 1 || size > DEMO_MAX_SIZE)
    throw new RangeError(`demo universe size must be an integer from 1 to ${DEMO_MAX_SIZE}, got ${size}`);
  return { seed, size };
}

function sortedHardCases(company: DemoCompany | undefined): DemoHardCase[] {
  return company ? DEMO_HARD_CASES.filter((c) => company.hardCases.has(c)) : [];
}

/**
 * The demo universe behind the source ports.
 *
 * - `universe.list()`: every company in a stable order; `get(ticker)` one or undefined.
 * - `filings.companyFacts`: EDGAR companyfacts JSON with the facts of the latest twelve 10-K/10-Q
 *   filings (and any 10-K/A) filed on or before as-of.
 * - `filings.filings`: the latest 10-K, any later 10-K/A and the 10-Qs after it, oldest first.
 * - `fundamentals.fundamentals`: the vendor record in force on as-of (undefined without coverage;
 *   throws `SourceUnavailableError` on outage days). `sharesOutstanding` is a plain share count;
 *   monetary fields are in the record's `scale`.
 * - `research.notes`: the latest three notes, newest first (empty without coverage).
 * - `news.news`: the latest five items, newest first (throws `SourceUnavailableError` on outage days).
 *
 * Every port throws `InputValidationError` for an as-of that is not a `YYYY-MM-DD` date and
 * `NotFoundError` for a company outside the universe.
 */
export function createDemoSources(options: DemoSourcesOptions = {}): DemoSources {
  const { seed, size } = resolveOptions(options);
  const universe = universeFor(seed, size);
  const companyOf = (profile: CompanyProfile): DemoCompany => {
    const company = universe.byTicker.get(profile.ticker);
    if (!company) throw new NotFoundError(`${profile.ticker} is not in the demo universe (seed ${seed}, ${size} companies)`);
    return company;
  };
  return {
    seed,
    size,
    universe: {
      list: async () => universe.profiles.map((p) => ({ ...p })),
      get: async (ticker: string) => {
        const company = universe.byTicker.get(ticker);
        return company ? { ...company.profile } : undefined;
      },
    },
    filings: {
      companyFacts: async (profile: CompanyProfile, asOf: IsoDate): Promise<CompanyFactsJson | undefined> =>
        companyFactsOn(companyOf(profile), dayOf(asOf)),
      filings: async (profile: CompanyProfile, asOf: IsoDate): Promise<FilingDocument[]> => {
        const company = companyOf(profile);
        const filed = filingsUpTo(company, dayOf(asOf), 2);
        const lastAnnual = filed.findLastIndex((f) => f.form === '10-K');
        return (lastAnnual < 0 ? filed : filed.slice(lastAnnual)).map((f) => filingDocument(company, f));
      },
    },
    fundamentals: {
      fundamentals: async (profile: CompanyProfile, asOf: IsoDate): Promise<FundamentalsRecord | undefined> => {
        const company = companyOf(profile);
        const index = businessIndexOf(dayOf(asOf));
        if (isOutage(company, 'fundamentals', index))
          throw new SourceUnavailableError(`fundamentals vendor unavailable for ${profile.ticker} (HTTP 503 after retries)`);
        if (company.hardCases.has('no_fundamentals')) return undefined;
        return fundamentalsRecordAt(company, fundamentalsRefreshIndex(company, index));
      },
    },
    research: {
      notes: async (profile: CompanyProfile, asOf: IsoDate): Promise<ResearchNote[]> =>
        latestNotes(companyOf(profile), businessIndexOf(dayOf(asOf))),
    },
    news: {
      news: async (profile: CompanyProfile, asOf: IsoDate): Promise<NewsItem[]> => {
        const company = companyOf(profile);
        const index = businessIndexOf(dayOf(asOf));
        if (isOutage(company, 'news', index))
          throw new SourceUnavailableError(`news feed unavailable for ${profile.ticker} (connection timed out)`);
        return latestNews(company, index);
      },
    },
    plantedHardCases: (ticker: string) => sortedHardCases(universe.byTicker.get(ticker)),
    sourceOutages: (ticker: string, asOf: IsoDate) => {
      const company = universe.byTicker.get(ticker);
      if (!company) return [];
      const index = businessIndexOf(dayOf(asOf));
      return (['fundamentals', 'news'] as const).filter((source) => isOutage(company, source, index));
    },
  };
}

/** The hard cases planted on `ticker` in the universe of `options` (default seed and size). */
export function plantedHardCases(ticker: string, options: DemoSourcesOptions = {}): DemoHardCase[] {
  const { seed, size } = resolveOptions(options);
  return sortedHardCases(universeFor(seed, size).byTicker.get(ticker));
}

/** Tickers carrying a given hard case, in universe order. */
export function tickersWithHardCase(hardCase: DemoHardCase, options: DemoSourcesOptions = {}): string[] {
  const { seed, size } = resolveOptions(options);
  return universeFor(seed, size)
    .companies.filter((c) => c.hardCases.has(hardCase))
    .map((c) => c.profile.ticker);
}
