/**
 * The companyfacts parser and metric extraction on small hand-made payloads in EDGAR's real shape,
 * plus properties over generated ones: one value per (metric, period), nothing filed after as-of,
 * and a later different value always wins with the earlier one kept as a restatement.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  companyFactsFiledBy,
  extractMetrics,
  parseCompanyFacts,
  validateCompanyFacts,
} from '../../../../lambdas/adapters/sources/edgar/companyfacts';
import type { MetricValue, XbrlFact } from '../../../../lambdas/adapters/sources/edgar/companyfacts';
import { classifyPeriod, fiscalPositionOf } from '../../../../lambdas/adapters/sources/edgar/fiscal-periods';
import { SourceFormatError } from '../../../../lambdas/core/errors';

function fact(overrides: Partial<XbrlFact> & Pick<XbrlFact, 'end' | 'value' | 'filed'>): XbrlFact {
  return {
    taxonomy: 'us-gaap',
    concept: 'Revenues',
    unit: 'USD',
    fy: null,
    fp: null,
    form: '10-Q',
    accn: `0000000001-${overrides.filed}`,
    ...overrides,
  };
}

const FY2023 = { start: '2023-01-01', end: '2023-12-31' };
const Q1_2024 = { start: '2024-01-01', end: '2024-03-31' };

function only(values: MetricValue[], metric: string, fiscalPeriod: string, fiscalYear?: number): MetricValue {
  const found = values.filter(
    (v) =>
      v.metric === metric && v.period.fiscalPeriod === fiscalPeriod && (fiscalYear === undefined || v.period.fiscalYear === fiscalYear),
  );
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('parseCompanyFacts', () => {
  const payload = {
    cik: 320193,
    entityName: 'Example Inc.',
    facts: {
      'us-gaap': {
        Revenues: {
          label: 'Revenues',
          description: null,
          units: {
            USD: [
              {
                start: '2023-01-01',
                end: '2023-12-31',
                val: 1000,
                accn: '0000320193-24-000001',
                fy: 2023,
                fp: 'FY',
                form: '10-K',
                filed: '2024-02-01',
                frame: 'CY2023',
              },
              { end: '2023-12-31', val: 5, accn: '0000320193-24-000001', fy: 2023, fp: 'FY', form: '10-K', filed: '2024-02-01' },
            ],
          },
        },
      },
    },
  };

  it('flattens every reported value and pads a numeric CIK to ten digits', () => {
    const parsed = parseCompanyFacts(payload);
    expect(parsed.cik).toBe('0000320193');
    expect(parsed.entityName).toBe('Example Inc.');
    expect(parsed.facts).toEqual([
      {
        taxonomy: 'us-gaap',
        concept: 'Revenues',
        unit: 'USD',
        value: 1000,
        start: '2023-01-01',
        end: '2023-12-31',
        fy: 2023,
        fp: 'FY',
        form: '10-K',
        filed: '2024-02-01',
        accn: '0000320193-24-000001',
        frame: 'CY2023',
      },
      {
        taxonomy: 'us-gaap',
        concept: 'Revenues',
        unit: 'USD',
        value: 5,
        end: '2023-12-31',
        fy: 2023,
        fp: 'FY',
        form: '10-K',
        filed: '2024-02-01',
        accn: '0000320193-24-000001',
      },
    ]);
  });

  it('accepts a string CIK, with or without padding', () => {
    expect(parseCompanyFacts({ ...payload, cik: '0001997711' }).cik).toBe('0001997711');
    expect(parseCompanyFacts({ ...payload, cik: '1318605' }).cik).toBe('0001318605');
  });

  it('rejects a bad shape with a one-line reason naming where it is wrong', () => {
    const bad = structuredClone(payload);
    (bad.facts['us-gaap'].Revenues.units.USD[0] as { val: unknown }).val = '1000';
    expect(() => parseCompanyFacts(bad)).toThrow(SourceFormatError);
    expect(() => parseCompanyFacts(bad)).toThrow(/facts\.us-gaap\.Revenues\.units\.USD\.0\.val/);
    for (const input of [null, [], { cik: 1, entityName: 'x' }, { ...payload, cik: 'abc' }, { ...payload, cik: -3 }]) {
      let message = '';
      try {
        parseCompanyFacts(input);
      } catch (error) {
        expect(error).toBeInstanceOf(SourceFormatError);
        message = (error as Error).message;
      }
      expect(message).not.toBe('');
      expect(message).not.toContain('\n');
    }
  });

  it('keeps a payload filed by the as-of date and drops what was filed later', () => {
    const valid = validateCompanyFacts(payload);
    expect(companyFactsFiledBy(valid, '2024-01-31')).toBeUndefined();
    expect(companyFactsFiledBy(valid, '2024-02-01')?.facts['us-gaap']?.Revenues?.units.USD).toHaveLength(2);
  });
});

describe('fiscal periods', () => {
  it('classifies by length: years, quarters, nine months, instants, and the rest', () => {
    expect(classifyPeriod('2023-10-01', '2024-09-28')).toBe('year');
    expect(classifyPeriod('2024-09-29', '2024-12-28')).toBe('quarter');
    expect(classifyPeriod('2024-01-01', '2024-09-30')).toBe('nine_months');
    expect(classifyPeriod('2024-01-01', '2024-06-30')).toBe('other');
    expect(classifyPeriod(undefined, '2024-06-30')).toBe('instant');
    expect(classifyPeriod('2024-01-01', '2024-03-31', 'CY2024Q1')).toBe('quarter');
  });

  it('names fiscal years after the year they end in and counts quarters from the fiscal year end', () => {
    expect(fiscalPositionOf('2024-12-28', 9)).toEqual({ fiscalYear: 2025, quarter: 1 });
    expect(fiscalPositionOf('2025-09-27', 9)).toEqual({ fiscalYear: 2025, quarter: 4 });
    expect(fiscalPositionOf('2025-04-30', 1)).toEqual({ fiscalYear: 2026, quarter: 1 });
    expect(fiscalPositionOf('2026-01-31', 1)).toEqual({ fiscalYear: 2026, quarter: 4 });
    // A 52/53-week year that spills into the next month belongs to the month before.
    expect(fiscalPositionOf('2025-02-01', 1)).toEqual({ fiscalYear: 2025, quarter: 4 });
    // May year end: the quarter ending 31 August is Q1 (a calendar frame would say Q3).
    expect(fiscalPositionOf('2024-08-31', 5)).toEqual({ fiscalYear: 2025, quarter: 1 });
  });
});

describe('extractMetrics', () => {
  it('reads the period from start/end, not from the filing’s fy/fp', () => {
    const values = extractMetrics(
      [fact({ ...FY2023, value: 900, fy: 2024, fp: 'FY', form: '10-K', filed: '2025-02-01', accn: 'a-2025' })],
      { asOf: '2025-12-31', fiscalYearEndMonth: 12 },
    );
    expect(only(values, 'revenue', 'FY').period).toEqual({ fiscalYear: 2023, fiscalPeriod: 'FY', ...FY2023 });
  });

  it('collapses a 10-Q and the 10-K repeating it into one value cited to the earlier filing', () => {
    const values = extractMetrics(
      [
        fact({ ...Q1_2024, value: 250, form: '10-K', filed: '2025-02-01', accn: 'k', frame: 'CY2024Q1' }),
        fact({ ...Q1_2024, value: 250, form: '10-Q', filed: '2024-05-01', accn: 'q' }),
        fact({ ...Q1_2024, value: 250, form: '10-Q', filed: '2025-05-01', accn: 'q-next-year' }),
      ],
      { asOf: '2025-12-31', fiscalYearEndMonth: 12 },
    );
    const q1 = only(values, 'revenue', 'Q1');
    expect(q1).toMatchObject({ value: 250, accn: 'q', form: '10-Q', filed: '2024-05-01', restatements: [] });
  });

  it('lets an amendment’s different value win and keeps the original as a restatement', () => {
    const values = extractMetrics(
      [
        fact({ ...FY2023, value: 1000, form: '10-K', filed: '2024-02-01', accn: 'original' }),
        fact({ ...FY2023, value: 980, form: '10-K/A', filed: '2024-04-01', accn: 'amendment' }),
        fact({ ...FY2023, value: 980, form: '10-K', filed: '2025-02-01', accn: 'next-10k' }),
      ],
      { asOf: '2025-12-31', fiscalYearEndMonth: 12 },
    );
    expect(only(values, 'revenue', 'FY')).toMatchObject({
      value: 980,
      accn: 'amendment',
      form: '10-K/A',
      restatements: [{ value: 1000, form: '10-K', filed: '2024-02-01', accn: 'original' }],
    });
  });

  it('sees only what was filed by the as-of date, restatements included', () => {
    const facts = [
      fact({ ...FY2023, value: 1000, form: '10-K', filed: '2024-02-01', accn: 'original' }),
      fact({ ...FY2023, value: 980, form: '10-K/A', filed: '2024-04-01', accn: 'amendment' }),
    ];
    expect(only(extractMetrics(facts, { asOf: '2024-03-31' }), 'revenue', 'FY')).toMatchObject({ value: 1000, restatements: [] });
    expect(extractMetrics(facts, { asOf: '2024-01-31' })).toEqual([]);
  });

  it('takes each period from the highest-priority concept that reports it', () => {
    const values = extractMetrics(
      [
        fact({ ...FY2023, concept: 'RevenueFromContractWithCustomerExcludingAssessedTax', value: 95, form: '10-K', filed: '2024-02-01' }),
        fact({ ...FY2023, concept: 'Revenues', value: 100, form: '10-K', filed: '2024-02-01' }),
        fact({ ...Q1_2024, concept: 'RevenueFromContractWithCustomerExcludingAssessedTax', value: 30, filed: '2024-05-01' }),
      ],
      { asOf: '2024-12-31', fiscalYearEndMonth: 12 },
    );
    expect(only(values, 'revenue', 'FY')).toMatchObject({ value: 100, concept: 'Revenues' });
    expect(only(values, 'revenue', 'Q1')).toMatchObject({ value: 30, concept: 'RevenueFromContractWithCustomerExcludingAssessedTax' });
  });

  it('skips half-year and nine-month year-to-date figures, and non-USD amounts', () => {
    const values = extractMetrics(
      [
        fact({ start: '2024-01-01', end: '2024-06-30', value: 500, filed: '2024-08-01' }),
        fact({ start: '2024-01-01', end: '2024-09-30', value: 750, filed: '2024-11-01' }),
        fact({ ...FY2023, taxonomy: 'ifrs-full', concept: 'Revenue', unit: 'EUR', value: 900, filed: '2024-03-01' }),
      ],
      { asOf: '2024-12-31', fiscalYearEndMonth: 12 },
    );
    expect(values).toEqual([]);
  });

  it('maps balance-sheet instants to spot values dated by their end, and EPS to USD/share', () => {
    const values = extractMetrics(
      [
        fact({ concept: 'Assets', end: '2024-03-31', value: 7_000, filed: '2024-05-01' }),
        fact({ concept: 'EarningsPerShareDiluted', unit: 'USD/shares', ...Q1_2024, value: 1.25, filed: '2024-05-01' }),
        fact({
          taxonomy: 'dei',
          concept: 'EntityCommonStockSharesOutstanding',
          unit: 'shares',
          end: '2024-04-20',
          value: 1e9,
          filed: '2024-05-01',
        }),
      ],
      { asOf: '2024-12-31', fiscalYearEndMonth: 12 },
    );
    expect(only(values, 'total_assets', 'spot')).toMatchObject({
      unit: 'USD',
      value: 7_000,
      period: { fiscalYear: 2024, fiscalPeriod: 'spot', end: '2024-03-31' },
    });
    expect(only(values, 'eps_diluted', 'Q1')).toMatchObject({ unit: 'USD/share', value: 1.25 });
    expect(only(values, 'shares_outstanding', 'spot')).toMatchObject({ unit: 'shares', value: 1e9, taxonomy: 'dei' });
  });

  it('infers a September fiscal year end from the annual periods when none is given', () => {
    const values = extractMetrics(
      [
        fact({ start: '2023-10-01', end: '2024-09-28', value: 391, form: '10-K', filed: '2024-11-01' }),
        fact({ start: '2024-09-29', end: '2024-12-28', value: 124, filed: '2025-01-31' }),
      ],
      { asOf: '2025-12-31' },
    );
    expect(only(values, 'revenue', 'FY').period.fiscalYear).toBe(2024);
    expect(only(values, 'revenue', 'Q1').period).toMatchObject({ fiscalYear: 2025, fiscalPeriod: 'Q1' });
  });

  it('learns a company that names its fiscal year after the year it starts in', () => {
    // A retailer's 10-K for the year to 1 February 2025 says fy=2024.
    const values = extractMetrics(
      [
        fact({ start: '2024-02-04', end: '2025-02-01', value: 106, fy: 2024, fp: 'FY', form: '10-K', filed: '2025-03-12', accn: 'k25' }),
        fact({ start: '2023-01-29', end: '2024-02-03', value: 107, fy: 2024, fp: 'FY', form: '10-K', filed: '2025-03-12', accn: 'k25' }),
        fact({ start: '2025-02-02', end: '2025-05-03', value: 24, fy: 2025, fp: 'Q1', form: '10-Q', filed: '2025-05-30', accn: 'q1' }),
      ],
      { asOf: '2025-12-31', fiscalYearEndMonth: 1 },
    );
    expect(values.filter((v) => v.metric === 'revenue').map((v) => [v.period.fiscalYear, v.period.fiscalPeriod, v.value])).toEqual([
      [2023, 'FY', 107],
      [2024, 'FY', 106],
      [2025, 'Q1', 24],
    ]);
  });

  it('derives Q4 as the year minus nine months only when asked, and says what it came from', () => {
    const facts = [
      fact({ start: '2024-01-01', end: '2024-12-31', value: 1000, form: '10-K', filed: '2025-02-01', accn: 'k' }),
      fact({ start: '2024-01-01', end: '2024-09-30', value: 700, form: '10-Q', filed: '2024-11-01', accn: 'q3' }),
    ];
    expect(extractMetrics(facts, { asOf: '2025-12-31' }).some((v) => v.period.fiscalPeriod === 'Q4')).toBe(false);
    const q4 = only(extractMetrics(facts, { asOf: '2025-12-31', deriveFourthQuarter: true }), 'revenue', 'Q4');
    expect(q4).toMatchObject({
      value: 300,
      period: { fiscalYear: 2024, fiscalPeriod: 'Q4', start: '2024-10-01', end: '2024-12-31' },
      accn: 'k',
      derivedFrom: [
        { value: 1000, accn: 'k', start: '2024-01-01', end: '2024-12-31' },
        { value: 700, accn: 'q3', start: '2024-01-01', end: '2024-09-30' },
      ],
    });
  });

  it('accepts a whole companyfacts payload as well as flat facts', () => {
    const payload = {
      cik: '42',
      entityName: 'Payload Co',
      facts: {
        'us-gaap': {
          Revenues: { units: { USD: [{ ...FY2023, val: 5, accn: 'a', fy: 2023, fp: 'FY', form: '10-K', filed: '2024-02-01' }] } },
        },
      },
    };
    expect(only(extractMetrics(validateCompanyFacts(payload), { asOf: '2024-12-31' }), 'revenue', 'FY').value).toBe(5);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties.

const CONCEPTS = [
  { taxonomy: 'us-gaap', concept: 'Revenues', unit: 'USD' },
  { taxonomy: 'us-gaap', concept: 'RevenueFromContractWithCustomerExcludingAssessedTax', unit: 'USD' },
  { taxonomy: 'us-gaap', concept: 'SalesRevenueNet', unit: 'USD' },
  { taxonomy: 'us-gaap', concept: 'NetIncomeLoss', unit: 'USD' },
  { taxonomy: 'us-gaap', concept: 'ProfitLoss', unit: 'USD' },
  { taxonomy: 'us-gaap', concept: 'EarningsPerShareDiluted', unit: 'USD/shares' },
  { taxonomy: 'us-gaap', concept: 'Assets', unit: 'USD' },
  { taxonomy: 'dei', concept: 'EntityCommonStockSharesOutstanding', unit: 'shares' },
  { taxonomy: 'ifrs-full', concept: 'Revenue', unit: 'USD' },
] as const;

const PERIODS: Array<{ start?: string; end: string; frame?: string }> = [
  { start: '2023-01-01', end: '2023-12-31', frame: 'CY2023' },
  { start: '2024-01-01', end: '2024-03-31', frame: 'CY2024Q1' },
  { start: '2024-04-01', end: '2024-06-30' },
  { start: '2024-07-01', end: '2024-09-30', frame: 'CY2024Q3' },
  { start: '2024-01-01', end: '2024-06-30' },
  { start: '2024-01-01', end: '2024-09-30' },
  { end: '2023-12-31', frame: 'CY2023Q4I' },
  { end: '2024-03-31' },
  { end: '2024-06-30' },
];

const dayOf2024 = fc.integer({ min: 0, max: 365 }).map((day) => new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10));

const factArbitrary = fc
  .record({
    concept: fc.constantFrom(...CONCEPTS),
    period: fc.constantFrom(...PERIODS),
    value: fc.constantFrom(100, 105, 110, -3),
    filed: dayOf2024,
    form: fc.constantFrom('10-Q', '10-K', '10-K/A'),
    withFrame: fc.boolean(),
    filer: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ concept, period, value, filed, form, withFrame, filer }): XbrlFact => {
    const out: XbrlFact = {
      ...concept,
      value,
      end: period.end,
      fy: 2024,
      fp: form === '10-Q' ? 'Q2' : 'FY',
      form,
      filed,
      accn: `000000000${filer}-${filed}`,
    };
    if (period.start !== undefined) out.start = period.start;
    if (withFrame && period.frame !== undefined) out.frame = period.frame;
    return out;
  });

function periodIdentity(value: MetricValue): string {
  return `${value.metric}|${value.period.fiscalPeriod === 'spot' ? `spot@${value.period.end}` : `${value.period.fiscalYear}-${value.period.fiscalPeriod}`}`;
}

describe('extractMetrics properties', () => {
  it('never produces two values for one metric and period', () => {
    fc.assert(
      fc.property(fc.array(factArbitrary, { maxLength: 80 }), dayOf2024, (facts, asOf) => {
        const identities = extractMetrics(facts, { asOf, fiscalYearEndMonth: 12 }).map(periodIdentity);
        expect(new Set(identities).size).toBe(identities.length);
      }),
    );
  });

  it('never uses a fact filed after the as-of date, and every value was reported by some fact', () => {
    fc.assert(
      fc.property(fc.array(factArbitrary, { maxLength: 80 }), dayOf2024, (facts, asOf) => {
        for (const value of extractMetrics(facts, { asOf, fiscalYearEndMonth: 12 })) {
          expect(value.filed <= asOf).toBe(true);
          for (const restatement of value.restatements) expect(restatement.filed <= asOf).toBe(true);
          const source = facts.find(
            (f) => f.accn === value.accn && f.concept === value.concept && f.value === value.value && f.end === value.period.end,
          );
          expect(source?.filed).toBe(value.filed);
        }
      }),
    );
  });

  it('lets a later different value win and keeps the earlier one in restatements', () => {
    const scenario = fc.record({
      period: fc.constantFrom(PERIODS[0]!, PERIODS[1]!, PERIODS[3]!, PERIODS[6]!),
      earlyDays: fc.uniqueArray(fc.integer({ min: 0, max: 150 }), { minLength: 1, maxLength: 4 }),
      lateDays: fc.uniqueArray(fc.integer({ min: 151, max: 300 }), { minLength: 1, maxLength: 3 }),
      earlyValue: fc.integer({ min: -1000, max: 1000 }),
      delta: fc.integer({ min: 1, max: 1000 }),
      noise: fc.array(factArbitrary, { maxLength: 40 }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(scenario, ({ period, earlyDays, lateDays, earlyValue, delta, noise, seed }) => {
        const instant = period.start === undefined;
        const concept = instant
          ? { taxonomy: 'us-gaap', concept: 'Assets', unit: 'USD' }
          : { taxonomy: 'us-gaap', concept: 'Revenues', unit: 'USD' };
        const date = (day: number): string => new Date(Date.UTC(2025, 0, 1 + day)).toISOString().slice(0, 10);
        const report = (day: number, value: number, form: string): XbrlFact => ({
          ...concept,
          ...(period.start !== undefined ? { start: period.start } : {}),
          end: period.end,
          value,
          fy: 2025,
          fp: 'FY',
          form,
          filed: date(day),
          accn: `acc-${day}`,
        });
        const early = [...earlyDays].sort((a, b) => a - b).map((day) => report(day, earlyValue, '10-K'));
        const late = [...lateDays].sort((a, b) => a - b).map((day) => report(day, earlyValue + delta, '10-K/A'));
        // Noise: anything filed in 2024 (before every report above) except this concept and period.
        const unrelated = noise.filter((f) => !(f.concept === concept.concept && f.end === period.end && f.start === period.start));
        const all = [...unrelated, ...early, ...late];
        // Input order must not matter.
        const shuffled = all
          .map((f, i) => ({ f, key: Math.imul(i + 1, seed | 1) >>> 0 }))
          .sort((a, b) => a.key - b.key)
          .map(({ f }) => f);
        const values = extractMetrics(shuffled, { asOf: '2026-01-01', fiscalYearEndMonth: 12 });
        const metric = instant ? 'total_assets' : 'revenue';
        const mine = values.filter((v) => v.metric === metric && v.period.end === period.end && v.period.start === period.start);
        expect(mine).toHaveLength(1);
        expect(mine[0]).toMatchObject({ value: earlyValue + delta, accn: late[0]!.accn, concept: concept.concept });
        expect(mine[0]!.restatements).toEqual([{ value: earlyValue, form: '10-K', filed: early[0]!.filed, accn: early[0]!.accn }]);
      }),
    );
  });
});
