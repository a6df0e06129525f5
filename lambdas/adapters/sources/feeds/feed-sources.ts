/**
 * The fundamentals, research and news ports over vendor feed deliveries in a folder (locally) or an
 * S3 prefix (in AWS). For each brief the newest delivery on or before its as-of date is used; a
 * delivery older than the kind's maximum age, or none at all, makes the port throw
 * `SourceUnavailableError`, which the pipeline records as a missing source of the brief.
 *
 * A delivery covers every stock, and a batch asks for one stock at a time, so each file is parsed
 * once per process (keyed by its version) and indexed by ticker; the folder listing is re-read
 * after `listingTtlMs` so a warm Lambda sees the next day's delivery.
 */
import type { CompanyProfile, FundamentalsRecord, IsoDate, NewsItem, ResearchNote } from '../../../core/model';
import type { FundamentalsSource, NewsSource, ResearchSource } from '../../../core/ports';
import { SourceUnavailableError } from '../../../core/errors';
import type { BlobReader } from '../blob-reader';
import { childLocation } from '../blob-reader';
import { daysBetween, deliveriesOf, deliveryFor, parseDelivery } from './feed-deliveries';
import type { Delivery, MalformedLine } from './feed-deliveries';
import { recordDate } from './feed-records';
import type { FeedKind, FeedRecords } from './feed-records';

/** Days a delivery stays current: vendors deliver daily; a week covers holidays and a missed run. */
export const DEFAULT_FEED_MAX_AGE_DAYS: Readonly<Record<FeedKind, number>> = { fundamentals: 7, research: 7, news: 7 };

/** As many as the demo sources return, so briefs look the same. */
const NOTES_PER_BRIEF = 3;
const NEWS_PER_BRIEF = 5;

export interface FeedSourcesOptions {
  blobs: BlobReader;
  /** Folder or `s3://bucket/prefix` holding `<kind>/<YYYY-MM-DD>.jsonl`. */
  root: string;
  maxAgeDays?: Partial<Record<FeedKind, number>>;
  /** Told about every skipped line (once per file version): log a warning, count a metric. */
  onMalformed?: (line: MalformedLine) => void;
  /** How long a folder listing is trusted (default 60 s). */
  listingTtlMs?: number;
  now?: () => number;
}

export interface FeedSources {
  fundamentals: FundamentalsSource;
  research: ResearchSource;
  news: NewsSource;
  /** Lines skipped as malformed since the process started. */
  malformedLines(): number;
}

type Index<K extends FeedKind> = Map<string, Array<FeedRecords[K]>>;

/** One kind's deliveries: which one applies on a date, and its records by ticker. */
class FeedKindReader<K extends FeedKind> {
  private listing: { at: number; deliveries: Promise<Delivery[]> } | undefined;
  private readonly parsed = new Map<string, Promise<Index<K>>>();

  constructor(
    private readonly kind: K,
    private readonly folder: string,
    private readonly maxAgeDays: number,
    private readonly options: Required<Pick<FeedSourcesOptions, 'blobs' | 'listingTtlMs' | 'now'>> & {
      onMalformed: (line: MalformedLine) => void;
    },
  ) {}

  /** The records for `ticker` in the delivery that applies on `asOf`, dated on or before it. */
  async recordsFor(ticker: string, asOf: IsoDate): Promise<Array<FeedRecords[K]>> {
    const delivery = this.current(await this.deliveries(), asOf);
    const index = await this.indexOf(delivery);
    return (index.get(ticker) ?? []).filter((record) => recordDate(this.kind, record) <= asOf);
  }

  private current(deliveries: Delivery[], asOf: IsoDate): Delivery {
    const delivery = deliveryFor(deliveries, asOf);
    if (!delivery) throw new SourceUnavailableError(`${this.kind} feed: no delivery on or before ${asOf} in ${this.folder}`);
    const age = daysBetween(delivery.date, asOf);
    if (age > this.maxAgeDays)
      throw new SourceUnavailableError(
        `${this.kind} feed: the newest delivery on or before ${asOf} is ${delivery.date}, ${age} days old (stale after ${this.maxAgeDays})`,
      );
    return delivery;
  }

  private deliveries(): Promise<Delivery[]> {
    const now = this.options.now();
    if (!this.listing || now - this.listing.at > this.options.listingTtlMs) {
      const deliveries = this.options.blobs.list(this.folder).then(deliveriesOf);
      this.listing = { at: now, deliveries };
      // A failed listing is not remembered: the next stock tries again.
      deliveries.catch(() => (this.listing = undefined));
    }
    return this.listing.deliveries;
  }

  private indexOf(delivery: Delivery): Promise<Index<K>> {
    const key = `${delivery.entry.location}@${delivery.entry.version}`;
    let index = this.parsed.get(key);
    if (!index) {
      index = this.options.blobs.read(delivery.entry.location).then((text) => this.index(delivery.entry.location, text));
      index.catch(() => this.parsed.delete(key));
      // Two deliveries at most are in use at once (today's and, across midnight, yesterday's).
      if (this.parsed.size >= 2) this.parsed.delete(this.parsed.keys().next().value!);
      this.parsed.set(key, index);
    }
    return index;
  }

  private index(file: string, text: string): Index<K> {
    const index: Index<K> = new Map();
    for (const record of parseDelivery(this.kind, file, text, this.options.onMalformed)) {
      const list = index.get(record.ticker) ?? [];
      list.push(record);
      index.set(record.ticker, list);
    }
    return index;
  }
}

/** Newest first, by date and then document id, so equal dates keep a stable order. */
function newestFirst<T extends { docId: string }>(records: T[], dateOf: (record: T) => string): T[] {
  return [...records].sort((a, b) => dateOf(b).localeCompare(dateOf(a)) || a.docId.localeCompare(b.docId));
}

export function createFeedSources(options: FeedSourcesOptions): FeedSources {
  let malformed = 0;
  const shared = {
    blobs: options.blobs,
    listingTtlMs: options.listingTtlMs ?? 60_000,
    now: options.now ?? Date.now,
    onMalformed: (line: MalformedLine) => {
      malformed += 1;
      options.onMalformed?.(line);
    },
  };
  const reader = <K extends FeedKind>(kind: K) =>
    new FeedKindReader(kind, childLocation(options.root, kind), options.maxAgeDays?.[kind] ?? DEFAULT_FEED_MAX_AGE_DAYS[kind], shared);
  const fundamentals = reader('fundamentals');
  const research = reader('research');
  const news = reader('news');
  return {
    fundamentals: {
      fundamentals: async (company: CompanyProfile, asOf: IsoDate): Promise<FundamentalsRecord | undefined> =>
        newestFirst(await fundamentals.recordsFor(company.ticker, asOf), (record) => record.asOf)[0],
    },
    research: {
      notes: async (company: CompanyProfile, asOf: IsoDate): Promise<ResearchNote[]> =>
        newestFirst(await research.recordsFor(company.ticker, asOf), (note) => note.published).slice(0, NOTES_PER_BRIEF),
    },
    news: {
      news: async (company: CompanyProfile, asOf: IsoDate): Promise<NewsItem[]> =>
        newestFirst(await news.recordsFor(company.ticker, asOf), (item) => item.published).slice(0, NEWS_PER_BRIEF),
    },
    malformedLines: () => malformed,
  };
}

/**
 * The feed ports when no feeds root is configured: every call is an unavailable source, so each
 * brief names what it could not see instead of the run refusing to start.
 */
export function unconfiguredFeedSources(setting: string): FeedSources {
  const unavailable = (kind: FeedKind) => () =>
    Promise.reject(new SourceUnavailableError(`${kind} feed: no feeds configured (${setting})`));
  return {
    fundamentals: { fundamentals: unavailable('fundamentals') },
    research: { notes: unavailable('research') },
    news: { news: unavailable('news') },
    malformedLines: () => 0,
  };
}
