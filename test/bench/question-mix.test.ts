import { describe, expect, it } from 'vitest';
import { QueryRequestSchema } from '../../lambdas/core/contracts/api';
import { TickerResolver } from '../../lambdas/core/query/ticker-resolver';
import { MIX_SHARES, QuestionMix } from '../../bench/question-mix';

const TICKERS = Array.from({ length: 40 }, (_, i) => ({
  ticker: `K${String.fromCharCode(81 + (i % 2))}${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`,
  name: `Stem${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}ora Holdings Inc.`,
}));

describe('the load test question mix', () => {
  it('is the same request stream for the same seed', () => {
    const a = new QuestionMix(TICKERS, 100, 7);
    const b = new QuestionMix(TICKERS, 100, 7);
    for (let i = 0; i < 200; i += 1) expect(a.next()).toEqual(b.next());
  });

  it('sends valid requests about covered stocks, in roughly the planned shares, from many FAs', () => {
    const mix = new QuestionMix(TICKERS, 500, 3);
    const resolver = new TickerResolver(
      TICKERS.map((t) => ({ ...t, cik: '9900000001', sector: 'Energy', industry: 'x', exchange: 'NYSE', fiscalYearEndMonth: 12 })),
    );
    const fas = new Set<number>();
    for (let i = 0; i < 5000; i += 1) {
      const planned = mix.next();
      fas.add(planned.fa);
      if (planned.conversation !== undefined) mix.completed(planned.conversation, true);
      if (planned.method === 'GET') {
        expect(planned.path).toMatch(/^\/v1\/stocks\/[A-Z]+\/summary\?length=(hook|medium|expanded)$/);
        continue;
      }
      const body = QueryRequestSchema.parse(JSON.parse(planned.body!));
      if (planned.kind !== 'follow_up') expect(resolver.resolve(body.question).length, body.question).toBeGreaterThan(0);
      else expect(body.sessionId).toBeDefined();
    }
    expect(fas.size).toBeGreaterThan(400);
    const total = Object.values(mix.counts).reduce((a, b) => a + b, 0);
    for (const [kind, share] of Object.entries(MIX_SHARES)) {
      expect(Math.abs(mix.counts[kind as keyof typeof MIX_SHARES] / total - share), kind).toBeLessThan(0.04);
    }
  });

  it('sends a follow-up only in a conversation whose last answer has arrived', () => {
    const mix = new QuestionMix(TICKERS, 10, 5);
    const open = new Set<number>();
    for (let i = 0; i < 2000; i += 1) {
      const planned = mix.next();
      if (planned.kind === 'follow_up') expect(open.has(planned.conversation!)).toBe(false);
      if (planned.conversation !== undefined) {
        open.add(planned.conversation);
        if (i % 3 === 0) {
          mix.completed(planned.conversation, true);
          open.delete(planned.conversation);
        }
      }
    }
  });
});
