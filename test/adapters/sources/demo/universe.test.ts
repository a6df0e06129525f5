import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDemoSources, DEMO_SEED, plantedHardCases } from '../../../../lambdas/adapters/sources/demo/index';
import type { DemoSources } from '../../../../lambdas/adapters/sources/demo/index';
import type { CompanyProfile } from '../../../../lambdas/core/model/index';
import { GICS_SECTORS } from '../../../../lambdas/core/model/index';
import { InputValidationError, NotFoundError, SourceUnavailableError } from '../../../../lambdas/core/errors';

const sources = createDemoSources();
const profiles = await sources.universe.list();

/** Everything every port returns for one stock and as-of, as JSON (a thrown outage becomes its name). */
async function everything(s: DemoSources, profile: CompanyProfile, asOf: string): Promise<string> {
  const settle = async (call: () => Promise<unknown>) => {
    try {
      return await call();
    } catch (error) {
      if (error instanceof SourceUnavailableError) return error.name;
      throw error;
    }
  };
  return JSON.stringify([
    await s.filings.companyFacts(profile, asOf),
    await s.filings.filings(profile, asOf),
    await settle(() => s.fundamentals.fundamentals(profile, asOf)),
    await s.research.notes(profile, asOf),
    await settle(() => s.news.news(profile, asOf)),
  ]);
}

const asOfDates = fc
  .date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('demo universe: the companies', () => {
  it('has 1,000 companies with unique 3–5 letter tickers, names and CIKs', () => {
    expect(profiles).toHaveLength(1000);
    expect(new Set(profiles.map((p) => p.ticker)).size).toBe(1000);
    expect(new Set(profiles.map((p) => p.name)).size).toBe(1000);
    expect(new Set(profiles.map((p) => p.cik)).size).toBe(1000);
    for (const p of profiles) {
      expect(p.ticker).toMatch(/^[A-Z]{3,5}$/);
      // The opening pair (an initial, then Q or J) is one no listed US ticker uses.
      expect(p.ticker).toMatch(/^(FQ|GQ|HJ|KQ|KJ|LJ|OQ|OJ|PQ|UQ|UJ|VJ|WQ|WJ|XQ|ZQ)/);
      expect(p.ticker.startsWith(p.name[0]!)).toBe(true);
      // 7-digit CIKs from 9,900,000: far above any CIK the SEC has assigned.
      expect(p.cik).toMatch(/^00099\d{5}$/);
      expect(p.name).toMatch(/^[A-Z][a-z]+( [A-Z&][A-Za-z&.,]*)*( (Inc\.|Corp\.|Corporation|Co\.|Trust))$/);
    }
  });

  it('covers all eleven GICS sectors, with industries of the sector and both exchanges', () => {
    const sectors = new Set(profiles.map((p) => p.sector));
    expect([...sectors].sort()).toEqual([...GICS_SECTORS].sort());
    for (const sector of GICS_SECTORS) expect(profiles.filter((p) => p.sector === sector).length).toBeGreaterThan(20);
    expect(
      profiles.filter((p) => p.industry === 'Regional Banks' || p.industry === 'Diversified Banks').every((p) => p.sector === 'Financials'),
    ).toBe(true);
    expect(profiles.filter((p) => /REITs/.test(p.industry)).every((p) => p.sector === 'Real Estate')).toBe(true);
    expect(new Set(profiles.map((p) => p.exchange))).toEqual(new Set(['NYSE', 'NASDAQ']));
  });

  it('ends most fiscal years in December, a realistic share in January, March, June and September, and a few in odd months', () => {
    const share = (months: number[]) => profiles.filter((p) => months.includes(p.fiscalYearEndMonth)).length / profiles.length;
    expect(share([12])).toBeGreaterThan(0.45);
    expect(share([12])).toBeLessThan(0.75);
    for (const month of [1, 3, 6, 9]) expect(share([month])).toBeGreaterThan(0.02);
    expect(share([2, 4, 5, 7, 8, 10, 11])).toBeGreaterThan(0.02);
    expect(share([2, 4, 5, 7, 8, 10, 11])).toBeLessThan(0.12);
  });

  it('answers get() for a listed ticker and undefined for any other', async () => {
    expect(await sources.universe.get(profiles[7]!.ticker)).toEqual(profiles[7]);
    expect(await sources.universe.get('AAPL')).toBeUndefined();
  });
});

describe('demo universe: determinism', () => {
  const sample = [0, 1, 2, 10, 11, 123, 456, 999].map((i) => profiles[i]!);

  it('gives identical bytes for the same seed, even from a fresh instance', async () => {
    const again = createDemoSources({ seed: DEMO_SEED });
    expect(JSON.stringify(await again.universe.list())).toBe(JSON.stringify(profiles));
    for (const profile of sample) {
      for (const asOf of ['2025-02-14', '2026-11-24'])
        expect(await everything(again, profile, asOf)).toBe(await everything(sources, profile, asOf));
    }
  });

  it('gives a different universe for a different seed', async () => {
    const other = createDemoSources({ seed: DEMO_SEED + 1 });
    const otherProfiles = await other.universe.list();
    expect(otherProfiles).toHaveLength(1000);
    const shared = otherProfiles.filter((p, i) => p.ticker === profiles[i]!.ticker).length;
    expect(shared).toBeLessThan(50);
    expect(JSON.stringify(otherProfiles)).not.toBe(JSON.stringify(profiles));
  });

  it('generates a stock without depending on the rest of the universe: a 40-company universe serves the same bytes for its stocks', async () => {
    const small = createDemoSources({ size: 40 });
    const smallProfiles = await small.universe.list();
    expect(smallProfiles).toEqual(profiles.slice(0, 40));
    for (const profile of smallProfiles.slice(0, 12))
      expect(await everything(small, profile, '2026-06-30')).toBe(await everything(sources, profile, '2026-06-30'));
  });

  it('treats a weekend as-of like the Friday before for daily content', async () => {
    const profile = profiles[5]!;
    expect(JSON.stringify(await sources.news.news(profile, '2026-03-08').catch(() => 'down'))).toBe(
      JSON.stringify(await sources.news.news(profile, '2026-03-06').catch(() => 'down')),
    );
    expect(await sources.research.notes(profile, '2026-03-07')).toEqual(await sources.research.notes(profile, '2026-03-06'));
  });
});

describe('demo universe: nothing from the future, always something from the past', () => {
  it('returns only what was filed or published on or before the as-of date, newest first and in bounded counts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 999 }), asOfDates, async (i, asOf) => {
        const profile = profiles[i]!;
        const facts = await sources.filings.companyFacts(profile, asOf);
        expect(facts).toBeDefined();
        for (const taxonomy of Object.values(facts!.facts)) {
          for (const concept of Object.values(taxonomy))
            for (const entries of Object.values(concept.units)) for (const e of entries) expect(e.filed <= asOf).toBe(true);
        }
        const filings = await sources.filings.filings(profile, asOf);
        expect(filings.length).toBeGreaterThan(0);
        expect(filings.every((f) => f.filed <= asOf)).toBe(true);
        const fundamentals = await sources.fundamentals.fundamentals(profile, asOf).catch(() => undefined);
        if (fundamentals) expect(fundamentals.asOf <= asOf).toBe(true);
        const notes = await sources.research.notes(profile, asOf);
        expect(notes.length).toBeLessThanOrEqual(3);
        expect(notes.every((n) => n.published <= asOf)).toBe(true);
        expect([...notes].sort((a, b) => b.published.localeCompare(a.published))).toEqual(notes);
        const news = await sources.news.news(profile, asOf).catch(() => undefined);
        if (news) {
          expect(news).toHaveLength(5);
          expect(news.every((n) => n.published.slice(0, 10) <= asOf)).toBe(true);
          expect([...news].sort((a, b) => b.published.localeCompare(a.published))).toEqual(news);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('gives every covered company notes and every company filings and news at any as-of in 2025–2027', async () => {
    for (const asOf of ['2025-01-02', '2026-07-01', '2027-12-31']) {
      for (const profile of profiles.filter((_, i) => i % 20 === 0)) {
        const cases = plantedHardCases(profile.ticker);
        expect((await sources.filings.filings(profile, asOf)).some((f) => f.form === '10-K')).toBe(true);
        if (!cases.includes('no_research_coverage')) expect(await sources.research.notes(profile, asOf)).toHaveLength(3);
        if (!cases.includes('news_outage')) expect(await sources.news.news(profile, asOf)).toHaveLength(5);
      }
    }
  });

  it('rejects an as-of that is not a calendar date and a company outside the universe', async () => {
    const profile = profiles[0]!;
    await expect(sources.research.notes(profile, '2026-02-30')).rejects.toBeInstanceOf(InputValidationError);
    await expect(sources.news.news(profile, '26-01-01')).rejects.toBeInstanceOf(InputValidationError);
    await expect(sources.filings.filings({ ...profile, ticker: 'AAPL' }, '2026-01-02')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a seed or size it cannot honour', () => {
    expect(() => createDemoSources({ seed: -1 })).toThrow(RangeError);
    expect(() => createDemoSources({ size: 0 })).toThrow(RangeError);
    expect(() => createDemoSources({ size: 1.5 })).toThrow(RangeError);
  });
});

describe('demo universe: a sanity run over the whole universe (not a timed assertion)', () => {
  it('generates every source of every stock for one as-of', async () => {
    let bytes = 0;
    for (const profile of profiles) bytes += (await everything(sources, profile, '2026-11-24')).length;
    // Roughly 100 KB a stock: companyfacts dominates, as on EDGAR.
    expect(bytes / profiles.length).toBeGreaterThan(20_000);
    expect(bytes / profiles.length).toBeLessThan(400_000);
  });
});
