import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embeddingCacheKey } from '../../../lambdas/core/embedding/cache-key';
import { hashTagOf } from '../../../lambdas/adapters/cache/redis-hash-cache';

const parts = {
  ticker: 'ACME',
  docId: '0001234567-26-000123',
  chunkIndex: 4,
  chunkerVersion: 'sec-v1',
  modelId: 'amazon.titan-embed-text-v2:0',
};

describe('embeddingCacheKey', () => {
  it('names ticker, chunker version, model, document and chunk position', () => {
    expect(embeddingCacheKey(parts)).toBe('emb:{ACME}:sec-v1:amazon.titan-embed-text-v2:0:0001234567-26-000123#4');
  });

  it('puts all of a stock’s keys in one Redis hash slot, so one MGET serves a stock in cluster mode', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.nat(500), fc.string(), (docId, chunkIndex, modelId) => {
        expect(hashTagOf(embeddingCacheKey({ ...parts, docId, chunkIndex, modelId }))).toBe('ACME');
      }),
    );
  });

  it('changes when the chunker version or the model changes, so either change re-embeds', () => {
    const key = embeddingCacheKey(parts);
    expect(embeddingCacheKey({ ...parts, chunkerVersion: 'sec-v2' })).not.toBe(key);
    expect(embeddingCacheKey({ ...parts, modelId: 'local/feature-hash-v1' })).not.toBe(key);
    expect(embeddingCacheKey({ ...parts, chunkIndex: 5 })).not.toBe(key);
  });

  it('rejects tickers that would break the hash tag and negative positions', () => {
    expect(() => embeddingCacheKey({ ...parts, ticker: '' })).toThrow(RangeError);
    expect(() => embeddingCacheKey({ ...parts, ticker: 'A{B' })).toThrow(RangeError);
    expect(() => embeddingCacheKey({ ...parts, chunkIndex: -1 })).toThrow(RangeError);
  });
});
