import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { meanInterval, quantile, quantileInterval, wilson } from '../../../lambdas/core/evaluation/stats';

describe('Wilson intervals', () => {
  it('match the textbook values', () => {
    // Agresti & Coull (1998): 50 of 100 → [0.404, 0.596]; 10 of 10 → [0.722, 1].
    expect(wilson(50, 100)).toMatchObject({ value: 0.5, low: expect.closeTo(0.4038, 3), high: expect.closeTo(0.5962, 3) });
    expect(wilson(10, 10)).toMatchObject({ value: 1, low: expect.closeTo(0.7225, 3), high: 1 });
    expect(wilson(0, 20).high).toBeCloseTo(0.1611, 3);
  });

  it('claim nothing on no evidence', () => {
    expect(wilson(0, 0)).toEqual({ value: 0, low: 0, high: 1, n: 0 });
  });

  it('always bracket the rate inside [0, 1] and narrow as n grows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, p) => {
        const k = Math.round(n * p);
        const e = wilson(k, n);
        expect(e.low).toBeGreaterThanOrEqual(0);
        expect(e.high).toBeLessThanOrEqual(1);
        expect(e.low).toBeLessThanOrEqual(e.value + 1e-6);
        expect(e.high).toBeGreaterThanOrEqual(e.value - 1e-6);
        const wider = wilson(k, n);
        const narrower = wilson(k * 4, n * 4);
        expect(narrower.high - narrower.low).toBeLessThanOrEqual(wider.high - wider.low + 1e-6);
      }),
    );
  });

  it('refuse counts that are not a rate', () => {
    expect(() => wilson(3, 2)).toThrow(RangeError);
    expect(() => wilson(-1, 2)).toThrow(RangeError);
  });
});

describe('means and quantiles', () => {
  it('give the mean with a standard-error interval', () => {
    const e = meanInterval([1, 2, 3, 4, 5]);
    expect(e.value).toBe(3);
    expect(e.low).toBeCloseTo(3 - 1.96 * Math.sqrt(2.5 / 5), 2);
    expect(meanInterval([7])).toEqual({ value: 7, low: 7, high: 7, n: 1 });
  });

  it('interpolate quantiles and bracket them with order statistics', () => {
    const values = Array.from({ length: 101 }, (_, i) => i);
    expect(quantile(values, 0.95)).toBe(95);
    const e = quantileInterval(values, 0.95);
    expect(e.low).toBeLessThanOrEqual(95);
    expect(e.high).toBeGreaterThanOrEqual(95);
    expect(e.high).toBeLessThanOrEqual(100);
  });
});
