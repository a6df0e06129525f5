/**
 * The EDGAR parsers over every real payload in ../shared/data/edgar: companyfacts for Apple,
 * JPMorgan (bank-shaped statements), Walmart and Snowflake (fiscal years ending in January), Tesla
 * (full history to 2022, converted from a Python repr, with 10-K/As and split-adjusted restatements)
 * and LPA (IFRS taxonomy, string CIK, 20-F); submissions for Apple, Microsoft and Tesla. Expected
 * values were read from the files themselves; the generic properties are checked against the raw
 * JSON of each file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractMetrics, parseCompanyFacts, validateCompanyFacts } from '../../lambdas/adapters/sources/edgar/companyfacts';
import type { MetricValue } from '../../lambdas/adapters/sources/edgar/companyfacts';
import { EdgarFilingsSource } from '../../lambdas/adapters/sources/edgar/edgar-filings-source';
import { daysBetween } from '../../lambdas/adapters/sources/edgar/fiscal-periods';
import { parseSubmissions } from '../../lambdas/adapters/sources/edgar/submissions';
import { NotFoundError } from '../../lambdas/core/errors';
import type { CompanyProfile } from '../../lambdas/core/model';

const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const FACTS_DIR = join(DATA, 'edgar/companyfacts');
const SUBMISSIONS_DIR = join(DATA, 'edgar/submissions');

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const factsFiles = readdirSync(FACTS_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort();
const submissionsFiles = readdirSync(SUBMISSIONS_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort();

const FAR_FUTURE = '2100-01-01';

const cache = new Map<string, ReturnType<typeof parseCompanyFacts>>();
function facts(name: string): ReturnType<typeof parseCompanyFacts> {
  let parsed = cache.get(name);
  if (!parsed) {
    parsed = parseCompanyFacts(readJson(join(FACTS_DIR, name)));
    cache.set(name, parsed);
  }
  return parsed;
}

function pick(values: MetricValue[], metric: string, fiscalYear: number, fiscalPeriod: string): MetricValue {
  const found = values.filter((v) => v.metric === metric && v.period.fiscalYear === fiscalYear && v.period.fiscalPeriod === fiscalPeriod);
  expect(found, `${metric} ${fiscalYear} ${fiscalPeriod}`).toHaveLength(1);
  return found[0]!;
}

/** Raw entries of one concept in a file, straight from the JSON (no parser involved). */
function rawEntries(name: string, taxonomy: string, concept: string, unit: string): Array<Record<string, unknown>> {
  const json = readJson(join(FACTS_DIR, name)) as {
    facts: Record<string, Record<string, { units: Record<string, Array<Record<string, unknown>>> }>>;
  };
  return json.facts[taxonomy]?.[concept]?.units[unit] ?? [];
}

describe('every companyfacts file', () => {
  it('is there to test', () => {
    expect(factsFiles).toEqual(
      expect.arrayContaining([
        'aapl_companyfacts_trimmed.json',
        'jpm_companyfacts_trimmed.json',
        'lpa_facts.json',
        'tsla_facts_2022_converted_from_pyrepr.json',
      ]),
    );
  });

  it.each(factsFiles)('%s parses, and its metrics are unique per period, correctly classified and traceable to a raw entry', (name) => {
    const parsed = facts(name);
    expect(parsed.cik).toMatch(/^\d{10}$/);
    expect(parsed.entityName.length).toBeGreaterThan(0);
    const rawCount = Object.values(
      (readJson(join(FACTS_DIR, name)) as { facts: Record<string, Record<string, { units: Record<string, unknown[]> }>> }).facts,
    )
      .flatMap((concepts) => Object.values(concepts))
      .flatMap((concept) => Object.values(concept.units))
      .reduce((sum, entries) => sum + entries.length, 0);
    expect(parsed.facts).toHaveLength(rawCount);

    const values = extractMetrics(parsed.facts, { asOf: FAR_FUTURE });
    expect(values.length).toBeGreaterThan(10);
    const identities = values.map(
      (v) => `${v.metric}|${v.period.fiscalPeriod === 'spot' ? v.period.end : `${v.period.fiscalYear}${v.period.fiscalPeriod}`}`,
    );
    expect(new Set(identities).size).toBe(identities.length);
    const byKey = new Map(parsed.facts.map((f) => [`${f.taxonomy}|${f.concept}|${f.accn}|${f.start ?? ''}|${f.end}|${f.value}`, f]));
    for (const v of values) {
      const days = v.period.start === undefined ? undefined : daysBetween(v.period.start, v.period.end);
      if (v.period.fiscalPeriod === 'FY') expect(days).toBeGreaterThanOrEqual(350);
      if (v.period.fiscalPeriod === 'spot') expect(v.period.start).toBeUndefined();
      if (/^Q/.test(v.period.fiscalPeriod)) expect(days! >= 80 && days! <= 100).toBe(true);
      const source = byKey.get(`${v.taxonomy}|${v.concept}|${v.accn}|${v.period.start ?? ''}|${v.period.end}|${v.value}`);
      expect(source?.filed, `${name} ${v.metric} ${v.period.end}`).toBe(v.filed);
      for (const r of v.restatements) expect(r.value).not.toBe(v.value);
    }
  });

  it.each(factsFiles)('%s: nothing filed after an as-of date reaches the metrics', (name) => {
    const parsed = facts(name);
    const dates = parsed.facts.map((f) => f.filed).sort();
    const asOf = dates[Math.floor(dates.length / 2)]!;
    for (const v of extractMetrics(parsed.facts, { asOf })) {
      expect(v.filed <= asOf).toBe(true);
      for (const r of v.restatements) expect(r.filed <= asOf).toBe(true);
    }
  });
});

describe('Apple (trimmed, fiscal year ending late September)', () => {
  const name = 'aapl_companyfacts_trimmed.json';

  it('reports FY2025 and FY2024 revenue exactly as filed, with the fiscal year inferred from the data', () => {
    const values = extractMetrics(facts(name).facts, { asOf: FAR_FUTURE });
    expect(pick(values, 'revenue', 2025, 'FY')).toMatchObject({
      value: 416_161_000_000,
      period: { start: '2024-09-29', end: '2025-09-27' },
      concept: 'RevenueFromContractWithCustomerExcludingAssessedTax',
      form: '10-K',
      accn: '0000320193-25-000079',
      filed: '2025-10-31',
      restatements: [],
    });
    expect(pick(values, 'revenue', 2024, 'FY').value).toBe(391_035_000_000);
    expect(pick(values, 'eps_diluted', 2025, 'FY')).toMatchObject({ value: 7.46, unit: 'USD/share' });
  });

  it('collapses the December quarter reported in two 10-Qs (frame absent, then present) to the first one', () => {
    const raw = rawEntries(name, 'us-gaap', 'RevenueFromContractWithCustomerExcludingAssessedTax', 'USD').filter(
      (e) => e.start === '2024-09-29' && e.end === '2024-12-28',
    );
    expect(raw.map((e) => [e.accn, e.frame ?? null])).toEqual([
      ['0000320193-25-000008', null],
      ['0000320193-26-000006', 'CY2024Q4'],
    ]);
    const q1 = pick(extractMetrics(facts(name).facts, { asOf: FAR_FUTURE }), 'revenue', 2025, 'Q1');
    expect(q1).toMatchObject({ value: 124_300_000_000, accn: '0000320193-25-000008', form: '10-Q', filed: '2025-01-31', restatements: [] });
  });

  it('collapses a balance reported by three 10-Qs and a 10-K to one spot value cited to the first', () => {
    const assets = extractMetrics(facts(name).facts, { asOf: FAR_FUTURE }).filter(
      (v) => v.metric === 'total_assets' && v.period.end === '2024-09-28',
    );
    expect(assets).toHaveLength(1);
    expect(assets[0]).toMatchObject({
      value: 364_980_000_000,
      accn: '0000320193-25-000008',
      period: { fiscalPeriod: 'spot', fiscalYear: 2024 },
    });
  });

  it('knew nothing of FY2025 the day before the 10-K was filed', () => {
    const values = extractMetrics(facts(name).facts, { asOf: '2025-10-30' });
    expect(values.some((v) => v.period.fiscalPeriod === 'FY' && v.period.fiscalYear === 2025)).toBe(false);
    expect(pick(values, 'revenue', 2025, 'Q3').value).toBe(94_036_000_000);
  });
});

describe('JPMorgan (trimmed, bank-shaped income statement)', () => {
  const values = () => extractMetrics(facts('jpm_companyfacts_trimmed.json').facts, { asOf: FAR_FUTURE });

  it('has net interest income and no gross profit', () => {
    const all = values();
    expect(all.some((v) => v.metric === 'gross_profit')).toBe(false);
    expect(pick(all, 'net_interest_income', 2025, 'FY')).toMatchObject({ value: 95_443_000_000, concept: 'InterestIncomeExpenseNet' });
    expect(pick(all, 'net_interest_income', 2025, 'Q3').value).toBe(23_966_000_000);
  });

  it('takes annual revenue from Revenues and quarterly revenue from RevenuesNetOfInterestExpense, which alone has quarters', () => {
    const all = values();
    expect(pick(all, 'revenue', 2025, 'FY')).toMatchObject({ value: 182_447_000_000, concept: 'Revenues' });
    expect(pick(all, 'revenue', 2025, 'Q1')).toMatchObject({
      value: 45_310_000_000,
      concept: 'RevenuesNetOfInterestExpense',
      accn: '0000019617-25-000421',
    });
  });
});

describe('Walmart and Snowflake (fiscal years ending 31 January)', () => {
  it('names Walmart’s year to January 2026 fiscal 2026 and its quarter to April 2025 Q1 of fiscal 2026', () => {
    const values = extractMetrics(facts('wmt_companyfacts_trimmed.json').facts, { asOf: FAR_FUTURE, fiscalYearEndMonth: 1 });
    expect(pick(values, 'revenue', 2026, 'FY')).toMatchObject({
      value: 713_163_000_000,
      concept: 'Revenues',
      period: { end: '2026-01-31' },
    });
    expect(pick(values, 'revenue', 2026, 'Q1')).toMatchObject({ value: 165_609_000_000, accn: '0000104169-25-000090' });
    expect(values.some((v) => v.metric === 'gross_profit' || v.metric === 'total_liabilities')).toBe(false);
  });

  it('infers Snowflake’s January year end without being told', () => {
    const values = extractMetrics(facts('snow_facts.json').facts, { asOf: FAR_FUTURE });
    expect(pick(values, 'revenue', 2025, 'FY')).toMatchObject({ value: 3_626_396_000, period: { start: '2024-02-01', end: '2025-01-31' } });
    expect(pick(values, 'revenue', 2026, 'Q1').value).toBe(1_042_074_000);
  });
});

describe('Tesla (full history to October 2022, converted from a Python repr)', () => {
  const name = 'tsla_facts_2022_converted_from_pyrepr.json';
  const values = () => extractMetrics(facts(name).facts, { asOf: FAR_FUTURE });

  it('parses the concept whose label and description are null', () => {
    expect(facts(name).facts.filter((f) => f.concept === 'SalesTypeLeaseNetInvestmentInLeaseAfterAllowanceForCreditLoss')).toHaveLength(2);
  });

  it('reports 2021 revenue and the three 2022 quarters exactly, which add up to the nine-month figure filed', () => {
    const all = values();
    expect(pick(all, 'revenue', 2021, 'FY')).toMatchObject({ value: 53_823_000_000, accn: '0000950170-22-000796', form: '10-K' });
    const quarters = [1, 2, 3].map((q) => pick(all, 'revenue', 2022, `Q${q}`).value);
    expect(quarters).toEqual([18_756_000_000, 16_934_000_000, 21_454_000_000]);
    const nineMonths = rawEntries(name, 'us-gaap', 'Revenues', 'USD').find((e) => e.start === '2022-01-01' && e.end === '2022-09-30');
    expect(quarters.reduce((a, b) => a + b, 0)).toBe(nineMonths?.val);
  });

  it('keeps the pre-split EPS as a restatement of the split-adjusted one', () => {
    expect(pick(values(), 'eps_diluted', 2018, 'FY')).toMatchObject({
      value: -1.14,
      restatements: [{ value: -5.72, form: '10-K', filed: '2019-02-19' }],
    });
  });

  it('treats the switch from thousands to millions as a later filing changing the value', () => {
    expect(pick(values(), 'revenue', 2017, 'FY')).toMatchObject({
      value: 11_759_000_000,
      filed: '2020-02-13',
      restatements: [{ value: 11_758_751_000, filed: '2018-02-23' }],
    });
  });

  it('collapses a 10-K/A that repeats the 10-K onto the original filing', () => {
    const raw = rawEntries(name, 'dei', 'EntityCommonStockSharesOutstanding', 'shares').filter((e) => e.end === '2012-01-31');
    expect(raw.map((e) => e.form)).toEqual(['10-K', '10-K/A']);
    const shares = values().filter((v) => v.metric === 'shares_outstanding' && v.period.end === '2012-01-31');
    expect(shares).toHaveLength(1);
    expect(shares[0]).toMatchObject({ value: 104_604_044, form: '10-K', accn: '0001193125-12-081990', restatements: [] });
  });

  it('derives Q4 2021 revenue as the year minus nine months when asked', () => {
    const q4 = pick(extractMetrics(facts(name).facts, { asOf: FAR_FUTURE, deriveFourthQuarter: true }), 'revenue', 2021, 'Q4');
    expect(q4.value).toBe(17_719_000_000);
    expect(q4.derivedFrom?.map((d) => d.accn)).toEqual(['0000950170-22-000796', '0000950170-21-002253']);
  });
});

describe('LPA (IFRS taxonomy, string CIK, 20-F)', () => {
  const name = 'lpa_facts.json';

  it('keeps the string CIK and reads ifrs-full concepts', () => {
    const parsed = facts(name);
    expect((readJson(join(FACTS_DIR, name)) as { cik: unknown }).cik).toBe('0001997711');
    expect(parsed.cik).toBe('0001997711');
    const values = extractMetrics(parsed.facts, { asOf: FAR_FUTURE });
    expect(pick(values, 'revenue', 2024, 'FY')).toMatchObject({
      value: 43_862_372,
      taxonomy: 'ifrs-full',
      concept: 'Revenue',
      form: '20-F',
    });
    // Attributable to owners of the parent wins over profit including non-controlling interests (−19,426,051).
    expect(pick(values, 'net_income', 2024, 'FY')).toMatchObject({ value: -29_285_428, concept: 'ProfitLossAttributableToOwnersOfParent' });
  });

  it('keeps the earlier 20-F’s EPS as a restatement of the later one', () => {
    const eps = pick(extractMetrics(facts(name).facts, { asOf: FAR_FUTURE }), 'eps_diluted', 2022, 'FY');
    expect(eps).toMatchObject({
      value: 0.28,
      accn: '0001997711-25-000030',
      restatements: [{ value: 0.048, accn: '0001493152-24-016772' }],
    });
  });

  it('maps no amount reported in another currency', () => {
    const foreign = facts(name).facts.filter((f) => !['USD', 'USD/shares', 'shares', 'pure'].includes(f.unit));
    expect(foreign.length).toBeGreaterThan(0);
    const values = extractMetrics(facts(name).facts, { asOf: FAR_FUTURE });
    for (const v of values) expect(foreign.some((f) => f.accn === v.accn && f.concept === v.concept && f.value === v.value)).toBe(false);
  });
});

describe('every submissions file', () => {
  it.each(submissionsFiles)('%s parses into one row per recent filing', (name) => {
    const raw = readJson(join(SUBMISSIONS_DIR, name)) as { filings: { recent: { accessionNumber: string[] } } };
    const parsed = parseSubmissions(raw);
    expect(parsed.cik).toMatch(/^\d{10}$/);
    expect(parsed.filings).toHaveLength(raw.filings.recent.accessionNumber.length);
    expect(parsed.filings.every((f) => /^\d{10}-\d{2}-\d{6}$/.test(f.accessionNumber))).toBe(true);
  });

  it.each([
    ['apple_submissions.json', '0000320193', 'AAPL', '0926', '0000320193-25-000079', '2025-10-31', '2025-09-27'],
    ['microsoft_submissions.json', '0000789019', 'MSFT', '0630', '0000950170-25-100235', '2025-07-30', '2025-06-30'],
    ['tesla_submissions.json', '0001318605', 'TSLA', '1231', '0001628280-26-003952', '2026-01-29', '2025-12-31'],
    ['tesla_submissions_edgartools_2022.json', '0001318605', 'TSLA', '1231', '0000950170-22-000796', '2022-02-07', '2021-12-31'],
  ])('%s: latest 10-K is %s', (name, cik, ticker, fiscalYearEnd, accession, filed, reportDate) => {
    const parsed = parseSubmissions(readJson(join(SUBMISSIONS_DIR, name)));
    expect(parsed).toMatchObject({ cik, tickers: [ticker], fiscalYearEnd });
    const latest10K = parsed.filings.filter((f) => f.form === '10-K').sort((a, b) => b.filingDate.localeCompare(a.filingDate))[0];
    expect(latest10K).toMatchObject({ accessionNumber: accession, filingDate: filed, reportDate });
  });
});

describe('EdgarFilingsSource over real submissions', () => {
  function sourceFor(submissionsFile: string, factsFile?: string): EdgarFilingsSource {
    return new EdgarFilingsSource({
      submissions: async () => parseSubmissions(readJson(join(SUBMISSIONS_DIR, submissionsFile))),
      companyFacts: async () => {
        if (!factsFile) throw new Error('no facts in this test');
        return validateCompanyFacts(readJson(join(FACTS_DIR, factsFile)));
      },
      // Submissions metadata only: every document is missing, so reports come without text and 8-Ks are left out.
      archiveText: async (path) => {
        throw new NotFoundError(`no documents in this test: ${path}`);
      },
    });
  }
  const profile = (ticker: string, name: string, cik: string): CompanyProfile => ({
    ticker,
    name,
    cik,
    sector: 'Information Technology',
    industry: 'n/a',
    exchange: 'NASDAQ',
    fiscalYearEndMonth: 12,
  });

  it('lists Microsoft’s FY2025 10-K and the two 10-Qs of fiscal 2026 as of February 2026', async () => {
    const documents = await sourceFor('microsoft_submissions.json').filings(profile('MSFT', 'Microsoft', '0000789019'), '2026-02-01');
    expect(documents.map((d) => [d.docId, d.form, d.fiscalYear, d.fiscalPeriod])).toEqual([
      ['0000950170-25-100235', '10-K', 2025, 'FY'],
      ['0001193125-25-256321', '10-Q', 2026, 'Q1'],
      ['0001193125-26-027207', '10-Q', 2026, 'Q2'],
    ]);
  });

  it('cites Tesla’s 2022 quarters to the same accession numbers the filings list names', async () => {
    const source = sourceFor('tesla_submissions_edgartools_2022.json', 'tsla_facts_2022_converted_from_pyrepr.json');
    const tesla = profile('TSLA', 'Tesla, Inc.', '0001318605');
    const documents = await source.filings(tesla, '2022-11-30');
    expect(documents.map((d) => `${d.form} ${d.fiscalYear} ${d.fiscalPeriod}`)).toEqual([
      '10-K 2021 FY',
      '10-Q 2022 Q1',
      '10-Q 2022 Q2',
      '10-Q 2022 Q3',
    ]);
    const companyFacts = await source.companyFacts(tesla, '2022-11-30');
    const values = extractMetrics(companyFacts!, { asOf: '2022-11-30', fiscalYearEndMonth: 12 });
    const cited = ['Q1', 'Q2', 'Q3'].map((q) => pick(values, 'revenue', 2022, q).accn);
    expect(cited).toEqual(documents.slice(1).map((d) => d.docId));
  });
});
