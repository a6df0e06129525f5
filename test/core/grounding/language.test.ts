/**
 * Statements no figure settles: promises of gains, superlatives no source makes, and ratings that
 * disagree with what their own note says or with their price target.
 */
import { describe, expect, it } from 'vitest';
import { detect } from '../../../lambdas/core/grounding';
import type { SourceInput } from '../../../lambdas/core/grounding';

const FILING: SourceInput = {
  id: 'f1',
  title: 'Acme Corp 10-K fiscal 2024',
  text: 'In fiscal 2024 net sales were $1.23 billion, up 12% from $1.098 billion in fiscal 2023. The risk-free interest rate was 2.1%.',
};
const NOTE: SourceInput = {
  id: 'n1',
  title: 'Northmoor Capital: fairly valued after the recent move',
  text: 'We remain on the sidelines: the shares look reasonably valued, and we see balanced risk and reward.',
};
const QUOTE: SourceInput = { id: 'q1', title: 'Quote', text: 'The share price was $100.00 as of November 20, 2026.' };

const kinds = (text: string, sources: SourceInput[] = [FILING]) => detect({ text, sources, asOf: '2026-11-23' }).claims.map((c) => c.kind);

describe('promissory language', () => {
  it.each([
    'Net sales were $1.23 billion in fiscal 2024, and the shares will keep rising.',
    'Net sales were $1.23 billion in fiscal 2024, so the stock is a buy.',
    'Net sales were $1.23 billion in fiscal 2024, which guarantees further gains.',
    'Investors should buy the shares.',
  ])('is flagged whatever the figures: %s', (text) => {
    expect(kinds(text)).toContain('promissory');
  });

  it('leaves finance terms alone ("risk-free interest rate")', () => {
    expect(kinds('The risk-free interest rate was 2.1% in fiscal 2024.')).not.toContain('promissory');
  });
});

describe('superlatives', () => {
  it('flags a record no source states', () => {
    const result = detect({ text: 'Net sales were a record $1.23 billion in fiscal 2024.', sources: [FILING] });
    expect(result.hallucinated).toBe(true);
    expect(result.claims.map((c) => c.kind)).toContain('unsupported_superlative');
  });

  it('accepts a record a source states, and "on record" is no superlative', () => {
    const withRecord: SourceInput = { ...FILING, text: `${FILING.text} Net sales reached a record level in fiscal 2024.` };
    expect(kinds('Net sales were a record $1.23 billion in fiscal 2024.', [withRecord])).not.toContain('unsupported_superlative');
    expect(kinds('Net sales of $1.23 billion in fiscal 2024 are on record in the 10-K.')).not.toContain('unsupported_superlative');
  });
});

describe('ratings read against their note', () => {
  it('flags a buy rating whose note speaks of a stock fairly valued, on the sidelines', () => {
    const text = 'Northmoor Capital rates the stock Buy with a price target of $103.00 [n1].';
    expect(kinds(text, [NOTE, QUOTE])).toContain('wrong_rating');
  });

  it('accepts the rating the note’s words support', () => {
    const text = 'Northmoor Capital rates the stock Hold with a price target of $103.00 [n1].';
    expect(kinds(text, [NOTE, QUOTE])).not.toContain('wrong_rating');
  });

  it('flags a sell rating with a price target far above the share price', () => {
    const bare: SourceInput = { id: 'n2', title: 'Kestrel Point note', text: 'Kestrel Point sets a price target of $140.00.' };
    expect(kinds('Kestrel Point rates the stock Sell with a price target of $140.00 [n2].', [bare, QUOTE])).toContain('wrong_rating');
  });
});
