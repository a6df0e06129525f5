import { describe, expect, it } from 'vitest';
import { createDemoSources, DEMO_HARD_CASES, plantedHardCases, tickersWithHardCase } from '../../../../lambdas/adapters/sources/demo/index';
import type { DemoHardCase } from '../../../../lambdas/adapters/sources/demo/index';
import type { CompanyFactsEntry, CompanyFactsJson, CompanyProfile } from '../../../../lambdas/core/model/index';
import { SourceUnavailableError } from '../../../../lambdas/core/errors';

const sources = createDemoSources();
const profiles = await sources.universe.list();
const byTicker = new Map(profiles.map((p) => [p.ticker, p]));
const AS_OF_DATES = ['2025-03-14', '2025-10-01', '2026-06-30', '2027-05-03'];

function withCase(hardCase: DemoHardCase): CompanyProfile[] {
  return tickersWithHardCase(hardCase).map((t) => byTicker.get(t)!);
}

function ordinary(hardCases: DemoHardCase[]): CompanyProfile[] {
  return profiles.filter((p) => !plantedHardCases(p.ticker).some((c) => hardCases.includes(c))).slice(0, 40);
}

function days(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 86_400_000;
}

const REVENUE_CONCEPTS = ['Revenues', 'RevenueFromContractWithCustomerExcludingAssessedTax', 'RevenuesNetOfInterestExpense'];

function annual(facts: CompanyFactsJson, concept: string, unit = 'USD'): CompanyFactsEntry[] {
  return (facts.facts['us-gaap']?.[concept]?.units[unit] ?? []).filter((e) => e.start !== undefined && days(e.start, e.end) > 350);
}

function revenueOf(facts: CompanyFactsJson): CompanyFactsEntry[] {
  return annual(
    facts,
    REVENUE_CONCEPTS.find((c) => facts.facts['us-gaap']?.[c])!,
  );
}

/** The latest 10-K's own fiscal-year value for a concept. */
async function filedAnnual(
  profile: CompanyProfile,
  asOf: string,
  concept: string | 'revenue',
  unit = 'USD',
): Promise<{ value: number; fiscalYear: number }> {
  const tenK = (await sources.filings.filings(profile, asOf)).find((f) => f.form === '10-K')!;
  const facts = (await sources.filings.companyFacts(profile, asOf))!;
  const list = concept === 'revenue' ? revenueOf(facts) : annual(facts, concept, unit);
  return { value: list.find((e) => e.accn === tenK.docId && e.end === tenK.periodEnd)!.val, fiscalYear: tenK.fiscalYear };
}

describe('demo hard cases: where they are planted', () => {
  it('plants every hard case on at least one stock, and each on a minority', () => {
    for (const hardCase of DEMO_HARD_CASES) {
      const count = tickersWithHardCase(hardCase).length;
      expect(count, hardCase).toBeGreaterThanOrEqual(1);
      expect(count, hardCase).toBeLessThanOrEqual(120);
    }
    expect(profiles.filter((p) => plantedHardCases(p.ticker).length === 0).length).toBeGreaterThan(500);
    expect(plantedHardCases('AAPL')).toEqual([]);
  });

  it('reports the same planted cases through the sources object and the module function', () => {
    for (const p of profiles.slice(0, 100)) expect(sources.plantedHardCases(p.ticker)).toEqual(plantedHardCases(p.ticker));
  });
});

describe('demo hard cases: what they look like', () => {
  it('vendor EPS differs from the EPS filed in the 10-K, but only where planted', async () => {
    const asOf = '2026-06-30';
    for (const profile of withCase('vendor_eps_mismatch')) {
      const vendor = await sources.fundamentals.fundamentals(profile, asOf).catch(() => undefined);
      if (!vendor) continue;
      const filed = await filedAnnual(profile, asOf, 'EarningsPerShareDiluted', 'USD/shares');
      expect(vendor.lastFiscalYear.fiscalYear).toBe(filed.fiscalYear);
      expect(vendor.lastFiscalYear.epsDiluted).not.toBe(filed.value);
    }
    for (const profile of ordinary(['vendor_eps_mismatch', 'no_fundamentals', 'fundamentals_outage', 'stale_fundamentals'])) {
      const vendor = (await sources.fundamentals.fundamentals(profile, asOf))!;
      expect(vendor.lastFiscalYear.epsDiluted).toBe((await filedAnnual(profile, asOf, 'EarningsPerShareDiluted', 'USD/shares')).value);
    }
  });

  it('restated companies carry two different values for one fiscal year in companyfacts at any as-of in 2025–2027', async () => {
    const restated = withCase('restatement');
    expect(restated.length).toBeGreaterThan(0);
    for (const profile of restated) {
      for (const asOf of AS_OF_DATES) {
        const facts = (await sources.filings.companyFacts(profile, asOf))!;
        const byPeriod = new Map<string, Set<number>>();
        for (const e of revenueOf(facts))
          byPeriod.set(`${e.start}|${e.end}`, (byPeriod.get(`${e.start}|${e.end}`) ?? new Set()).add(e.val));
        expect(
          [...byPeriod.values()].some((values) => values.size > 1),
          `${profile.ticker} at ${asOf}`,
        ).toBe(true);
      }
    }
    const forms = new Set<string>();
    for (const profile of restated) {
      for (const asOf of AS_OF_DATES) for (const e of revenueOf((await sources.filings.companyFacts(profile, asOf))!)) forms.add(e.form);
    }
    // Both ways of restating appear: a 10-K/A, and the next 10-K's comparative column.
    expect(forms).toContain('10-K/A');
  });

  it('missing sources: no coverage means no notes, no vendor record means undefined', async () => {
    for (const profile of withCase('no_research_coverage')) expect(await sources.research.notes(profile, '2026-06-30')).toEqual([]);
    for (const profile of withCase('no_fundamentals'))
      expect(await sources.fundamentals.fundamentals(profile, '2026-06-30')).toBeUndefined();
  });

  it('outages throw SourceUnavailableError on some dates only, exactly when sourceOutages says so', async () => {
    const weekdays = Array.from({ length: 30 }, (_, i) =>
      new Date(Date.parse('2026-03-02T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10),
    ).filter((d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()));
    for (const [hardCase, source] of [
      ['fundamentals_outage', 'fundamentals'],
      ['news_outage', 'news'],
    ] as const) {
      const affected = withCase(hardCase);
      expect(affected.length).toBeGreaterThan(0);
      let down = 0;
      let up = 0;
      for (const profile of affected) {
        for (const asOf of weekdays) {
          const call = source === 'fundamentals' ? sources.fundamentals.fundamentals(profile, asOf) : sources.news.news(profile, asOf);
          const expected = sources.sourceOutages(profile.ticker, asOf).includes(source);
          if (expected) {
            await expect(call).rejects.toBeInstanceOf(SourceUnavailableError);
            down++;
          } else {
            await expect(call).resolves.not.toBeInstanceOf(Error);
            up++;
          }
        }
      }
      expect(down).toBeGreaterThan(0);
      expect(up).toBeGreaterThan(0);
    }
    for (const profile of ordinary(['fundamentals_outage', 'news_outage']))
      expect(sources.sourceOutages(profile.ticker, '2026-03-04')).toEqual([]);
  });

  it('stale data: the vendor record is weeks old, or the newest note is more than 180 days old', async () => {
    for (const asOf of AS_OF_DATES) {
      for (const profile of withCase('stale_fundamentals')) {
        const record = await sources.fundamentals.fundamentals(profile, asOf).catch(() => undefined);
        if (record) expect(days(record.asOf, asOf)).toBeGreaterThan(21);
      }
      for (const profile of withCase('stale_research')) {
        const notes = await sources.research.notes(profile, asOf);
        expect(notes.length).toBeGreaterThan(0);
        expect(days(notes[0]!.published, asOf)).toBeGreaterThan(180);
      }
      // Ordinary stocks stay fresh: a vendor record at most ten days old on any weekday.
      for (const profile of ordinary(['stale_fundamentals', 'no_fundamentals', 'fundamentals_outage'])) {
        expect(days((await sources.fundamentals.fundamentals(profile, asOf))!.asOf, asOf)).toBeLessThanOrEqual(10);
      }
    }
  });

  it('negative earnings: net loss and negative EPS in the latest fiscal year, and the MD&A says so', async () => {
    for (const profile of withCase('negative_earnings')) {
      const netIncome = await filedAnnual(profile, '2026-06-30', 'NetIncomeLoss');
      const eps = await filedAnnual(profile, '2026-06-30', 'EarningsPerShareDiluted', 'USD/shares');
      expect(netIncome.value).toBeLessThan(0);
      expect(eps.value).toBeLessThan(0);
      const tenK = (await sources.filings.filings(profile, '2026-06-30')).find((f) => f.form === '10-K')!;
      expect(tenK.sections.find((s) => s.item === '7')!.text).toMatch(/We reported a net loss of/);
    }
  });

  it('odd fiscal year ends, vendor figures in thousands, huge and tiny companies', async () => {
    for (const profile of withCase('odd_fiscal_year_end')) expect([2, 4, 5, 7, 8, 10, 11]).toContain(profile.fiscalYearEndMonth);
    for (const profile of withCase('vendor_scale_thousands')) {
      const record = await sources.fundamentals.fundamentals(profile, '2026-06-30').catch(() => undefined);
      if (!record) continue;
      expect(record.scale).toBe('thousands');
      const filed = await filedAnnual(profile, record.asOf, 'revenue');
      if (filed.fiscalYear === record.lastFiscalYear.fiscalYear)
        expect(Math.abs(record.lastFiscalYear.revenue * 1e3 - filed.value)).toBeLessThanOrEqual(500);
    }
    const ordinaryRecord = (await sources.fundamentals.fundamentals(
      ordinary(['vendor_scale_thousands', 'no_fundamentals', 'fundamentals_outage'])[0]!,
      '2026-06-30',
    ))!;
    expect(ordinaryRecord.scale).toBe('millions');
    for (const profile of withCase('huge_numbers'))
      expect((await filedAnnual(profile, '2026-06-30', 'revenue')).value).toBeGreaterThan(80e9);
    for (const profile of withCase('tiny_numbers')) expect((await filedAnnual(profile, '2026-06-30', 'revenue')).value).toBeLessThan(80e6);
  });
});
