import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FEATURE_HASH_MODEL_ID, featureHashEmbedding, featureTokens } from '../../../lambdas/core/embedding/feature-hash-embedder';
import { cosine } from '../../../lambdas/core/embedding/vector-codec';
import { LocalEmbedder, estimateEmbeddingTokens } from '../../../lambdas/adapters/embedder/local-embedder';

function norm(v: Float32Array): number {
  return Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
}

const TOPICS = {
  dividends:
    'The board raised the quarterly dividend by eight percent and extended the share repurchase program, citing strong free cash flow and a conservative payout ratio.',
  dividendsParaphrase:
    'Citing strong free cash flow, the board raised the quarterly dividend and extended the repurchase program while keeping the payout ratio conservative.',
  supplyChain:
    'Semiconductor shortages disrupted vehicle production at two assembly plants, and logistics costs rose as container freight rates climbed in Asia.',
  litigation:
    'A federal jury found the company liable for patent infringement; management intends to appeal the verdict and has not recorded a reserve.',
};

describe('featureHashEmbedding', () => {
  it('returns a unit vector of the requested size for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.constantFrom(1, 8, 256, 512, 1024), (text, dims) => {
        const v = featureHashEmbedding(text, dims);
        expect(v).toHaveLength(dims);
        expect(Math.abs(norm(v) - 1)).toBeLessThan(1e-5);
      }),
      { numRuns: 200 },
    );
  });

  it('returns the same vector for the same text, every time', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        expect(featureHashEmbedding(text)).toEqual(featureHashEmbedding(`${text}`));
      }),
      { numRuns: 100 },
    );
  });

  it('ignores case and punctuation around words', () => {
    expect(featureHashEmbedding('Revenue GREW, strongly!')).toEqual(featureHashEmbedding('revenue grew strongly'));
  });

  it('scores a paraphrase above unrelated texts', () => {
    const base = featureHashEmbedding(TOPICS.dividends);
    const similar = cosine(base, featureHashEmbedding(TOPICS.dividendsParaphrase));
    expect(similar).toBeGreaterThan(0.5);
    expect(similar).toBeGreaterThan(cosine(base, featureHashEmbedding(TOPICS.supplyChain)) + 0.3);
    expect(similar).toBeGreaterThan(cosine(base, featureHashEmbedding(TOPICS.litigation)) + 0.3);
  });

  it('scores a text that shares more words with a query higher (property)', () => {
    const words = fc.array(fc.stringMatching(/^[a-z]{4,9}$/), { minLength: 12, maxLength: 40 });
    fc.assert(
      fc.property(words, words, (topic, other) => {
        fc.pre(new Set(topic).size >= 10 && other.every((w) => !topic.includes(w)) && new Set(other).size >= 10);
        const query = featureHashEmbedding(topic.join(' '));
        const overlapping = featureHashEmbedding([...topic.slice(0, Math.ceil(topic.length * 0.7)), ...other.slice(0, 5)].join(' '));
        const unrelated = featureHashEmbedding(other.join(' '));
        expect(cosine(query, overlapping)).toBeGreaterThan(cosine(query, unrelated));
      }),
      { numRuns: 100 },
    );
  });

  it('drops stop words, so two texts sharing only function words are not alike', () => {
    expect(featureTokens('The company and the board of the firm')).toEqual(['company', 'board', 'firm']);
    const a = featureHashEmbedding('the of and to in for with pricing power');
    const b = featureHashEmbedding('the of and to in for with flood damage');
    expect(cosine(a, b)).toBeLessThan(0.3);
  });

  it('keeps abbreviations and hyphenated words whole', () => {
    expect(featureTokens('U.S. year-over-year growth of 12.5%')).toEqual(['u.s', 'year-over-year', 'growth', '12.5']);
  });

  it('rejects a non-positive or fractional dimension count', () => {
    expect(() => featureHashEmbedding('x', 0)).toThrow(RangeError);
    expect(() => featureHashEmbedding('x', 2.5)).toThrow(RangeError);
  });
});

describe('LocalEmbedder', () => {
  it('embeds a batch in order under the feature-hash model id, with estimated tokens', async () => {
    const embedder = new LocalEmbedder();
    expect(embedder.modelId).toBe(FEATURE_HASH_MODEL_ID);
    expect(embedder.modelId).toBe('local/feature-hash-v1');
    expect(embedder.dimensions).toBe(256);
    const texts = [TOPICS.dividends, TOPICS.litigation, ''];
    const result = await embedder.embed(texts);
    expect(result.estimated).toBe(true);
    expect(result.vectors).toHaveLength(3);
    result.vectors.forEach((v, i) => expect(v).toEqual(featureHashEmbedding(texts[i]!, 256)));
    const words = texts.join(' ').trim().split(/\s+/).length;
    expect(result.inputTokens).toBe(Math.ceil(words * 1.3));
  });

  it('honours the configured dimensions and rejects nonsense', async () => {
    const result = await new LocalEmbedder({ dimensions: 1024 }).embed(['a b c']);
    expect(result.vectors[0]).toHaveLength(1024);
    expect(() => new LocalEmbedder({ dimensions: 0 })).toThrow(RangeError);
  });

  it('estimates about 1.3 tokens a word and nothing for an empty batch', async () => {
    expect(estimateEmbeddingTokens(['one two three four five six seven eight nine ten'])).toBe(13);
    expect(estimateEmbeddingTokens([])).toBe(0);
    expect(await new LocalEmbedder().embed([])).toEqual({ vectors: [], inputTokens: 0, estimated: true });
  });
});
