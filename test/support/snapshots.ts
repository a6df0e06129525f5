/** Arbitraries and fixtures for snapshot-level tests: bundles and filed metrics of every size and sign. */
import fc from 'fast-check';
import type { CompanyProfile, FundamentalsRecord, ResearchNote, SourceBundle } from '../../lambdas/core/model';
import type { FiledMetric } from '../../lambdas/core/facts/normalise';

export const profile: CompanyProfile = {
  ticker: 'QZXV',
  name: 'Quorvex Instruments Inc.',
  cik: '9900000001',
  sector: 'Information Technology',
  industry: 'Electronic Equipment',
  exchange: 'NASDAQ',
  fiscalYearEndMonth: 12,
};

export function filed(
  metric: FiledMetric['metric'],
  value: number,
  fiscalYear: number,
  fiscalPeriod: 'FY' | 'Q1' | 'Q2' | 'Q3' | 'Q4' | 'spot',
  accn: string,
  extra: Partial<FiledMetric> = {},
): FiledMetric {
  const quarterEnd = { Q1: '03-31', Q2: '06-30', Q3: '09-30', Q4: '12-31' } as const;
  const end = fiscalPeriod === 'FY' || fiscalPeriod === 'spot' ? `${fiscalYear}-12-31` : `${fiscalYear}-${quarterEnd[fiscalPeriod]}`;
  return {
    metric,
    unit: metric.startsWith('eps') ? 'USD/share' : metric === 'shares_outstanding' ? 'shares' : 'USD',
    value,
    period: { fiscalYear, fiscalPeriod, end },
    form: fiscalPeriod === 'FY' ? '10-K' : '10-Q',
    filed: `${fiscalYear + 1}-02-20`,
    accn,
    restatements: [],
    ...extra,
  };
}

export function bundleOf(parts: Partial<SourceBundle> = {}): SourceBundle {
  return { ticker: profile.ticker, asOf: '2026-11-24', profile, filings: [], notes: [], news: [], failures: [], ...parts };
}

export function fundamentals(overrides: Partial<FundamentalsRecord> = {}): FundamentalsRecord {
  return {
    docId: 'fds-QZXV-2026-11-24',
    ticker: 'QZXV',
    vendor: 'Vendor',
    asOf: '2026-11-24',
    currency: 'USD',
    scale: 'millions',
    price: 42.5,
    sharesOutstanding: 100,
    marketCap: 4250,
    lastFiscalYear: { fiscalYear: 2025, periodEnd: '2025-12-31', revenue: 1234.5, netIncome: 150, epsDiluted: 1.5 },
    consensus: [{ fiscalYear: 2026, epsMean: 1.75, revenueMean: 1300, numEstimates: 12 }],
    ...overrides,
  };
}

export function note(docId: string, overrides: Partial<ResearchNote> = {}): ResearchNote {
  return {
    docId,
    ticker: 'QZXV',
    broker: 'Harbor Ridge Securities',
    analyst: 'A. Analyst',
    published: '2026-11-01',
    rating: 'Buy',
    priceTarget: 55,
    currency: 'USD',
    title: 'Margins have room to run',
    thesis: 'We see steady share gains in industrial sensing. Execution on the new platform remains the key debate.',
    ...overrides,
  };
}

const magnitude = fc.constantFrom(1e4, 1e6, 1e8, 1e9, 1e11, 1e12);

/** Filed metrics for two fiscal years and two quarters, huge to tiny, profits and losses. */
export const filedMetricsArb = fc
  .record({
    scale: magnitude,
    revenue: fc.array(fc.double({ min: 0.2, max: 9.99, noNaN: true }), { minLength: 4, maxLength: 4 }),
    margin: fc.array(fc.double({ min: -0.6, max: 0.6, noNaN: true }), { minLength: 4, maxLength: 4 }),
    eps: fc.array(fc.double({ min: -9, max: 30, noNaN: true }), { minLength: 4, maxLength: 4 }),
  })
  .map(({ scale, revenue, margin, eps }) => {
    const periods = [
      [2024, 'FY', '0009900001-25-000001'],
      [2025, 'FY', '0009900001-26-000002'],
      [2025, 'Q3', '0009900001-25-000003'],
      [2026, 'Q3', '0009900001-26-000004'],
    ] as const;
    return periods.flatMap(([year, period, accn], i) => {
      const rev = Math.round(revenue[i]! * scale);
      return [
        filed('revenue', rev, year, period, accn),
        filed('gross_profit', Math.round(rev * Math.abs(margin[i]!)), year, period, accn),
        filed('operating_income', Math.round(rev * margin[i]! * 0.8), year, period, accn),
        filed('net_income', Math.round(rev * margin[i]! * 0.6), year, period, accn),
        filed('eps_diluted', Math.round(eps[i]! * 100) / 100, year, period, accn),
      ];
    });
  });
