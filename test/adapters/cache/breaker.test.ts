import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../lambdas/adapters/cache/breaker';

function clock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('stays closed through successes and isolated failures', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3 });
    for (let i = 0; i < 10; i += 1) {
      expect(breaker.tryAcquire()).toBe(true);
      if (i % 2 === 0) breaker.recordFailure();
      else breaker.recordSuccess();
    }
    expect(breaker.state).toBe('closed');
  });

  it('opens after N consecutive failures and refuses calls until the cooldown passes', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 5_000, now: time.now });
    for (let i = 0; i < 3; i += 1) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.recordFailure();
    }
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    time.advance(4_999);
    expect(breaker.tryAcquire()).toBe(false);
    time.advance(1);
    expect(breaker.state).toBe('half_open');
  });

  it('lets exactly one probe through when half-open', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 100, now: time.now });
    breaker.tryAcquire();
    breaker.recordFailure();
    time.advance(100);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('closes when the probe succeeds', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 100, now: time.now });
    breaker.tryAcquire();
    breaker.recordFailure();
    time.advance(100);
    breaker.tryAcquire();
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('re-opens for a full cooldown when the probe fails', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 100, now: time.now });
    for (let i = 0; i < 2; i += 1) {
      breaker.tryAcquire();
      breaker.recordFailure();
    }
    time.advance(150);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    time.advance(99);
    expect(breaker.tryAcquire()).toBe(false);
    time.advance(1);
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('a success resets the count of consecutive failures', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3 });
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
  });

  it('defaults to 3 failures and a 5 s cooldown', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ now: time.now });
    for (let i = 0; i < 3; i += 1) breaker.recordFailure();
    expect(breaker.state).toBe('open');
    time.advance(4_999);
    expect(breaker.state).toBe('open');
    time.advance(1);
    expect(breaker.state).toBe('half_open');
  });

  it('never lets a call through while open, whatever the sequence of outcomes (property)', () => {
    const step = fc.oneof(fc.constant('ok' as const), fc.constant('fail' as const), fc.integer({ min: 1, max: 3_000 }));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const time = clock();
        const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1_000, now: time.now });
        let lastOpened: number | undefined;
        for (const s of steps) {
          if (typeof s === 'number') {
            time.advance(s);
            continue;
          }
          const before = breaker.state;
          const allowed = breaker.tryAcquire();
          if (before === 'open') expect(allowed).toBe(false);
          if (lastOpened !== undefined && time.now() - lastOpened < 1_000 && before === 'open') expect(allowed).toBe(false);
          if (!allowed) continue;
          if (s === 'ok') breaker.recordSuccess();
          else breaker.recordFailure();
          if (breaker.state === 'open') lastOpened = time.now();
        }
      }),
    );
  });

  it('rejects nonsense settings', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0 })).toThrow(RangeError);
    expect(() => new CircuitBreaker({ cooldownMs: -1 })).toThrow(RangeError);
  });
});
