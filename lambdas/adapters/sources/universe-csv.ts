/**
 * A real universe from a CSV the operator supplies (docs/SOURCES.md "The universe"): columns
 * `ticker,name,cik,sector,industry` at least, in any order, extra columns ignored. Optional
 * `exchange` and `fiscal_year_end` columns fill in what the CSV knows.
 *
 * Every row is validated; the first bad one fails the whole universe with one line naming the file
 * and line, because a batch over a half-read universe would silently drop companies.
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { CompanyProfile, GicsSector } from '../../core/model';
import { GICS_SECTORS } from '../../core/model';
import type { UniverseSource } from '../../core/ports';
import { SourceFormatError } from '../../core/errors';
import { firstIssue } from '../../core/validation';
import type { BlobReader } from './blob-reader';

export const UNIVERSE_REQUIRED_COLUMNS = ['ticker', 'name', 'cik', 'sector', 'industry'] as const;

/**
 * Yahoo-style sector names (common in free universes, half of the shared 1,000-stock file) and
 * their GICS equivalents, so the whole universe speaks one sector scheme.
 */
const SECTOR_ALIASES: Readonly<Record<string, GicsSector>> = {
  Technology: 'Information Technology',
  'Financial Services': 'Financials',
  Healthcare: 'Health Care',
  'Consumer Cyclical': 'Consumer Discretionary',
  'Consumer Defensive': 'Consumer Staples',
  'Basic Materials': 'Materials',
};

const GICS = new Set<string>(GICS_SECTORS);

const SectorSchema = z
  .string()
  .trim()
  .transform((name, ctx): GicsSector => {
    if (GICS.has(name)) return name as GicsSector;
    const alias = SECTOR_ALIASES[name];
    if (alias) return alias;
    ctx.addIssue({ code: 'custom', message: `"${name}" is not a GICS sector (${GICS_SECTORS.join(', ')})` });
    return z.NEVER;
  });

/** SEC's central index key: a positive integer of at most 10 digits, stored zero-padded. */
const CikSchema = z
  .string()
  .trim()
  .refine((cik) => /^\d{1,10}$/.test(cik) && Number(cik) > 0, {
    error: (issue) => `"${String(issue.input)}" is not a CIK (a positive integer of at most 10 digits)`,
  })
  .transform((cik) => cik.padStart(10, '0'));

/** Only the venues the model names; any other (or none) leaves the exchange out. */
const ExchangeSchema = z
  .string()
  .trim()
  .transform((venue) => {
    const upper = venue.toUpperCase();
    return upper === 'NYSE' || upper === 'NASDAQ' ? upper : undefined;
  });

/** `fiscal_year_end`: a month (1–12) or SEC's MMDD form (`0927`); empty when unknown. */
const FiscalYearEndSchema = z
  .string()
  .trim()
  .transform((value, ctx): number | undefined => {
    if (value === '') return undefined;
    const month = /^\d{4}$/.test(value) ? Number(value.slice(0, 2)) : Number(value);
    if (Number.isInteger(month) && month >= 1 && month <= 12) return month;
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a month (1-12) or MMDD date` });
    return z.NEVER;
  });

const UniverseRowSchema = z.object({
  ticker: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z][A-Z0-9.\-]{0,9}$/, 'is not a stock symbol such as ABC'),
  name: z.string().trim().min(1, 'is empty'),
  cik: CikSchema,
  sector: SectorSchema,
  industry: z.string().trim().min(1, 'is empty'),
  exchange: ExchangeSchema.optional(),
  fiscal_year_end: FiscalYearEndSchema.optional(),
});

type UniverseRow = z.infer<typeof UniverseRowSchema>;

function profileOf(row: UniverseRow): CompanyProfile {
  return {
    ticker: row.ticker,
    name: row.name,
    cik: row.cik,
    sector: row.sector,
    industry: row.industry,
    ...(row.exchange ? { exchange: row.exchange } : {}),
    // Without the column the month is a placeholder: the filings decide (see CompanyProfile).
    ...(row.fiscal_year_end !== undefined
      ? { fiscalYearEndMonth: row.fiscal_year_end }
      : { fiscalYearEndMonth: 12, fiscalYearEndInferred: true }),
  };
}

interface CsvRecord {
  record: Record<string, string>;
  info: { lines: number };
}

function readRecords(text: string, file: string): CsvRecord[] {
  try {
    return parse(text, {
      columns: (header: string[]) => header.map((column) => column.trim().toLowerCase()),
      info: true,
      bom: true,
      skip_empty_lines: true,
    }) as CsvRecord[];
  } catch (error) {
    const { message, lines } = error as Error & { lines?: number };
    throw new SourceFormatError(`${file}${lines ? ` line ${lines}` : ''}: ${message.split('\n')[0]}`);
  }
}

function assertColumns(text: string, file: string): void {
  const header = (parse(text, { to_line: 1, bom: true }) as string[][])[0]?.map((column) => column.trim().toLowerCase()) ?? [];
  const missing = UNIVERSE_REQUIRED_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0)
    throw new SourceFormatError(
      `${file} line 1: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (needs ${UNIVERSE_REQUIRED_COLUMNS.join(',')})`,
    );
}

/**
 * Parse a universe CSV into profiles, in file order.
 * @param file names the source in error messages.
 * @throws SourceFormatError naming the file and line: a missing column, a bad CIK, sector or
 *   ticker, a duplicate ticker, or no companies at all.
 */
export function parseUniverseCsv(text: string, file: string): CompanyProfile[] {
  assertColumns(text, file);
  const firstLine = new Map<string, number>();
  const profiles: CompanyProfile[] = [];
  for (const { record, info } of readRecords(text, file)) {
    const parsed = UniverseRowSchema.safeParse(record);
    if (!parsed.success) {
      const { path, message } = firstIssue(parsed.error);
      throw new SourceFormatError(`${file} line ${info.lines}: ${path ?? 'row'} ${message}`);
    }
    const earlier = firstLine.get(parsed.data.ticker);
    if (earlier !== undefined)
      throw new SourceFormatError(`${file} line ${info.lines}: duplicate ticker ${parsed.data.ticker} (first on line ${earlier})`);
    firstLine.set(parsed.data.ticker, info.lines);
    profiles.push(profileOf(parsed.data));
  }
  if (profiles.length === 0) throw new SourceFormatError(`${file}: the universe has no companies`);
  return profiles;
}

/** The universe port over a CSV file or S3 object, read and validated once per process. */
export function createCsvUniverseSource(options: { blobs: BlobReader; location: string }): UniverseSource {
  let loaded: Promise<Map<string, CompanyProfile>> | undefined;
  const load = () => {
    loaded ??= options.blobs
      .read(options.location)
      .then((text) => new Map(parseUniverseCsv(text, options.location).map((profile) => [profile.ticker, profile])));
    // A failed read is not remembered: the next call tries again.
    loaded.catch(() => (loaded = undefined));
    return loaded;
  };
  return {
    list: async () => [...(await load()).values()].map((profile) => ({ ...profile })),
    get: async (ticker) => {
      const profile = (await load()).get(ticker.toUpperCase());
      return profile ? { ...profile } : undefined;
    },
  };
}
