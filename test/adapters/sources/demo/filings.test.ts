import { describe, expect, it } from 'vitest';
import { createDemoSources, plantedHardCases } from '../../../../lambdas/adapters/sources/demo/index';
import { extractMetrics, validateCompanyFacts } from '../../../../lambdas/adapters/sources/edgar/companyfacts';
import type { CompanyFactsEntry, CompanyFactsJson, CompanyProfile, FilingDocument } from '../../../../lambdas/core/model/index';

const sources = createDemoSources();
const profiles = await sources.universe.list();
const AS_OF = '2026-11-24';
const sample = profiles.filter((_, i) => i % 25 === 0);
const banks = profiles.filter((p) => /Banks$/.test(p.industry) && p.industry !== 'Asset Management & Custody Banks');

const REVENUE_CONCEPTS = ['Revenues', 'RevenueFromContractWithCustomerExcludingAssessedTax', 'RevenuesNetOfInterestExpense'];

function entries(facts: CompanyFactsJson, concept: string, unit = 'USD'): CompanyFactsEntry[] {
  return facts.facts['us-gaap']?.[concept]?.units[unit] ?? [];
}

function revenueConcept(facts: CompanyFactsJson): string {
  return REVENUE_CONCEPTS.find((c) => facts.facts['us-gaap']?.[c])!;
}

function days(start: string, end: string): number {
  return (Date.parse(end) - Date.parse(start)) / 86_400_000 + 1;
}

/** The value a filing reports for its own period: the span ending at `periodEnd`, a year long for a 10-K, a quarter for a 10-Q. */
function ownValue(facts: CompanyFactsJson, concept: string, filing: FilingDocument, unit = 'USD'): number {
  const wanted = filing.form.startsWith('10-K') ? 365 : 91;
  const match = entries(facts, concept, unit).filter(
    (e) => e.accn === filing.docId && e.end === filing.periodEnd && e.start && Math.abs(days(e.start, e.end) - wanted) < 20,
  );
  expect(match, `${concept} in ${filing.docId}`).toHaveLength(1);
  return match[0]!.val;
}

const MONEY = /\$([\d,]+(?:\.\d+)?)(?: (thousand|million|billion))?/g;
const SCALE: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9 };

/** Every dollar amount in a sentence, with the rounding its printed precision allows. */
function amounts(sentence: string): Array<{ value: number; tolerance: number }> {
  return [...sentence.matchAll(MONEY)].map((m) => {
    const scale = SCALE[m[2] ?? ''] ?? 1;
    const decimals = m[1]!.split('.')[1]?.length ?? 0;
    return { value: Number(m[1]!.replaceAll(',', '')) * scale, tolerance: 0.5 * 10 ** -decimals * scale + 1e-9 };
  });
}

function sentenceStarting(text: string, start: RegExp): string {
  const found = text.split(/(?<=\.)\s+|\n/).find((s) => start.test(s));
  expect(found, `a sentence matching ${start}`).toBeDefined();
  return found!;
}

function expectClose(printed: { value: number; tolerance: number }, actual: number): void {
  expect(Math.abs(printed.value - Math.abs(actual))).toBeLessThanOrEqual(printed.tolerance);
}

describe('demo companyfacts: the EDGAR shape', () => {
  it('has the top-level shape, labelled concepts and the real units', async () => {
    for (const profile of sample) {
      const facts = (await sources.filings.companyFacts(profile, AS_OF))!;
      expect(typeof facts.cik).toBe('number');
      expect(String(facts.cik).padStart(10, '0')).toBe(profile.cik);
      expect(facts.entityName).toBe(profile.name.toUpperCase());
      expect(Object.keys(facts.facts).sort()).toEqual(['dei', 'us-gaap']);
      const gaap = facts.facts['us-gaap']!;
      for (const concept of [
        'NetIncomeLoss',
        'EarningsPerShareBasic',
        'EarningsPerShareDiluted',
        'Assets',
        'Liabilities',
        'StockholdersEquity',
        'NetCashProvidedByUsedInOperatingActivities',
      ]) {
        expect(gaap[concept], concept).toBeDefined();
        expect(gaap[concept]!.label).toBeTruthy();
        expect(gaap[concept]!.description).toBeTruthy();
      }
      expect(Object.keys(gaap.EarningsPerShareDiluted!.units)).toEqual(['USD/shares']);
      expect(Object.keys(facts.facts.dei!.EntityCommonStockSharesOutstanding!.units)).toEqual(['shares']);
      expect(revenueConcept(facts)).toBeDefined();
      // The EDGAR parser the pipeline uses accepts the payload as it is.
      expect(() => validateCompanyFacts(JSON.parse(JSON.stringify(facts)))).not.toThrow();
    }
  });

  it('uses both revenue tags across the universe and a bank-shaped income statement for banks', async () => {
    const tags = new Set<string>();
    for (const profile of sample) tags.add(revenueConcept((await sources.filings.companyFacts(profile, AS_OF))!));
    expect(tags).toContain('Revenues');
    expect(tags).toContain('RevenueFromContractWithCustomerExcludingAssessedTax');
    expect(banks.length).toBeGreaterThan(5);
    for (const bank of banks.slice(0, 8)) {
      const facts = (await sources.filings.companyFacts(bank, AS_OF))!;
      const gaap = facts.facts['us-gaap']!;
      for (const concept of ['InterestAndDividendIncomeOperating', 'InterestExpense', 'InterestIncomeExpenseNet', 'NoninterestIncome'])
        expect(gaap[concept], concept).toBeDefined();
      expect(gaap.GrossProfit).toBeUndefined();
      expect(gaap.CostOfRevenue).toBeUndefined();
      const byKey = (concept: string) => new Map(entries(facts, concept).map((e) => [`${e.accn}|${e.start}|${e.end}`, e.val]));
      const income = byKey('InterestAndDividendIncomeOperating');
      const expense = byKey('InterestExpense');
      for (const [key, net] of byKey('InterestIncomeExpenseNet')) expect(net).toBe(income.get(key)! - expense.get(key)!);
    }
  });

  it('repeats periods across filings as EDGAR does: fy/fp name the filing, frame sits on the latest report only, and some periods have none', async () => {
    let framesMissing = 0;
    for (const profile of sample) {
      const facts = (await sources.filings.companyFacts(profile, AS_OF))!;
      const revenue = entries(facts, revenueConcept(facts));
      const byPeriod = new Map<string, CompanyFactsEntry[]>();
      for (const e of revenue) byPeriod.set(`${e.start}|${e.end}`, [...(byPeriod.get(`${e.start}|${e.end}`) ?? []), e]);
      // A quarter first reported in a 10-Q is reported again a year later as a comparative.
      const repeated = [...byPeriod.values()].filter((list) => list.length > 1);
      expect(repeated.length).toBeGreaterThan(3);
      const annual = [...byPeriod.values()].find((list) => list.length >= 2 && days(list[0]!.start!, list[0]!.end) > 300)!;
      expect(annual.every((e) => e.form.startsWith('10-K'))).toBe(true);
      const annualReports = annual.filter((e) => e.form === '10-K');
      expect(new Set(annualReports.map((e) => e.fy)).size).toBe(annualReports.length);
      expect(annual.at(-1)!.fy).toBeGreaterThan(Number(annual[0]!.end.slice(0, 4)) - 1);
      for (const list of byPeriod.values()) {
        const framed = list.filter((e) => e.frame !== undefined);
        expect(framed.length).toBeLessThanOrEqual(1);
        if (framed.length === 1) expect(framed[0]).toBe(list.reduce((a, b) => (b.filed > a.filed ? b : a)));
        const length = days(list[0]!.start!, list[0]!.end);
        if (length > 100 && length < 300) expect(framed).toHaveLength(0);
        if (framed.length === 0 && ((length > 80 && length < 100) || length > 350)) framesMissing++;
      }
      expect(revenue.some((e) => e.frame === undefined)).toBe(true);
      // fy, fp and form describe the filing: every entry of one accession agrees on them.
      const filingOf = new Map<string, string>();
      for (const concept of Object.values(facts.facts['us-gaap']!)) {
        for (const list of Object.values(concept.units)) {
          for (const e of list) {
            const described = `${e.fy}|${e.fp}|${e.form}|${e.filed}`;
            expect(filingOf.get(e.accn) ?? described).toBe(described);
            filingOf.set(e.accn, described);
          }
        }
      }
      // The prior year-end balance sheet appears in the 10-K and again in the 10-Qs that follow it.
      const assetsByEnd = new Map<string, Set<string>>();
      for (const e of entries(facts, 'Assets')) assetsByEnd.set(e.end, (assetsByEnd.get(e.end) ?? new Set()).add(e.form));
      expect([...assetsByEnd.values()].some((forms) => forms.has('10-K') && forms.has('10-Q'))).toBe(true);
      expect(revenue.some((e) => /^CY\d{4}(Q[1-4])?$/.test(e.frame ?? ''))).toBe(true);
      expect(entries(facts, 'Assets').some((e) => /^CY\d{4}Q[1-4]I$/.test(e.frame ?? ''))).toBe(true);
    }
    // EDGAR leaves a few calendar periods without a frame altogether.
    expect(framesMissing).toBeGreaterThan(0);
  });

  it('keeps the numbers internally consistent: gross profit, balance sheet, EPS against shares', async () => {
    for (const profile of sample) {
      const facts = (await sources.filings.companyFacts(profile, AS_OF))!;
      const concept = revenueConcept(facts);
      const cost = new Map(entries(facts, 'CostOfRevenue').map((e) => [`${e.accn}|${e.start}|${e.end}`, e.val]));
      const revenue = new Map(entries(facts, concept).map((e) => [`${e.accn}|${e.start}|${e.end}`, e.val]));
      for (const e of entries(facts, 'GrossProfit'))
        expect(e.val).toBe(revenue.get(`${e.accn}|${e.start}|${e.end}`)! - cost.get(`${e.accn}|${e.start}|${e.end}`)!);
      const liabilities = new Map(entries(facts, 'Liabilities').map((e) => [`${e.accn}|${e.end}`, e.val]));
      const equity = new Map(entries(facts, 'StockholdersEquity').map((e) => [`${e.accn}|${e.end}`, e.val]));
      for (const e of entries(facts, 'Assets'))
        expect(e.val).toBe(liabilities.get(`${e.accn}|${e.end}`)! + equity.get(`${e.accn}|${e.end}`)!);
      const shares = facts.facts.dei!.EntityCommonStockSharesOutstanding!.units.shares!.at(-1)!.val;
      const lastYear = entries(facts, 'NetIncomeLoss')
        .filter((e) => e.start && days(e.start, e.end) > 350)
        .at(-1)!;
      const eps = entries(facts, 'EarningsPerShareBasic', 'USD/shares').find(
        (e) => e.accn === lastYear.accn && e.start === lastYear.start && e.end === lastYear.end,
      )!;
      expect(Math.sign(eps.val)).toBe(Math.sign(Math.round((lastYear.val / shares) * 100)));
      if (Math.abs(eps.val) >= 0.2) expect(Math.abs(eps.val - lastYear.val / shares) / Math.abs(eps.val)).toBeLessThan(0.12);
      const diluted = entries(facts, 'EarningsPerShareDiluted', 'USD/shares').find(
        (e) => e.accn === lastYear.accn && e.start === lastYear.start && e.end === lastYear.end,
      )!;
      if (eps.val > 0) expect(diluted.val).toBeLessThanOrEqual(eps.val);
    }
  });

  it('spans tiny to huge companies with plausible margins', async () => {
    const annualRevenue: number[] = [];
    for (const profile of profiles.filter((_, i) => i % 5 === 0)) {
      const facts = (await sources.filings.companyFacts(profile, AS_OF))!;
      const revenue = entries(facts, revenueConcept(facts))
        .filter((e) => e.start && days(e.start, e.end) > 350)
        .at(-1)!;
      const income = entries(facts, 'NetIncomeLoss').find(
        (e) => e.accn === revenue.accn && e.start === revenue.start && e.end === revenue.end,
      )!;
      annualRevenue.push(revenue.val);
      expect(income.val / revenue.val).toBeLessThan(0.5);
      expect(income.val / revenue.val).toBeGreaterThan(-0.6);
    }
    expect(Math.min(...annualRevenue)).toBeLessThan(150e6);
    expect(Math.max(...annualRevenue)).toBeGreaterThan(50e9);
  });
});

describe('demo filings: the text', () => {
  it('returns the latest 10-K and the 10-Qs after it, with accession numbers that are the companyfacts accns', async () => {
    for (const profile of sample) {
      const filings = await sources.filings.filings(profile, AS_OF);
      expect(filings[0]!.form).toBe('10-K');
      expect(filings.slice(1).every((f) => f.form === '10-Q' || f.form === '10-K/A')).toBe(true);
      expect(filings.filter((f) => f.form === '10-Q').length).toBeLessThanOrEqual(3);
      const facts = (await sources.filings.companyFacts(profile, AS_OF))!;
      const accns = new Set(entries(facts, 'NetIncomeLoss').map((e) => e.accn));
      for (const f of filings) {
        expect(f.docId).toMatch(/^00099\d{5}-\d{2}-\d{6}$/);
        expect(f.docId.startsWith(profile.cik)).toBe(true);
        expect(accns.has(f.docId)).toBe(true);
        expect(f.ticker).toBe(profile.ticker);
      }
    }
  });

  it('files on business days, 10-Qs about 25–45 days after quarter end and 10-Ks about 45–90 days after year end', async () => {
    for (const profile of sample) {
      for (const f of await sources.filings.filings(profile, AS_OF)) {
        expect([0, 6]).not.toContain(new Date(`${f.filed}T00:00:00Z`).getUTCDay());
        const lag = days(f.periodEnd, f.filed) - 1;
        const window = ({ '10-Q': [22, 50], '10-K': [42, 95] } as Record<string, [number, number]>)[f.form];
        if (window) {
          expect(lag).toBeGreaterThanOrEqual(window[0]);
          expect(lag).toBeLessThanOrEqual(window[1]);
        }
      }
    }
  });

  it('has Item 1, Item 1A with five to eight named risk factors and Item 7 in a 10-K, and Item 2 and Item 1A in a 10-Q', async () => {
    const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
    for (const profile of sample) {
      const filings = await sources.filings.filings(profile, AS_OF);
      const annual = filings[0]!;
      expect(annual.sections.map((s) => s.item)).toEqual(['1', '1A', '7']);
      const [business, risks, mdna] = annual.sections;
      expect(words(business!.text)).toBeGreaterThanOrEqual(250);
      expect(words(business!.text)).toBeLessThanOrEqual(400);
      expect(words(mdna!.text)).toBeGreaterThanOrEqual(300);
      expect(words(mdna!.text)).toBeLessThanOrEqual(500);
      const titles = risks!.text
        .split('\n\n')
        .slice(1)
        .map((block) => block.split('\n')[0]!);
      expect(titles.length).toBeGreaterThanOrEqual(5);
      expect(titles.length).toBeLessThanOrEqual(8);
      for (const title of titles) expect(title).toMatch(/^[A-Z][^.\d]+$/);
      for (const quarterly of filings.filter((f) => f.form === '10-Q')) {
        expect(quarterly.sections.map((s) => s.item)).toEqual(['2', '1A']);
        expect(words(quarterly.sections[0]!.text)).toBeGreaterThanOrEqual(200);
        expect(words(quarterly.sections[0]!.text)).toBeLessThanOrEqual(300);
      }
    }
  });

  it('quotes revenue, net income and diluted EPS in the MD&A with the same numbers as the XBRL facts', async () => {
    let checked = 0;
    for (const profile of [...sample, ...banks.slice(0, 3)]) {
      const facts = (await sources.filings.companyFacts(profile, AS_OF))!;
      const concept = revenueConcept(facts);
      for (const filing of await sources.filings.filings(profile, AS_OF)) {
        if (filing.form === '10-K/A') continue;
        const mdna = filing.sections.find((s) => s.item === '7' || s.item === '2')!.text;
        const revenue = amounts(sentenceStarting(mdna, /^(Total revenue|Revenue)\b/));
        expectClose(revenue[0]!, ownValue(facts, concept, filing));
        const income = sentenceStarting(mdna, /^We reported (net income|a net loss)/);
        const [netIncome, eps] = amounts(income);
        const netIncomeFact = ownValue(facts, 'NetIncomeLoss', filing);
        expectClose(netIncome!, netIncomeFact);
        expect(income.startsWith(netIncomeFact < 0 ? 'We reported a net loss' : 'We reported net income')).toBe(true);
        expectClose(eps!, ownValue(facts, 'EarningsPerShareDiluted', filing, 'USD/shares'));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('reads back through the EDGAR parser with the MD&A figures as the latest fiscal year', async () => {
    for (const profile of sample.slice(0, 20)) {
      const facts = (await sources.filings.companyFacts(profile, AS_OF))!;
      const metrics = extractMetrics(facts, { asOf: AS_OF, fiscalYearEndMonth: profile.fiscalYearEndMonth });
      const annual = (await sources.filings.filings(profile, AS_OF))[0]!;
      const revenue = metrics.find(
        (m) => m.metric === 'revenue' && m.period.fiscalPeriod === 'FY' && m.period.fiscalYear === annual.fiscalYear,
      );
      expect(revenue, profile.ticker).toBeDefined();
      expect(revenue!.period.end).toBe(annual.periodEnd);
      expect(revenue!.value).toBe(ownValue(facts, revenueConcept(facts), annual));
      if (!plantedHardCases(profile.ticker).includes('restatement')) expect(revenue!.restatements).toEqual([]);
    }
  });
});

async function ownProfile(ticker: string): Promise<CompanyProfile> {
  return (await sources.universe.get(ticker))!;
}

describe('demo filings: as-of', () => {
  it('adds a filing to companyfacts and the text only from its filing day', async () => {
    const profile = await ownProfile(sample[3]!.ticker);
    const filings = await sources.filings.filings(profile, AS_OF);
    const latest = filings.at(-1)!;
    const dayBefore = new Date(Date.parse(`${latest.filed}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const before = (await sources.filings.companyFacts(profile, dayBefore))!;
    const on = (await sources.filings.companyFacts(profile, latest.filed))!;
    expect(entries(before, 'NetIncomeLoss').some((e) => e.accn === latest.docId)).toBe(false);
    expect(entries(on, 'NetIncomeLoss').some((e) => e.accn === latest.docId)).toBe(true);
    expect((await sources.filings.filings(profile, dayBefore)).some((f) => f.docId === latest.docId)).toBe(false);
  });
});
