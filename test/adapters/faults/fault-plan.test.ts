import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { FaultPlan, FaultPlanTextSchema } from '../../../lambdas/adapters/faults/fault-plan';
import { injectDynamoFaults } from '../../../lambdas/adapters/faults/dynamo-faults';
import { withCacheBlackhole } from '../../../lambdas/adapters/faults/cache-faults';
import { withVendorOutage } from '../../../lambdas/adapters/faults/source-faults';
import { createDocumentClient, createDynamoClient } from '../../../lambdas/adapters/store/dynamo-repositories';
import { parseRuntimeConfig } from '../../../lambdas/wiring/config';
import { SourceUnavailableError } from '../../../lambdas/core/errors';
import type { EmbeddingHashCache, Sources } from '../../../lambdas/core/ports/index';
import { tableNamesFor } from '../../../lambdas/core/contracts/tables';
import { startTestDynamo } from '../../support/dynalite';

const tickers = Array.from({ length: 4000 }, (_, i) => `T${i}`);

describe('a fault plan', () => {
  it('draws the same faults from the same seed, whatever order the work asks in', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.shuffledSubarray(tickers, { minLength: 50, maxLength: 200 }),
        (seed, asked) => {
          const a = new FaultPlan({ seed, vendorOutageRate: 0.1 });
          const b = new FaultPlan({ seed, vendorOutageRate: 0.1 });
          const downA = asked.filter((t) => a.vendorDown(t)).sort();
          const downB = [...asked]
            .reverse()
            .filter((t) => b.vendorDown(t))
            .sort();
          expect(downA).toEqual(downB);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('replays the same DynamoDB fault sequence in a restarted process, and another seed gives another', () => {
    const sequence = (seed: number) => {
      const plan = new FaultPlan({ seed, dynamoThrottleRate: 0.05, dynamoErrorRate: 0.01 });
      return Array.from({ length: 2000 }, () => plan.nextDynamoFault() ?? '-').join(',');
    };
    expect(sequence(7)).toBe(sequence(7));
    expect(sequence(7)).not.toBe(sequence(8));
  });

  it('injects at the configured rates, within sampling error', () => {
    const plan = new FaultPlan({ seed: 3, dynamoThrottleRate: 0.02, dynamoErrorRate: 0.01, vendorOutageRate: 0.03 });
    const n = 40_000;
    const draws = Array.from({ length: n }, () => plan.nextDynamoFault());
    const share = (kind: string) => draws.filter((d) => d === kind).length / n;
    // 4 standard errors either side: a correct generator fails this about once in 15,000 runs.
    expect(Math.abs(share('dynamo_throttle') - 0.02)).toBeLessThan(4 * Math.sqrt((0.02 * 0.98) / n));
    expect(Math.abs(share('dynamo_5xx') - 0.0098)).toBeLessThan(4 * Math.sqrt((0.01 * 0.99) / n));
    const down = tickers.filter((t) => plan.vendorDown(t)).length / tickers.length;
    expect(Math.abs(down - 0.03)).toBeLessThan(4 * Math.sqrt((0.03 * 0.97) / tickers.length));
  });

  it('is read from FA_FAULTS with zod: unset means no faults, bad JSON or a bad rate is a one-line reason', () => {
    expect(parseRuntimeConfig({}).FA_FAULTS).toBeUndefined();
    expect(parseRuntimeConfig({ FA_FAULTS: '{"seed":4,"dynamoErrorRate":0.01}' }).FA_FAULTS).toMatchObject({
      seed: 4,
      dynamoErrorRate: 0.01,
      dynamoThrottleRate: 0,
    });
    expect(() => parseRuntimeConfig({ FA_FAULTS: '{seed:4' })).toThrow(/^invalid environment variable FA_FAULTS: must be a JSON object/);
    expect(() => parseRuntimeConfig({ FA_FAULTS: '{"dynamoErrorRate":2}' })).toThrow(/FA_FAULTS/);
    expect(FaultPlanTextSchema.safeParse('{"surprise":1}').success).toBe(false);
  });
});

describe('the injected faults', () => {
  it('throttle and fail DynamoDB requests through the SDK middleware, which the SDK retries until they succeed', async () => {
    const dynamo = await startTestDynamo();
    try {
      const plan = new FaultPlan({ seed: 11, dynamoThrottleRate: 0.15, dynamoErrorRate: 0.05 });
      const client = createDynamoClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
      injectDynamoFaults(client, plan);
      const doc = createDocumentClient(client);
      const table = tableNamesFor('').runs;
      for (let i = 0; i < 30; i++) await doc.send(new PutCommand({ TableName: table, Item: { pk: `RUN#f${i}`, sk: 'AUDIT', n: i } }));
      for (let i = 0; i < 30; i++)
        expect((await doc.send(new GetCommand({ TableName: table, Key: { pk: `RUN#f${i}`, sk: 'AUDIT' } }))).Item?.n).toBe(i);
      const injected = plan.injected();
      expect((injected.dynamo_throttle ?? 0) + (injected.dynamo_5xx ?? 0)).toBeGreaterThan(3);
      doc.destroy();
    } finally {
      await dynamo.close();
    }
  });

  it('answer nothing from a black-holed cache inside its window (a degraded miss after the deadline) and pass through outside it', async () => {
    let clock = 1_000;
    const plan = new FaultPlan({ cacheBlackhole: { fromEpochMs: 2_000, untilEpochMs: 3_000, timeoutMs: 20 } });
    const real: EmbeddingHashCache = { getMany: async (keys) => keys.map(() => 'h'), setMany: async () => {}, close: async () => {} };
    const degraded: string[] = [];
    const cache = withCacheBlackhole(
      real,
      plan,
      (reason) => degraded.push(reason),
      () => clock,
    );
    expect(await cache.getMany(['a', 'b'])).toEqual(['h', 'h']);
    clock = 2_500;
    const started = Date.now();
    expect(await cache.getMany(['a', 'b'])).toEqual([null, null]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(18);
    expect(degraded).toEqual(['timeout']);
    clock = 3_000;
    expect(await cache.getMany(['a'])).toEqual(['h']);
  });

  it("take the planned stocks' vendor sources down on every call and leave the others alone", async () => {
    const plan = new FaultPlan({ seed: 5, vendorOutageRate: 0.5, vendorOutageSources: ['fundamentals'] });
    const sources = {
      fundamentals: { fundamentals: async () => undefined },
      news: { news: async () => [] },
    } as unknown as Sources;
    const faulty = withVendorOutage(sources, plan);
    const down = tickers.slice(0, 40).filter((t) => plan.vendorDown(t));
    expect(down.length).toBeGreaterThan(5);
    const company = (ticker: string) => ({ ticker }) as never;
    for (const t of tickers.slice(0, 40)) {
      const call = faulty.fundamentals.fundamentals(company(t), '2026-01-02');
      if (down.includes(t)) await expect(call).rejects.toBeInstanceOf(SourceUnavailableError);
      else await expect(call).resolves.toBeUndefined();
      await expect(faulty.news.news(company(t), '2026-01-02')).resolves.toEqual([]);
    }
  });
});
