/**
 * EDGAR `companyfacts` JSON for a demo company as EDGAR would have served it on the as-of date.
 * The quirks are the real ones, because the parser that reads this also reads real payloads:
 * - every filing repeats the periods it presents: a 10-Q carries the quarter, the same quarter a
 *   year earlier and (from Q2) both year-to-date spans; a 10-K carries three fiscal years of flows
 *   and two year-end balance sheets; so one period appears once per filing that reported it;
 * - `fy`/`fp`/`form`/`accn`/`filed` describe the filing, not the period;
 * - `frame` (`CY2025`, `CY2025Q3`, `CY2025Q3I`) sits on one entry per period, the latest filed,
 *   never on year-to-date spans, and is occasionally missing altogether, as on EDGAR;
 * - restated annual figures appear beside the originals, under the restating filing's accession.
 */
import type { CompanyFactsEntry, CompanyFactsJson } from '../../../core/model';
import { civilOf, isoOf } from './calendar';
import { balanceAt, companyFactsWindow, priceAt, quarterEnd, sharesAt, spanOf, statementFor } from './financials';
import type { Balance, DemoFiling, FiscalSpan, QuarterNumber, Statement } from './financials';
import { hashString, mix, SALT, unit } from './random';
import type { DemoCompany } from './universe';

type Taxonomy = 'us-gaap' | 'dei';
type Unit = 'USD' | 'USD/shares' | 'shares';

interface FlowConcept {
  taxonomy: Taxonomy;
  concept: string;
  unit: Unit;
  label: string;
  description: string;
  /** Cash-flow lines are presented year-to-date only in 10-Qs. */
  ytdOnly?: boolean;
  value: (s: Statement) => number;
}

interface InstantConcept {
  concept: string;
  label: string;
  description: string;
  value: (b: Balance) => number;
}

const flow = (
  concept: string,
  label: string,
  description: string,
  value: (s: Statement) => number,
  unit: Unit = 'USD',
  ytdOnly = false,
): FlowConcept => ({
  taxonomy: 'us-gaap',
  concept,
  unit,
  label,
  description,
  value,
  ytdOnly,
});

const REVENUE_LABELS: Record<string, [string, string]> = {
  Revenues: ['Revenues', 'Total amount of revenue recognized for the period from goods sold, services rendered and other activities.'],
  RevenueFromContractWithCustomerExcludingAssessedTax: [
    'Revenue from Contract with Customer, Excluding Assessed Tax',
    'Revenue from satisfying performance obligations under contracts with customers, excluding taxes collected on behalf of governments.',
  ],
  RevenuesNetOfInterestExpense: [
    'Revenues, Net of Interest Expense',
    'Total revenue after deducting interest expense, as presented by banks.',
  ],
};

function flowConcepts(company: DemoCompany): FlowConcept[] {
  const t = company.traits;
  const [revenueLabel, revenueDescription] = REVENUE_LABELS[t.revenueConcept]!;
  const concepts: FlowConcept[] = [flow(t.revenueConcept, revenueLabel, revenueDescription, (s) => s.revenue)];
  if (t.bank) {
    concepts.push(
      flow(
        'InterestAndDividendIncomeOperating',
        'Interest and Dividend Income, Operating',
        'Interest and dividends earned on loans, securities and deposits.',
        (s) => s.interestIncome,
      ),
      flow('InterestExpense', 'Interest Expense', 'Interest paid or accrued on deposits and borrowings.', (s) => s.interestExpense),
      flow(
        'InterestIncomeExpenseNet',
        'Interest Income (Expense), Net',
        'Interest income less interest expense.',
        (s) => s.netInterestIncome,
      ),
      flow(
        'NoninterestIncome',
        'Noninterest Income',
        'Fees, service charges and other income not derived from interest.',
        (s) => s.noninterestIncome,
      ),
      flow(
        'ProvisionForLoanLeaseAndOtherLosses',
        'Provision for Loan, Lease, and Other Losses',
        'Expense recognized for expected credit losses.',
        (s) => s.provision,
      ),
      flow('NoninterestExpense', 'Noninterest Expense', 'Operating expenses other than interest expense.', (s) => s.noninterestExpense),
    );
  } else {
    if (t.reportsGrossProfit) {
      concepts.push(
        flow('CostOfRevenue', 'Cost of Revenue', 'Cost of goods sold and services rendered during the period.', (s) => s.costOfRevenue),
        flow('GrossProfit', 'Gross Profit', 'Revenue less cost of revenue.', (s) => s.grossProfit),
      );
    }
    concepts.push(
      flow(
        'OperatingIncomeLoss',
        'Operating Income (Loss)',
        'Revenue less operating expenses, before non-operating items and income taxes.',
        (s) => s.operatingIncome,
      ),
    );
  }
  concepts.push(
    flow(
      'NetIncomeLoss',
      'Net Income (Loss) Attributable to Parent',
      'Profit or loss for the period, net of income taxes, attributable to the parent.',
      (s) => s.netIncome,
    ),
    flow(
      'EarningsPerShareBasic',
      'Earnings Per Share, Basic',
      'Net income per weighted-average common share outstanding.',
      (s) => s.epsBasic,
      'USD/shares',
    ),
    flow(
      'EarningsPerShareDiluted',
      'Earnings Per Share, Diluted',
      'Net income per weighted-average share including dilutive potential shares.',
      (s) => s.epsDiluted,
      'USD/shares',
    ),
    flow(
      'NetCashProvidedByUsedInOperatingActivities',
      'Net Cash Provided by (Used in) Operating Activities',
      'Net cash from operating activities.',
      (s) => s.operatingCashFlow,
      'USD',
      true,
    ),
  );
  if (t.dividend) {
    concepts.push(
      flow(
        'CommonStockDividendsPerShareDeclared',
        'Common Stock, Dividends, Per Share, Declared',
        'Dividends declared per common share during the period.',
        (s) => s.dividendsPerShare,
        'USD/shares',
      ),
    );
  }
  return concepts;
}

function instantConcepts(company: DemoCompany): InstantConcept[] {
  return [
    { concept: 'Assets', label: 'Assets', description: 'Carrying amount of all recognized assets.', value: (b) => b.assets },
    {
      concept: 'Liabilities',
      label: 'Liabilities',
      description: 'Carrying amount of all recognized obligations.',
      value: (b) => b.liabilities,
    },
    {
      concept: 'StockholdersEquity',
      label: "Stockholders' Equity Attributable to Parent",
      description: 'Equity attributable to the parent.',
      value: (b) => b.equity,
    },
    company.traits.bank
      ? {
          concept: 'CashAndDueFromBanks',
          label: 'Cash and Due from Banks',
          description: 'Cash on hand and non-interest-bearing deposits with other banks.',
          value: (b) => b.cash,
        }
      : {
          concept: 'CashAndCashEquivalentsAtCarryingValue',
          label: 'Cash and Cash Equivalents, at Carrying Value',
          description: 'Cash and short-term, highly liquid investments.',
          value: (b) => b.cash,
        },
  ];
}

/** The spans a filing presents: [current, prior-year] pairs, flows and year-to-date cash flows. */
function spansOf(company: DemoCompany, filing: DemoFiling): { flows: FiscalSpan[]; ytd: FiscalSpan[] } {
  const { fy, quarter } = filing;
  if (quarter === 4) {
    const years = [fy - 2, fy - 1, fy].map((y) => spanOf(company, y, 1, 4));
    return { flows: years, ytd: years };
  }
  const q = quarter as QuarterNumber;
  const quarterSpans = [spanOf(company, fy - 1, q, q), spanOf(company, fy, q, q)];
  const ytd = [spanOf(company, fy - 1, 1, q), spanOf(company, fy, 1, q)];
  return { flows: q === 1 ? quarterSpans : [...quarterSpans, ...ytd], ytd };
}

/** An entry with its dates as day numbers, for sorting and framing without parsing strings back. */
interface Row {
  e: CompanyFactsEntry;
  start: number;
  end: number;
  filed: number;
}

interface Bucket {
  concept: string;
  label: string;
  description: string;
  units: Map<Unit, Row[]>;
}

function row(filing: DemoFiling, end: number, val: number, start?: number): Row {
  const e: CompanyFactsEntry =
    start === undefined
      ? { end: isoOf(end), val, accn: filing.accn, fy: filing.fy, fp: filing.fp, form: filing.form, filed: isoOf(filing.filed) }
      : {
          start: isoOf(start),
          end: isoOf(end),
          val,
          accn: filing.accn,
          fy: filing.fy,
          fp: filing.fp,
          form: filing.form,
          filed: isoOf(filing.filed),
        };
  return { e, start: start ?? -1, end, filed: filing.filed };
}

function quarterOfMonth(month: number): number {
  return Math.floor((month - 1) / 3) + 1;
}

/** EDGAR's calendar frame for a period: `CY2025` for ~a year, `CY2025Q3` for ~a quarter, `CY2025Q3I` for an instant; none for other spans. */
export function frameOf(start: number | undefined, end: number): string | undefined {
  if (start === undefined) {
    // Instants take the calendar quarter whose end is nearest.
    const shifted = end + 45;
    const [year, month] = civilOf(shifted);
    const quarter = quarterOfMonth(month) - 1;
    return quarter === 0 ? `CY${year - 1}Q4I` : `CY${year}Q${quarter}I`;
  }
  const days = end - start + 1;
  const [year, month] = civilOf(start + Math.floor(days / 2));
  if (days >= 80 && days <= 100) return `CY${year}Q${quarterOfMonth(month)}`;
  if (days >= 350 && days <= 380) return `CY${year}`;
  return undefined;
}

function assignFrames(company: DemoCompany, concept: string, rows: Row[]): void {
  // Rows are sorted by period, then filing: the last row of each period is the latest filed.
  const conceptKey = hashString(concept);
  const used = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const next = rows[i + 1];
    if (next && next.start === r.start && next.end === r.end) continue;
    const frame = frameOf(r.start < 0 ? undefined : r.start, r.end);
    // EDGAR leaves a few periods without any frame; which ones is fixed per company, concept and period.
    if (!frame || used.has(frame) || unit(mix(company.key, SALT.frameGap, conceptKey, r.start, r.end)) < 0.05) continue;
    used.add(frame);
    r.e.frame = frame;
  }
}

function byPeriodThenFiling(a: Row, b: Row): number {
  return a.end - b.end || a.start - b.start || a.filed - b.filed || (a.e.accn < b.e.accn ? -1 : a.e.accn > b.e.accn ? 1 : 0);
}

/** The companyfacts payload on `day` (a day number), or undefined when nothing has been filed. */
export function companyFactsOn(company: DemoCompany, day: number): CompanyFactsJson | undefined {
  const filings = companyFactsWindow(company, day);
  if (filings.length === 0) return undefined;
  const gaap = new Map<string, Bucket>();
  const dei = new Map<string, Bucket>();
  const add = (target: Map<string, Bucket>, concept: string, label: string, description: string, unitKey: Unit, e: Row) => {
    let bucket = target.get(concept);
    if (!bucket) {
      bucket = { concept, label, description, units: new Map() };
      target.set(concept, bucket);
    }
    let list = bucket.units.get(unitKey);
    if (!list) {
      list = [];
      bucket.units.set(unitKey, list);
    }
    list.push(e);
  };
  const flows = flowConcepts(company);
  const instants = instantConcepts(company);
  for (const filing of filings) {
    const spans = spansOf(company, filing);
    const statements = new Map<FiscalSpan, Statement>();
    const statementOf = (span: FiscalSpan) => {
      let s = statements.get(span);
      if (!s) {
        s = statementFor(company, span, filing.filed);
        statements.set(span, s);
      }
      return s;
    };
    for (const concept of flows) {
      for (const span of concept.ytdOnly ? spans.ytd : spans.flows) {
        add(
          gaap,
          concept.concept,
          concept.label,
          concept.description,
          concept.unit,
          row(filing, span.end, concept.value(statementOf(span)), span.start),
        );
      }
    }
    // Balance sheets: the period end, and the prior fiscal year end.
    const balances = [balanceAt(company, filing.fy - 1, 4), balanceAt(company, filing.fy, filing.quarter)];
    for (const concept of instants) {
      for (const b of balances) add(gaap, concept.concept, concept.label, concept.description, 'USD', row(filing, b.end, concept.value(b)));
    }
    add(
      dei,
      'EntityCommonStockSharesOutstanding',
      'Entity Common Stock, Shares Outstanding',
      "Number of shares of the registrant's common stock outstanding, as stated on the cover of the report.",
      'shares',
      row(filing, filing.coverDate, Math.round(sharesAt(company, filing.coverDate) / 1000) * 1000),
    );
    if (filing.quarter === 4) {
      const q2End = quarterEnd(company, filing.fy, 2);
      const float = Math.round((priceAt(company, q2End) * sharesAt(company, q2End) * 0.93) / 1e6) * 1e6;
      add(
        dei,
        'EntityPublicFloat',
        'Entity Public Float',
        'Aggregate market value of common equity held by non-affiliates at the end of the second fiscal quarter.',
        'USD',
        row(filing, q2End, float),
      );
    }
  }
  const render = (buckets: Map<string, Bucket>) => {
    const out: CompanyFactsJson['facts'][string] = {};
    for (const bucket of [...buckets.values()].sort((a, b) => (a.concept < b.concept ? -1 : 1))) {
      const units: Record<string, CompanyFactsEntry[]> = {};
      for (const [unitKey, rows] of bucket.units) {
        rows.sort(byPeriodThenFiling);
        assignFrames(company, bucket.concept, rows);
        units[unitKey] = rows.map((r) => r.e);
      }
      out[bucket.concept] = { label: bucket.label, description: bucket.description, units };
    }
    return out;
  };
  return {
    cik: Number(company.profile.cik),
    entityName: company.profile.name.toUpperCase(),
    facts: { dei: render(dei), 'us-gaap': render(gaap) },
  };
}
