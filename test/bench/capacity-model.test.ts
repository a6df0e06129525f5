/**
 * The capacity model: waves of stocks under MaxConcurrency, quotas that bind, throttling handled by
 * retries and fallback, and wall times that never beat the limits' lower bounds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulateCapacity } from '../../bench/capacity-model';
import type { CapacityInput, StockDemand } from '../../bench/capacity-model';
import { seededRandom } from '../../local/bedrock-sim/random';

const demand: StockDemand = {
  embedModel: 'titan',
  embedCalls: 16,
  embedTokensPerCall: 400,
  calls: [{ model: 'sonnet', inputTokens: 14_000, outputTokens: 1_800, maxTokens: 4_096, burndown: 5 }],
  overheadMs: 2_000,
};

/** Retry until admitted (to measure what a quota allows, not how a retry policy gives up). */
const patient = { sdkAttempts: 3, sdkBaseDelayMs: 500, stateMachineRetries: 10_000, stateMachineIntervalMs: 2_000, stateMachineBackoff: 1 };

function input(overrides: Partial<CapacityInput> = {}): CapacityInput {
  const random = seededRandom(7);
  return {
    stocks: 1_000,
    concurrency: 100,
    demands: [demand],
    quotas: {},
    // Fixed latencies: 30 s a writer call, 100 ms an embedding.
    latencyMs: (call) => (call.model === 'titan' ? 100 : 30_000),
    embedConcurrency: 8,
    fallback: {},
    retry: { sdkAttempts: 3, sdkBaseDelayMs: 500, stateMachineRetries: 3, stateMachineIntervalMs: 2_000, stateMachineBackoff: 2 },
    random: () => random.next(),
    ...overrides,
  };
}

describe('the capacity model', () => {
  it('runs stocks in waves of MaxConcurrency when no quota binds', () => {
    const result = simulateCapacity(input());
    // Each stock: 2 s overhead + 2 embedding waves of 100 ms + 30 s writing; 10 waves of 100.
    expect(result.wallMs).toBeCloseTo(10 * 32_200, -2);
    expect(result.failed).toBe(0);
    expect(result.binding.limit).toBe('concurrency');
    expect(result.requests.sonnet).toBe(1_000);
  });

  it('finds the tokens-per-minute quota binding when it is tight, and never finishes faster than it allows', () => {
    const result = simulateCapacity(input({ quotas: { sonnet: { tokensPerMinute: 500_000 } }, retry: patient }));
    expect(result.failed).toBe(0);
    expect(result.binding).toMatchObject({ limit: 'tokens-per-minute', model: 'sonnet' });
    // 1,000 × (14,000 + 1,800 × 5) = 23 M quota tokens at 0.5 M a minute: at least 46 minutes.
    expect(result.bounds.tokensPerMinuteMs.sonnet).toBeCloseTo(46 * 60_000, -3);
    expect(result.wallMs).toBeGreaterThanOrEqual(result.binding.boundMs - 60_000);
    expect(result.throttles.sonnet).toBeGreaterThan(0);
  });

  it('finds the requests-per-minute quota binding for embeddings', () => {
    // 300 stocks × 16 embeddings at up to ~3,000 a minute unthrottled: 1,500 a minute binds.
    const result = simulateCapacity(input({ stocks: 300, quotas: { titan: { requestsPerMinute: 1_500 } }, retry: patient }));
    expect(result.failed).toBe(0);
    expect(result.binding).toMatchObject({ limit: 'requests-per-minute', model: 'titan' });
    expect(result.wallMs).toBeGreaterThanOrEqual(result.binding.boundMs - 60_000);
  });

  it('fails stocks whose retries run out under a quota far too small, and says so', () => {
    const result = simulateCapacity(input({ quotas: { sonnet: { tokensPerMinute: 100_000 } } }));
    expect(result.failed).toBeGreaterThan(0);
    expect(result.stockRetries).toBeGreaterThan(0);
  });

  it('does not embed again when a stock is retried after its writer call was throttled (the chunks are cached)', () => {
    const result = simulateCapacity(input({ stocks: 200, quotas: { sonnet: { tokensPerMinute: 500_000 } }, retry: patient }));
    expect(result.stockRetries).toBeGreaterThan(0);
    expect(result.requests.titan).toBe(200 * 16);
  });

  it('moves throttled writer calls to the fallback model', () => {
    const result = simulateCapacity(input({ quotas: { sonnet: { requestsPerMinute: 50 } }, fallback: { sonnet: 'haiku' } }));
    expect(result.fallbacks).toBeGreaterThan(0);
    expect(result.requests.haiku).toBeGreaterThan(0);
  });

  it('gives the same answer for the same seed', () => {
    const a = simulateCapacity(input({ stocks: 300, quotas: { sonnet: { tokensPerMinute: 800_000 } } }));
    const b = simulateCapacity(input({ stocks: 300, quotas: { sonnet: { tokensPerMinute: 800_000 } } }));
    expect(a).toEqual(b);
  });

  it('never beats a limit by more than the one-minute window, whatever the quotas', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 200 }),
        fc.integer({ min: 5, max: 60 }),
        fc.integer({ min: 100_000, max: 3_000_000 }),
        fc.integer({ min: 20, max: 2_000 }),
        (stocks, concurrency, tpm, rpm) => {
          const result = simulateCapacity(
            input({ stocks, concurrency, quotas: { sonnet: { tokensPerMinute: tpm, requestsPerMinute: rpm } }, retry: patient }),
          );
          expect(result.failed).toBe(0);
          expect(result.wallMs).toBeGreaterThanOrEqual(result.binding.boundMs - 60_000);
          expect(result.wallMs).toBeGreaterThanOrEqual(result.bounds.concurrencyMs * 0.99);
        },
      ),
      { numRuns: 25 },
    );
  });
});
