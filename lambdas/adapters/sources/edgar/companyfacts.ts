/**
 * EDGAR `companyfacts` JSON (`data.sec.gov/api/xbrl/companyfacts/CIK##########.json`): validation,
 * flattening to one row per reported value, and extraction of the metrics the fact snapshot uses.
 *
 * The same parser reads real EDGAR payloads and the demo universe's generated ones, so it follows
 * the real format's quirks rather than an idealised one:
 * - `cik` is a number in EDGAR's payloads and a zero-padded string in some others (IFRS filer LPA);
 * - `fy`/`fp` describe the FILING an entry came from, not the period it measures;
 * - the same value for the same period appears once per filing that reported it (the 10-Q, then the
 *   next year's 10-Q comparative, then the 10-K), with `frame` on only one of them;
 * - later filings change earlier values: amendments (10-K/A), restatements, stock splits (Tesla's
 *   2018 EPS of −5.72 became −1.14), and a switch from thousands to millions (11,758,751,000 became
 *   11,759,000,000). The latest filed value wins; the earlier ones are kept as restatements;
 * - `label`/`description` may be null, values may be integers or fractions.
 */
import { z } from 'zod';
import type { CompanyFactsEntry, CompanyFactsJson, FactUnit, FiscalPeriod, IsoDate, MetricName } from '../../../core/model';
import { SourceFormatError } from '../../../core/errors';
import { padCik } from './cik';
import { METRIC_MAPPINGS, Q4_DERIVABLE_METRICS } from './concepts';
import type { MetricMapping } from './concepts';
import { addDays, classifyPeriod, fiscalPeriodOf, mostCommon, nominalMonthEnd } from './fiscal-periods';
import type { PeriodKind } from './fiscal-periods';
import { describeIssue } from '../../../core/validation';

// ---------------------------------------------------------------------------------------------
// Shape.

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a YYYY-MM-DD date');

const EntrySchema = z.object({
  start: isoDate.nullish().transform((value) => value ?? undefined),
  end: isoDate,
  val: z.number().finite(),
  accn: z.string().min(1),
  fy: z
    .number()
    .int()
    .nullish()
    .transform((value) => value ?? null),
  fp: z
    .string()
    .nullish()
    .transform((value) => value ?? null),
  form: z.string(),
  filed: isoDate,
  frame: z
    .string()
    .nullish()
    .transform((value) => value ?? undefined),
});

const ConceptSchema = z.object({
  label: z.string().nullish(),
  description: z.string().nullish(),
  units: z.record(z.string(), z.array(EntrySchema)),
});

const CikSchema = z.union([z.number().int().positive(), z.string().regex(/^\d{1,10}$/, 'expected a CIK of digits')]);

export const CompanyFactsSchema = z.object({
  cik: CikSchema,
  entityName: z.string(),
  facts: z.record(z.string(), z.record(z.string(), ConceptSchema)),
});

function toEntry(entry: z.infer<typeof EntrySchema>): CompanyFactsEntry {
  const out: CompanyFactsEntry = {
    end: entry.end,
    val: entry.val,
    accn: entry.accn,
    fy: entry.fy,
    fp: entry.fp,
    form: entry.form,
    filed: entry.filed,
  };
  if (entry.start !== undefined) out.start = entry.start;
  if (entry.frame !== undefined) out.frame = entry.frame;
  return out;
}

/**
 * Validate a companyfacts payload and return it in the model's shape (CIK zero-padded, absent
 * optional fields omitted rather than null).
 * @throws SourceFormatError with a one-line reason when the shape is wrong.
 */
export function validateCompanyFacts(json: unknown): CompanyFactsJson {
  const parsed = CompanyFactsSchema.safeParse(json);
  if (!parsed.success) throw new SourceFormatError(`companyfacts JSON is invalid at ${describeIssue(parsed.error)}`);
  const facts: CompanyFactsJson['facts'] = {};
  for (const [taxonomy, concepts] of Object.entries(parsed.data.facts)) {
    const byConcept: CompanyFactsJson['facts'][string] = {};
    for (const [concept, body] of Object.entries(concepts)) {
      const units: Record<string, CompanyFactsEntry[]> = {};
      for (const [unit, entries] of Object.entries(body.units)) units[unit] = entries.map(toEntry);
      byConcept[concept] = { label: body.label ?? null, description: body.description ?? null, units };
    }
    facts[taxonomy] = byConcept;
  }
  return { cik: padCik(parsed.data.cik), entityName: parsed.data.entityName, facts };
}

/** One reported value: a row of `facts.<taxonomy>.<concept>.units.<unit>[]`. */
export interface XbrlFact {
  taxonomy: string;
  concept: string;
  unit: string;
  value: number;
  start?: string;
  end: string;
  /** Fiscal year of the FILING that reported this value, not of the period it measures. */
  fy: number | null;
  /** Fiscal period of the FILING (`FY`, `Q1`…), not of the period it measures. */
  fp: string | null;
  form: string;
  filed: string;
  accn: string;
  /** SEC's calendar frame (`CY2023`, `CY2023Q3`, `CY2023Q3I`), on one of the duplicates at most. */
  frame?: string;
}

/** Every reported value of a validated payload, in payload order. */
export function flattenCompanyFacts(json: CompanyFactsJson): XbrlFact[] {
  const facts: XbrlFact[] = [];
  for (const [taxonomy, concepts] of Object.entries(json.facts)) {
    for (const [concept, body] of Object.entries(concepts)) {
      for (const [unit, entries] of Object.entries(body.units)) {
        for (const entry of entries) {
          const fact: XbrlFact = {
            taxonomy,
            concept,
            unit,
            value: entry.val,
            end: entry.end,
            fy: entry.fy,
            fp: entry.fp,
            form: entry.form,
            filed: entry.filed,
            accn: entry.accn,
          };
          if (entry.start !== undefined) fact.start = entry.start;
          if (entry.frame !== undefined) fact.frame = entry.frame;
          facts.push(fact);
        }
      }
    }
  }
  return facts;
}

/**
 * Parse a companyfacts payload (real EDGAR or the demo universe's) into flat facts.
 * Accepts a numeric or string CIK and returns it zero-padded to 10 digits.
 * @throws SourceFormatError with a one-line reason on a bad shape.
 */
export function parseCompanyFacts(json: unknown): { cik: string; entityName: string; facts: XbrlFact[] } {
  const valid = validateCompanyFacts(json);
  return { cik: String(valid.cik), entityName: valid.entityName, facts: flattenCompanyFacts(valid) };
}

/**
 * The payload as it stood on `asOf`: only entries filed on or before it, with concepts, units and
 * taxonomies that are left empty dropped. Returns undefined when nothing was filed by then.
 */
export function companyFactsFiledBy(json: CompanyFactsJson, asOf: IsoDate): CompanyFactsJson | undefined {
  const facts: CompanyFactsJson['facts'] = {};
  let kept = 0;
  for (const [taxonomy, concepts] of Object.entries(json.facts)) {
    const byConcept: CompanyFactsJson['facts'][string] = {};
    for (const [concept, body] of Object.entries(concepts)) {
      const units: Record<string, CompanyFactsEntry[]> = {};
      for (const [unit, entries] of Object.entries(body.units)) {
        const filed = entries.filter((entry) => entry.filed <= asOf);
        if (filed.length > 0) units[unit] = filed;
        kept += filed.length;
      }
      if (Object.keys(units).length > 0) byConcept[concept] = { ...body, units };
    }
    if (Object.keys(byConcept).length > 0) facts[taxonomy] = byConcept;
  }
  return kept > 0 ? { cik: json.cik, entityName: json.entityName, facts } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Metrics.

/** A value as one filing reported it. */
export interface ReportedValue {
  value: number;
  form: string;
  filed: string;
  accn: string;
}

export interface MetricValue {
  metric: MetricName;
  unit: FactUnit;
  /** Base units (USD, not thousands of USD). */
  value: number;
  period: FiscalPeriod;
  concept: string;
  taxonomy: string;
  /** The filing this value is cited to: the earliest that reported it, unless a later one changed it. */
  form: string;
  filed: string;
  accn: string;
  /** Earlier filings that reported a DIFFERENT value for the same metric and period (restatements), oldest first. */
  restatements: ReportedValue[];
  /**
   * Set only on a derived fourth quarter (option `deriveFourthQuarter`): Q4 = `derivedFrom[0]` (the
   * fiscal year) − `derivedFrom[1]` (its first nine months). `form`/`filed`/`accn` then name the
   * filing of the fiscal-year figure, which does NOT state the Q4 value itself.
   */
  derivedFrom?: Array<ReportedValue & { start: IsoDate; end: IsoDate }>;
}

export interface ExtractMetricsOptions {
  /** Only facts filed on or before this date count (what was knowable that morning). */
  asOf: IsoDate;
  /** Month (1–12) the fiscal year ends in. When absent, inferred from the fiscal-year periods reported. */
  fiscalYearEndMonth?: number;
  /**
   * Derive fourth quarters as fiscal year − first nine months where no Q4 is reported (10-Ks rarely
   * tag one). Off by default: a derived value is stated in no filing, so it must reach the snapshot
   * marked as derived, not as a number the 10-K contains.
   */
  deriveFourthQuarter?: boolean;
}

/** A fact with its period classified. */
interface ClassifiedFact {
  fact: XbrlFact;
  /** Order in the input: the last tie-break, so equal inputs always give equal outputs. */
  index: number;
  kind: PeriodKind;
}

function byFilingOrder(a: ClassifiedFact, b: ClassifiedFact): number {
  if (a.fact.filed !== b.fact.filed) return a.fact.filed < b.fact.filed ? -1 : 1;
  if (a.fact.accn !== b.fact.accn) return a.fact.accn < b.fact.accn ? -1 : 1;
  return a.index - b.index;
}

/**
 * Collapse the reports of one value in filing order: the latest filed value wins; its source is the
 * first filing of the final unbroken run of that value (a 10-Q and the 10-K repeating it cite the
 * 10-Q); each earlier run with a different value becomes one restatement, cited to its first filing.
 */
function collapse(reports: ClassifiedFact[]): { winner: ClassifiedFact; restatements: ReportedValue[] } {
  const ordered = [...reports].sort(byFilingOrder);
  const runs: ClassifiedFact[] = [];
  for (const report of ordered) {
    if (runs[runs.length - 1]?.fact.value !== report.fact.value) runs.push(report);
  }
  const winner = runs[runs.length - 1]!;
  const restatements = runs
    .slice(0, -1)
    .filter((run) => run.fact.value !== winner.fact.value)
    .map(({ fact }) => ({ value: fact.value, form: fact.form, filed: fact.filed, accn: fact.accn }));
  return { winner, restatements };
}

/** The month most fiscal-year periods end in, or undefined when none is reported. */
export function inferFiscalYearEndMonth(facts: readonly XbrlFact[]): number | undefined {
  const months: number[] = [];
  for (const fact of facts) {
    if (fact.start === undefined || classifyPeriod(fact.start, fact.end, fact.frame) !== 'year') continue;
    months.push(nominalMonthEnd(fact.end).month);
  }
  return mostCommon(months);
}

/**
 * How the company names its fiscal years relative to the calendar year they end in: 0 (the norm:
 * Apple's year to September 2025 is FY2025) or −1 (some retailers name the year to 1 February 2025
 * "fiscal 2024"). Learnt from annual filings: a 10-K's `fy` names the latest fiscal year it reports.
 */
function inferLabelOffset(facts: readonly XbrlFact[], fiscalYearEndMonth: number): number {
  const latestYearEndByAccn = new Map<string, { fy: number; end: string }>();
  for (const fact of facts) {
    if (fact.fp !== 'FY' || fact.fy === null || fact.start === undefined) continue;
    if (classifyPeriod(fact.start, fact.end, fact.frame) !== 'year') continue;
    const seen = latestYearEndByAccn.get(fact.accn);
    if (!seen || fact.end > seen.end) latestYearEndByAccn.set(fact.accn, { fy: fact.fy, end: fact.end });
  }
  const offsets = [...latestYearEndByAccn.values()]
    .sort((a, b) => (a.end < b.end ? -1 : a.end > b.end ? 1 : 0))
    .map(({ fy, end }) => {
      const { year, month } = nominalMonthEnd(end);
      return fy - (month <= fiscalYearEndMonth ? year : year + 1);
    });
  // Anything but −1 is noise (SEC's `fy` is occasionally wrong): assume the norm.
  return mostCommon(offsets) === -1 ? -1 : 0;
}

function periodIdentity(period: FiscalPeriod): string {
  return period.fiscalPeriod === 'spot' ? `spot|${period.end}` : `${period.fiscalYear}|${period.fiscalPeriod}`;
}

function conceptKey(taxonomy: string, concept: string): string {
  return `${taxonomy}:${concept}`;
}

interface Bucket {
  period: FiscalPeriod;
  /** Reports per concept, keyed by concept key. */
  byConcept: Map<string, ClassifiedFact[]>;
}

function metricValuesFor(
  mapping: MetricMapping,
  facts: ClassifiedFact[],
  fiscalYearEndMonth: number,
  labelOffset: number,
  deriveFourthQuarter: boolean,
): MetricValue[] {
  const priority = new Map(mapping.concepts.map((ref, rank) => [conceptKey(ref.taxonomy, ref.concept), rank]));
  const buckets = new Map<string, Bucket>();
  // Nine-month year-to-date reports, by concept and exact dates: only used to derive Q4.
  const nineMonths = new Map<string, ClassifiedFact[]>();
  for (const classified of facts) {
    const { fact, kind } = classified;
    const key = conceptKey(fact.taxonomy, fact.concept);
    if (!priority.has(key) || fact.unit !== mapping.xbrlUnit) continue;
    if ((mapping.kind === 'instant') !== (kind === 'instant')) continue;
    if (kind === 'nine_months') {
      const ytdKey = `${key}|${fact.start}|${fact.end}`;
      const reports = nineMonths.get(ytdKey);
      if (reports) reports.push(classified);
      else nineMonths.set(ytdKey, [classified]);
      continue;
    }
    const period = fiscalPeriodOf(kind, fact.start, fact.end, fiscalYearEndMonth, labelOffset);
    if (!period) continue;
    const identity = periodIdentity(period);
    let bucket = buckets.get(identity);
    if (!bucket) {
      bucket = { period, byConcept: new Map() };
      buckets.set(identity, bucket);
    }
    const reports = bucket.byConcept.get(key);
    if (reports) reports.push(classified);
    else bucket.byConcept.set(key, [classified]);
  }

  const values: MetricValue[] = [];
  for (const bucket of buckets.values()) {
    // The highest-priority concept with any report for this period supplies it.
    const [bestKey] = [...bucket.byConcept.keys()].sort((a, b) => priority.get(a)! - priority.get(b)!);
    const { winner, restatements } = collapse(bucket.byConcept.get(bestKey!)!);
    const { fact } = winner;
    // The winning report's dates (same fiscal label as the bucket): a restatement may move a boundary.
    const period = fiscalPeriodOf(winner.kind, fact.start, fact.end, fiscalYearEndMonth, labelOffset) ?? bucket.period;
    values.push({
      metric: mapping.metric,
      unit: mapping.unit,
      value: fact.value,
      period,
      concept: fact.concept,
      taxonomy: fact.taxonomy,
      form: fact.form,
      filed: fact.filed,
      accn: fact.accn,
      restatements,
    });
  }

  if (deriveFourthQuarter && Q4_DERIVABLE_METRICS.has(mapping.metric)) {
    values.push(...deriveFourthQuarters(values, nineMonths, fiscalYearEndMonth, labelOffset));
  }
  return values;
}

/** Q4 = fiscal year − first nine months of the same concept, for years with no reported Q4. */
function deriveFourthQuarters(
  values: MetricValue[],
  nineMonths: Map<string, ClassifiedFact[]>,
  fiscalYearEndMonth: number,
  labelOffset: number,
): MetricValue[] {
  const reportedQ4 = new Set(values.filter((v) => v.period.fiscalPeriod === 'Q4').map((v) => v.period.fiscalYear));
  const derived: MetricValue[] = [];
  for (const year of values) {
    if (year.period.fiscalPeriod !== 'FY' || year.period.start === undefined || reportedQ4.has(year.period.fiscalYear)) continue;
    const prefix = `${conceptKey(year.taxonomy, year.concept)}|${year.period.start}|`;
    const candidates = [...nineMonths.entries()].filter(([key]) => key.startsWith(prefix));
    if (candidates.length !== 1) continue;
    const { winner } = collapse(candidates[0]![1]);
    const nine = winner.fact;
    const start = addDays(nine.end, 1);
    const period = fiscalPeriodOf('quarter', start, year.period.end, fiscalYearEndMonth, labelOffset);
    if (!period || period.fiscalPeriod !== 'Q4') continue;
    derived.push({
      ...year,
      value: year.value - nine.value,
      period,
      filed: year.filed > nine.filed ? year.filed : nine.filed,
      restatements: [],
      derivedFrom: [
        { value: year.value, form: year.form, filed: year.filed, accn: year.accn, start: year.period.start, end: year.period.end },
        { value: nine.value, form: nine.form, filed: nine.filed, accn: nine.accn, start: nine.start!, end: nine.end },
      ],
    });
  }
  return derived;
}

function isFactList(input: readonly XbrlFact[] | CompanyFactsJson): input is readonly XbrlFact[] {
  return Array.isArray(input);
}

const METRIC_ORDER = new Map<MetricName, number>(METRIC_MAPPINGS.map((mapping, index) => [mapping.metric, index]));
const PERIOD_ORDER: Record<FiscalPeriod['fiscalPeriod'], number> = { Q1: 0, Q2: 1, Q3: 2, Q4: 3, FY: 4, spot: 5 };

function compareMetricValues(a: MetricValue, b: MetricValue): number {
  return (
    METRIC_ORDER.get(a.metric)! - METRIC_ORDER.get(b.metric)! ||
    (a.period.end < b.period.end ? -1 : a.period.end > b.period.end ? 1 : 0) ||
    PERIOD_ORDER[a.period.fiscalPeriod] - PERIOD_ORDER[b.period.fiscalPeriod]
  );
}

/**
 * Map XBRL facts to metrics, one value per (metric, fiscal period): instants are `spot` values keyed
 * by their date, 80–100-day durations are quarters, 350–380-day durations fiscal years; half-year
 * and nine-month year-to-date figures are skipped (or, with `deriveFourthQuarter`, used for Q4).
 * Duplicates collapse; a later filing's different value wins and the earlier ones become
 * `restatements`. Only facts filed on or before `asOf` are considered, so nothing in the output,
 * restatements included, was filed after it. Only USD monetary units are mapped (see concepts.ts).
 *
 * Accepts flat facts or a whole companyfacts payload (validated first; the pipeline passes the
 * payload its filings source returned).
 * @throws SourceFormatError when given a payload with a bad shape.
 */
export function extractMetrics(facts: readonly XbrlFact[] | CompanyFactsJson, options: ExtractMetricsOptions): MetricValue[] {
  const flat = isFactList(facts) ? facts : parseCompanyFacts(facts).facts;
  const known = flat.filter((fact) => fact.filed <= options.asOf);
  const fiscalYearEndMonth = options.fiscalYearEndMonth ?? inferFiscalYearEndMonth(known) ?? inferFiscalYearEndMonth(flat) ?? 12;
  if (!Number.isInteger(fiscalYearEndMonth) || fiscalYearEndMonth < 1 || fiscalYearEndMonth > 12) {
    throw new RangeError(`fiscalYearEndMonth must be an integer from 1 to 12, got ${fiscalYearEndMonth}`);
  }
  const labelOffset = inferLabelOffset(known, fiscalYearEndMonth);
  const classified: ClassifiedFact[] = known.map((fact, index) => ({
    fact,
    index,
    kind: classifyPeriod(fact.start, fact.end, fact.frame),
  }));
  const values = METRIC_MAPPINGS.flatMap((mapping) =>
    metricValuesFor(mapping, classified, fiscalYearEndMonth, labelOffset, options.deriveFourthQuarter ?? false),
  );
  return values.sort(compareMetricValues);
}
