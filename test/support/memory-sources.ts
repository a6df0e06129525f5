/** A tiny in-memory universe behind the real source ports, for pipeline tests that need control. */
import type { Sources } from '../../lambdas/core/ports';
import type { FundamentalsRecord, NewsItem, ResearchNote } from '../../lambdas/core/model';
import { SourceUnavailableError } from '../../lambdas/core/errors';
import { fundamentals, note, profile } from './snapshots';

export interface MemoryUniverse {
  sources: Sources;
  fundamentals: FundamentalsRecord | 'down';
  notes: ResearchNote[];
  news: NewsItem[];
}

export function memoryUniverse(): MemoryUniverse {
  const state: MemoryUniverse = {
    fundamentals: fundamentals(),
    notes: [note('bmx-1')],
    news: [
      {
        docId: 'nws-1',
        ticker: profile.ticker,
        published: '2026-11-20T13:00:00Z',
        source: 'Wire',
        headline: 'Quorvex names a new chief operating officer',
        body: 'The company named a new chief operating officer to run its sensing business, effective next month.',
      },
    ],
    sources: undefined as never,
  };
  state.sources = {
    universe: { list: async () => [profile], get: async (ticker) => (ticker === profile.ticker ? profile : undefined) },
    filings: { companyFacts: async () => undefined, filings: async () => [] },
    fundamentals: {
      fundamentals: async () => {
        if (state.fundamentals === 'down') throw new SourceUnavailableError('vendor API answered 503 three times');
        return state.fundamentals;
      },
    },
    research: { notes: async () => state.notes },
    news: { news: async () => state.news },
  };
  return state;
}
