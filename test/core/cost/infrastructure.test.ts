/**
 * The price table's AWS units and the infrastructure cost of a stock and a query: every price names
 * its public source and date, per-use charges follow what was measured, fixed charges are shared.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPriceTable } from '../../../lambdas/adapters/price-table-file';
import { queryInfrastructure, stockInfrastructure, totalUsd } from '../../../lambdas/core/cost/infrastructure';
import { costOfUsage, priceOf, worstCaseCallUsd } from '../../../lambdas/core/cost/price-table';

const table = loadPriceTable('config/prices.yaml');

const typicalStock = { attempt: 1, modelLatencyMs: 30_000, dynamo: { readUnits: 6, writeUnits: 80 }, cacheLookups: 17, cacheWrites: 17 };

describe('the price table', () => {
  it('prices every AWS unit a run uses, each with its public source and effective date', () => {
    const infrastructure = table.infrastructure!;
    expect(Object.keys(infrastructure.prices).sort()).toEqual(
      [
        'apiGatewayRequest',
        'cloudWatchLogsIngestedGb',
        'cloudWatchMetricMonth',
        'dynamoDbReadRequestUnit',
        'dynamoDbWriteRequestUnit',
        'elastiCacheEcpu',
        'elastiCacheGbHour',
        'lambdaGbSecond',
        'lambdaRequest',
        's3PutRequest',
        'stepFunctionsTransition',
      ].sort(),
    );
    for (const price of Object.values(infrastructure.prices)) {
      expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
      expect(price.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(price.usd).toBeGreaterThan(0);
    }
  });

  it('prices the Claude models for input, output, cache read and cache write, and Titan embeddings', () => {
    for (const id of ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'us.anthropic.claude-haiku-4-5-20251001-v1:0']) {
      const price = priceOf(table, id)!;
      expect(price.cacheReadPerMTok).toBeLessThan(price.inputPerMTok);
      expect(price.cacheWritePerMTok).toBeGreaterThan(price.inputPerMTok);
      expect(price.outputPerMTok).toBeGreaterThan(price.inputPerMTok);
    }
    expect(priceOf(table, 'local/feature-hash-v1')).toBe(priceOf(table, 'amazon.titan-embed-text-v2:0'));
  });

  it('plans with a worst case no real call can exceed', () => {
    fc.assert(
      fc.property(fc.nat(50_000), fc.nat(4_096), fc.nat(50_000), (input, output, cached) => {
        const id = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
        const usage = { inputTokens: input, outputTokens: output, cacheReadInputTokens: cached, cacheWriteInputTokens: 0 };
        expect(costOfUsage(table, id, usage)).toBeLessThanOrEqual(worstCaseCallUsd(table, id, input + cached, 4_096) + 1e-12);
      }),
    );
  });
});

describe('infrastructure cost of a stock', () => {
  it('charges Lambda for the time spent waiting on models plus the stated overhead, at the processor memory', () => {
    const lines = stockInfrastructure(table, typicalStock);
    const gbSeconds = lines.find((l) => l.service === 'lambda' && l.unit === 'GB-second')!;
    expect(gbSeconds.quantity).toBeCloseTo((1769 / 1024) * (30 + 2.5), 6);
  });

  it('charges the DynamoDB request units that were measured, at the on-demand prices', () => {
    const lines = stockInfrastructure(table, typicalStock);
    expect(lines.find((l) => l.unit === 'write request unit')!.usd).toBeCloseTo(80 * 0.000000625, 12);
    expect(lines.find((l) => l.unit === 'read request unit')!.usd).toBeCloseTo(6 * 0.000000125, 12);
  });

  it('shares fixed daily and monthly charges out on the first attempt only, and charges a retry its own transition', () => {
    const first = stockInfrastructure(table, typicalStock);
    const retry = stockInfrastructure(table, { ...typicalStock, attempt: 2 });
    expect(first.some((l) => l.unit === 'GB-hour')).toBe(true);
    expect(retry.some((l) => l.unit === 'GB-hour' || l.unit === 'metric-month' || l.unit === 'PUT request')).toBe(false);
    expect(retry.find((l) => l.unit === 'transition')!.quantity).toBe(1);
    expect(first.find((l) => l.unit === 'transition')!.quantity).toBeGreaterThan(2);
  });

  it('stays a small share of the $0.10 target: under half a cent a stock', () => {
    expect(totalUsd(stockInfrastructure(table, typicalStock))).toBeLessThan(0.005);
    expect(totalUsd(stockInfrastructure(table, typicalStock))).toBeGreaterThan(0.0005);
  });

  it('is nothing at all when the table has no infrastructure section', () => {
    const { infrastructure: _omitted, ...bare } = table;
    expect(stockInfrastructure(bare, typicalStock)).toEqual([]);
    expect(queryInfrastructure(bare, { modelLatencyMs: 1_000, dynamo: { readUnits: 1, writeUnits: 1 } })).toEqual([]);
  });
});

describe('infrastructure cost of a query', () => {
  it('includes the API Gateway request and the query Lambda', () => {
    const lines = queryInfrastructure(table, { modelLatencyMs: 3_000, dynamo: { readUnits: 20, writeUnits: 4 } });
    expect(lines.find((l) => l.service === 'apigateway')!.usd).toBeCloseTo(0.0000035, 12);
    expect(lines.find((l) => l.service === 'lambda' && l.unit === 'GB-second')!.quantity).toBeCloseTo((1769 / 1024) * 3.3, 6);
    expect(totalUsd(lines)).toBeLessThan(0.001);
  });
});
