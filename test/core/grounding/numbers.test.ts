/** Numeral parsing: the forms real models and filings write, each read to base units with its sign and precision. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPeriods, parseCell, readFigures, wordsToNumber } from '../../../lambdas/core/grounding';

const one = (text: string) => {
  const figures = readFigures(text);
  expect(figures).toHaveLength(1);
  return figures[0]!;
};

describe('readFigures', () => {
  it.each([
    ['$1.23B', 1.23e9, 'usd'],
    ['$42.3M', 42.3e6, 'usd'],
    ['$1.2bn', 1.2e9, 'usd'],
    ['$296.3 million', 296.3e6, 'usd'],
    ['152 cents', 1.52, 'usd'],
    ['12%', 12, 'pct'],
    ['twelve percent', 12, 'pct'],
    ['40 bps', 0.4, 'pp'],
    ['2.5 percentage points', 2.5, 'pp'],
    ['3.1x', 3.1, 'x'],
    ['1,234,567 shares', 1234567, 'shares'],
    ['two million shares', 2e6, 'shares'],
  ])('reads %s as %d %s', (text, value, unit) => {
    const f = one(`It was ${text} last year.`);
    expect(f.value).toBeCloseTo(value, 6);
    expect(f.unit).toBe(unit);
  });

  it('reads a parenthesised figure and a leading minus as negative', () => {
    expect(one('a loss of $(5.2) million').value).toBeCloseTo(-5.2e6);
    expect(one('a change of -12.6 million').value).toBeCloseTo(-12.6e6);
    expect(one('(1,234)').value).toBe(-1234);
  });

  it('does not read a prose aside in parentheses as a negative', () => {
    expect(one('margin rose (2.5 percentage points)').value).toBe(2.5);
  });

  it('reads "doubled" as a change of about 100 %', () => {
    const f = one('Revenue doubled.');
    expect(f.value).toBe(100);
    expect(f.multiple).toBe(true);
  });

  it('gives the tolerance of the stated precision', () => {
    expect(one('$1.2 billion').tolerance).toBeCloseTo(0.05e9, -3);
    expect(one('12.25%').tolerance).toBeCloseTo(0.005, 6);
  });

  it('does not read "one of the" or a lone abbreviation as figures', () => {
    expect(readFigures('one of the segments grew; about 5 m away')).toHaveLength(1);
  });

  it('round-trips any formatted dollar figure within its own tolerance', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 999.99, noNaN: true }),
        fc.constantFrom(['million', 1e6], ['billion', 1e9], ['M', 1e6], ['B', 1e9], ['bn', 1e9]),
        fc.integer({ min: 0, max: 2 }),
        (mantissa, [word, scale], decimals) => {
          const shown = mantissa.toFixed(decimals);
          const text = `$${shown}${word.length > 2 ? ' ' : ''}${word}`;
          const f = one(text);
          expect(Math.abs(f.value - Number(shown) * (scale as number))).toBeLessThanOrEqual(f.tolerance);
        },
      ),
    );
  });
});

describe('parseCell', () => {
  it('reads table cells: currency, parentheses, percentages, dashes', () => {
    expect(parseCell('$  1,452.4')?.value).toBe(1452.4);
    expect(parseCell('(1,234)')?.value).toBe(-1234);
    expect(parseCell('12.5%')?.unit).toBe('pct');
    expect(parseCell('—')).toBeUndefined();
    expect(parseCell('- - %')).toBeUndefined();
    expect(parseCell('Total revenue')).toBeUndefined();
  });
});

describe('wordsToNumber', () => {
  it('reads spelled-out numbers', () => {
    expect(wordsToNumber('twelve')).toBe(12);
    expect(wordsToNumber('twenty-five')).toBe(25);
    expect(wordsToNumber('three hundred and ten')).toBe(310);
    expect(wordsToNumber('several')).toBeUndefined();
  });
});

describe('findPeriods', () => {
  it('reads fiscal and calendar forms', () => {
    const ps = findPeriods(
      'FY25, FY2026, fiscal 2024, Q3 FY2026, the quarter ended March 31, 2025, December 2027, the third quarter of fiscal 2026, in 2023',
    );
    expect(ps.map((p) => [p.year, p.quarter ?? null])).toEqual([
      [2025, null],
      [2026, null],
      [2024, null],
      [2026, 3],
      [2025, 1],
      [2027, null],
      [2026, 3],
      [2023, null],
    ]);
  });

  it('treats a bare year before a comma or full stop as a period, never a figure', () => {
    expect(findPeriods('In 2023, revenue rose.').map((p) => p.year)).toEqual([2023]);
    expect(findPeriods('Revenue rose in 2023.').map((p) => p.year)).toEqual([2023]);
    expect(findPeriods('Revenue was $2023 million.')).toHaveLength(0);
  });
});
