import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompanyProfile } from '../../../lambdas/core/model/index';
import { editDistance, TickerResolver } from '../../../lambdas/core/query/ticker-resolver';

function company(ticker: string, name: string): CompanyProfile {
  return { ticker, name, cik: '9900000001', sector: 'Industrials', industry: 'Machinery', exchange: 'NYSE', fiscalYearEndMonth: 12 };
}

const UNIVERSE = [
  company('KQRV', 'Kelorix Instruments Inc.'),
  company('KQRN', 'Kelorin Energy Corp.'),
  company('HJLN', 'Hajelon Beverages Corp.'),
  company('FQTA', 'Falquora Energy Holdings, Inc.'),
  company('GJAV', 'Gavendra Instruments Group, Inc.'),
  company('IT', 'Itronix Systems Inc.'),
];

describe('ticker resolution', () => {
  const resolver = new TickerResolver(UNIVERSE);
  const tickers = (question: string) => resolver.resolve(question).map((r) => r.ticker);

  it('finds symbols in capitals, with a $ in any case, or with a possessive', () => {
    expect(tickers("What drove KQRV's quarter?")).toEqual(['KQRV']);
    expect(tickers('thoughts on $hjln and $fqta')).toEqual(['HJLN', 'FQTA']);
    expect(tickers('kqrv margins')).toEqual(['KQRV']);
  });

  it('does not read everyday capitals as symbols', () => {
    expect(tickers('How is IT spending at the CEO level?')).toEqual([]);
    expect(tickers('How is $IT doing?')).toEqual(['IT']);
  });

  it('finds companies by name, ignoring generic words, and in order of mention', () => {
    expect(tickers('Compare Hajelon with Kelorix Instruments')).toEqual(['HJLN', 'KQRV']);
    expect(tickers('How are energy holdings doing?')).toEqual([]);
    expect(tickers('Falquora outlook')).toEqual(['FQTA']);
  });

  it('forgives typos in company names: swapped, missing, doubled or wrong letters', () => {
    expect(tickers('What about Kelorixx?')).toEqual(['KQRV']);
    expect(tickers('Hajleon beverages news')).toEqual(['HJLN']);
    expect(tickers('falqora results')).toEqual(['FQTA']);
    expect(tickers('Gavendar margins')).toEqual(['GJAV']);
  });

  it('prefers the company more of whose name the question contains when a misspelling is ambiguous', () => {
    // "Kelori" is one edit from both Kelorix and Kelorin; "Energy" settles it.
    expect(tickers('Kelori Energy results')).toEqual(['KQRN']);
  });

  it('never mistakes finance vocabulary for a company', () => {
    expect(tickers('What are margins, revenue growth and earnings guidance for the sector?')).toEqual([]);
  });

  it('finds every company of a universe by its symbol and by its distinctive name', () => {
    const stems = fc.uniqueArray(fc.stringMatching(/^[A-Z][a-z]{5,9}$/), { minLength: 5, maxLength: 40, selector: (s) => s.toLowerCase() });
    fc.assert(
      fc.property(stems, (names) => {
        const universe = names.map((stem, i) =>
          company(
            `X${String.fromCharCode(81 + (i % 2))}${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`,
            `${stem} Holdings Inc.`,
          ),
        );
        const r = new TickerResolver(universe);
        for (const profile of universe) {
          expect(r.resolve(`What about ${profile.ticker}?`).map((m) => m.ticker)).toEqual([profile.ticker]);
          expect(r.resolve(`How is ${profile.name.split(' ')[0]} doing?`).map((m) => m.ticker)).toContain(profile.ticker);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('measures edit distance with transpositions and stops early past the limit', () => {
    expect(editDistance('kelorix', 'kelorix', 2)).toBe(0);
    expect(editDistance('kelorix', 'kleorix', 2)).toBe(1);
    expect(editDistance('kelorix', 'kelrx', 2)).toBe(2);
    expect(editDistance('kelorix', 'hajelon', 1)).toBe(2);
  });
});
