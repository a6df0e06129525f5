import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoSources } from '../../../../lambdas/adapters/sources/demo/index';
import type { CompanyProfile } from '../../../../lambdas/core/model/index';

const sources = createDemoSources();
const profiles = await sources.universe.list();

interface Snapshot {
  notesAndNews: string;
  filings: string;
  fundamentals: string;
}

async function snapshot(profile: CompanyProfile, asOf: string): Promise<Snapshot> {
  const text = async (call: () => Promise<unknown>) => {
    try {
      return JSON.stringify(await call()) ?? 'undefined';
    } catch (error) {
      return `threw ${(error as Error).name}`;
    }
  };
  return {
    notesAndNews: (await text(() => sources.research.notes(profile, asOf))) + (await text(() => sources.news.news(profile, asOf))),
    filings: await text(() => sources.filings.filings(profile, asOf)),
    fundamentals: await text(() => sources.fundamentals.fundamentals(profile, asOf)),
  };
}

function previousBusinessDay(date: string): string {
  let day = new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day = new Date(day.getTime() - 86_400_000);
  return day.toISOString().slice(0, 10);
}

interface PairChange {
  day: string;
  notesOrNews: number;
  filings: number;
  fundamentals: number;
  anything: number;
  filedTickers: string[];
}

async function measure(day: string): Promise<PairChange> {
  const before = previousBusinessDay(day);
  const counts = { notesOrNews: 0, filings: 0, fundamentals: 0, anything: 0 };
  const filedTickers: string[] = [];
  for (const profile of profiles) {
    const a = await snapshot(profile, before);
    const b = await snapshot(profile, day);
    const changed = {
      notesOrNews: a.notesAndNews !== b.notesAndNews,
      filings: a.filings !== b.filings,
      fundamentals: a.fundamentals !== b.fundamentals,
    };
    for (const key of ['notesOrNews', 'filings', 'fundamentals'] as const) if (changed[key]) counts[key]++;
    if (changed.filings) filedTickers.push(profile.ticker);
    if (changed.notesOrNews || changed.filings || changed.fundamentals) counts.anything++;
  }
  const n = profiles.length;
  return {
    day,
    notesOrNews: counts.notesOrNews / n,
    filings: counts.filings / n,
    fundamentals: counts.fundamentals / n,
    anything: counts.anything / n,
    filedTickers,
  };
}

// Quiet weeks and earnings seasons, two calendar years.
const DAYS = ['2025-09-16', '2026-01-06', '2026-03-10', '2026-05-05', '2026-06-16', '2026-08-04', '2026-10-27'];

describe('demo universe: what changes from one business day to the next', () => {
  const pairs: PairChange[] = [];
  beforeAll(async () => {
    for (const day of DAYS) pairs.push(await measure(day));
  }, 120_000);

  it('gives 15–25 % of stocks a new note or news item on every pair of consecutive business days', () => {
    for (const pair of pairs) {
      expect(pair.notesOrNews, pair.day).toBeGreaterThanOrEqual(0.15);
      expect(pair.notesOrNews, pair.day).toBeLessThanOrEqual(0.25);
    }
  });

  it('gives a few stocks a new filing: about 0.5–3 % a day on average, more in earnings season, rarely none', () => {
    const mean = pairs.reduce((sum, p) => sum + p.filings, 0) / pairs.length;
    expect(mean).toBeGreaterThanOrEqual(0.005);
    expect(mean).toBeLessThanOrEqual(0.03);
    for (const pair of pairs) expect(pair.filings, pair.day).toBeLessThanOrEqual(0.08);
    expect(pairs.filter((p) => p.filings > 0).length).toBeGreaterThanOrEqual(pairs.length - 1);
  });

  it('leaves most stocks byte-identical: the vendor record only moves with events or its weekly refresh', () => {
    for (const pair of pairs) {
      expect(pair.fundamentals, pair.day).toBeLessThanOrEqual(0.32);
      expect(pair.anything, pair.day).toBeLessThanOrEqual(0.32);
      expect(pair.anything, pair.day).toBeGreaterThanOrEqual(pair.notesOrNews);
    }
  });

  it('changes the companyfacts payload exactly when a new filing arrives', async () => {
    const pair = pairs.find((p) => p.day === '2026-05-05')!;
    expect(pair.filedTickers.length).toBeGreaterThan(0);
    const filed = new Set(pair.filedTickers);
    const before = previousBusinessDay(pair.day);
    for (const profile of profiles.filter((p, i) => filed.has(p.ticker) || i % 40 === 0)) {
      const a = JSON.stringify(await sources.filings.companyFacts(profile, before));
      const b = JSON.stringify(await sources.filings.companyFacts(profile, pair.day));
      expect(a !== b, profile.ticker).toBe(filed.has(profile.ticker));
    }
  });
});
