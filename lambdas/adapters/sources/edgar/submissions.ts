/**
 * EDGAR `submissions` JSON (`data.sec.gov/submissions/CIK##########.json`): company metadata and its
 * recent filings. `filings.recent` is columnar (one array per field, index i across the arrays is
 * filing i, newest first); we turn it into rows. It holds at least the last year or the last 1,000
 * filings; older ones live in the separate pages named by `filings.files`, which we do not fetch
 * (the pipeline only needs the latest 10-K and the 10-Qs after it).
 */
import { z } from 'zod';
import { SourceFormatError } from '../../../core/errors';
import { padCik } from './cik';
import { nominalMonthEnd } from './fiscal-periods';
import { describeIssue } from '../../../core/validation';

const RecentFilingsSchema = z.object({
  accessionNumber: z.array(z.string()),
  filingDate: z.array(z.string()),
  reportDate: z.array(z.string()),
  form: z.array(z.string()),
  primaryDocument: z.array(z.string()),
  // 8-K item numbers, comma-separated ("2.02,9.01"); '' for other forms. Older payloads lack it.
  items: z.array(z.string()).optional(),
});

const SubmissionsSchema = z.object({
  cik: z.union([z.number().int().positive(), z.string().regex(/^\d{1,10}$/, 'expected a CIK of digits')]),
  name: z.string(),
  tickers: z.array(z.string()).default([]),
  // Month and day, e.g. "0926" (Apple's nominal year end) or "1231"; empty for some filers.
  fiscalYearEnd: z
    .string()
    .regex(/^(\d{4})?$/, 'expected MMDD')
    .nullish()
    .transform((value) => (value ? value : null)),
  filings: z.object({ recent: RecentFilingsSchema }),
});

export interface SubmissionFiling {
  accessionNumber: string;
  form: string;
  filingDate: string;
  /** Period of report (`YYYY-MM-DD`), or '' for forms that have none (proxies, notices). */
  reportDate: string;
  primaryDocument: string;
  /** 8-K items as EDGAR lists them, e.g. `"2.02,9.01"`; absent or '' for other forms. */
  items?: string;
}

export interface Submissions {
  /** 10 digits, zero padded. */
  cik: string;
  name: string;
  tickers: string[];
  /** `MMDD`, or null when EDGAR has none. */
  fiscalYearEnd: string | null;
  /** From `filings.recent`, in EDGAR's order (newest first). */
  filings: SubmissionFiling[];
}

/**
 * Parse a submissions payload; accepts a padded or unpadded string CIK or a number.
 * @throws SourceFormatError with a one-line reason on a bad shape, including columns of unequal length.
 */
export function parseSubmissions(json: unknown): Submissions {
  const parsed = SubmissionsSchema.safeParse(json);
  if (!parsed.success) throw new SourceFormatError(`submissions JSON is invalid at ${describeIssue(parsed.error)}`);
  const { recent } = parsed.data.filings;
  const count = recent.accessionNumber.length;
  for (const [column, values] of Object.entries(recent)) {
    if (values === undefined) continue;
    if (values.length !== count) {
      throw new SourceFormatError(
        `submissions JSON is invalid at filings.recent.${column}: ${values.length} values for ${count} accession numbers`,
      );
    }
  }
  const filings = recent.accessionNumber.map((accessionNumber, i) => ({
    accessionNumber,
    form: recent.form[i]!,
    filingDate: recent.filingDate[i]!,
    reportDate: recent.reportDate[i]!,
    primaryDocument: recent.primaryDocument[i]!,
    items: recent.items?.[i] ?? '',
  }));
  return {
    cik: padCik(parsed.data.cik),
    name: parsed.data.name,
    tickers: parsed.data.tickers,
    fiscalYearEnd: parsed.data.fiscalYearEnd,
    filings,
  };
}

/**
 * The month (1–12) a fiscal year ending on `MMDD` nominally ends in, by the same rule the metrics
 * use for period ends: a 52/53-week year ending in the first half of a month ("0103", "0201")
 * belongs to the month before. Undefined when there is none or it is malformed.
 */
export function fiscalYearEndMonthOf(fiscalYearEnd: string | null): number | undefined {
  if (!fiscalYearEnd || !/^(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.test(fiscalYearEnd)) return undefined;
  return nominalMonthEnd(`2001-${fiscalYearEnd.slice(0, 2)}-${fiscalYearEnd.slice(2, 4)}`).month;
}
