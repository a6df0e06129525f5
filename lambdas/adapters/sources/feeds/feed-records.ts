/**
 * The vendor feed format (docs/SOURCES.md "Vendor feeds"): one JSON object per line, one schema per
 * source kind. Each line parses to exactly the record the demo sources produce (FundamentalsRecord,
 * ResearchNote, NewsItem), so a brief written from a feed reads like one written from the demo.
 * Fields the schema does not name are ignored: vendors add their own.
 */
import { z } from 'zod';
import type { FundamentalsRecord, NewsItem, ResearchNote } from '../../../core/model';

const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((value) => new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'is not a real calendar date');

const TickerSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][A-Z0-9.\-]{0,9}$/, 'must be a stock symbol such as ABC');

/** Citations point at this id, so it must be stable across deliveries of the same document. */
const DocIdSchema = z
  .string()
  .trim()
  .regex(/^[\w.:-]{1,120}$/, 'must be 1-120 letters, digits or . _ : -');

const text = (what: string) => z.string().trim().min(1, `${what} is empty`);
const finite = z.number().finite();
const RatingSchema = z.enum(['Buy', 'Overweight', 'Hold', 'Underweight', 'Sell']);

export const FundamentalsLineSchema = z.object({
  docId: DocIdSchema,
  ticker: TickerSchema,
  vendor: text('vendor'),
  asOf: IsoDateSchema,
  currency: z.literal('USD'),
  scale: z.enum(['units', 'thousands', 'millions']),
  price: finite.positive(),
  sharesOutstanding: finite.positive(),
  marketCap: finite.positive(),
  lastFiscalYear: z.object({
    fiscalYear: z.number().int().min(1900).max(2200),
    periodEnd: IsoDateSchema,
    revenue: finite,
    netIncome: finite,
    epsDiluted: finite,
  }),
  consensus: z.array(
    z.object({
      fiscalYear: z.number().int().min(1900).max(2200),
      epsMean: finite,
      revenueMean: finite,
      numEstimates: z.number().int().positive(),
    }),
  ),
}) satisfies z.ZodType<FundamentalsRecord>;

export const ResearchLineSchema = z.object({
  docId: DocIdSchema,
  ticker: TickerSchema,
  broker: text('broker'),
  analyst: text('analyst'),
  published: IsoDateSchema,
  rating: RatingSchema,
  priceTarget: finite.positive(),
  currency: z.literal('USD'),
  title: text('title'),
  thesis: text('thesis'),
  // Last, in the demo's order: the source hash of a brief is taken over the records as they are.
  previousRating: RatingSchema.optional(),
  previousPriceTarget: finite.positive().optional(),
}) satisfies z.ZodType<ResearchNote>;

export const NewsLineSchema = z.object({
  docId: DocIdSchema,
  ticker: TickerSchema,
  published: z.iso.datetime({ offset: true, error: 'must be an ISO timestamp such as 2026-02-02T13:30:00Z' }),
  source: text('source'),
  headline: text('headline'),
  body: text('body'),
}) satisfies z.ZodType<NewsItem>;

/** The feed kinds and the record each line becomes. */
export interface FeedRecords {
  fundamentals: FundamentalsRecord;
  research: ResearchNote;
  news: NewsItem;
}

export type FeedKind = keyof FeedRecords;
export const FEED_KINDS: readonly FeedKind[] = ['fundamentals', 'research', 'news'];

export const FEED_LINE_SCHEMAS: { readonly [K in FeedKind]: z.ZodType<FeedRecords[K]> } = {
  fundamentals: FundamentalsLineSchema,
  research: ResearchLineSchema,
  news: NewsLineSchema,
};

/** The date a record is "published" on, for "on or before as-of". */
export function recordDate<K extends FeedKind>(kind: K, record: FeedRecords[K]): string {
  if (kind === 'fundamentals') return (record as FundamentalsRecord).asOf;
  // News carries a timestamp: its calendar day (UTC) is what as-of compares with.
  return (record as ResearchNote | NewsItem).published.slice(0, 10);
}
