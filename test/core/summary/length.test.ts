/** Fitting a body to a word budget drops whole sentences, in order, and keeps every one it keeps intact. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUMMARY_SECTIONS } from '../../../lambdas/core/model/index';
import type { SummaryBody } from '../../../lambdas/core/model/index';
import { bodyWords, fitToWords, wordsOf } from '../../../lambdas/core/summary/length';

const sentence = fc.record({
  text: fc
    .array(fc.constantFrom('revenue', 'rose', '12%', 'to', '$1.2B', 'in', 'FY25', 'risk'), { minLength: 1, maxLength: 30 })
    .map((w) => w.join(' ')),
  citations: fc.array(fc.constantFrom('doc-1', 'doc-2'), { maxLength: 2 }),
});
const body: fc.Arbitrary<SummaryBody> = fc
  .uniqueArray(fc.constantFrom(...SUMMARY_SECTIONS), { minLength: 1, maxLength: 6 })
  .chain((sections) =>
    fc.tuple(...sections.map((section) => fc.array(sentence, { minLength: 1, maxLength: 5 }).map((sentences) => ({ section, sentences })))),
  )
  .map((sections) => ({ sections }));

describe('brief length', () => {
  it('counts words', () => {
    expect(wordsOf('  Revenue rose 12% to $1.2B. ')).toBe(5);
    expect(
      bodyWords({
        sections: [
          {
            section: 'overview',
            sentences: [
              { text: 'a b c', citations: [] },
              { text: 'd', citations: [] },
            ],
          },
        ],
      }),
    ).toBe(4);
  });

  it('keeps a body already within the budget as it is', () => {
    fc.assert(
      fc.property(body, (b) => {
        expect(fitToWords(b, bodyWords(b))).toEqual(b);
      }),
    );
  });

  it('keeps a subsequence of the sentences, never rewritten, and fits the budget unless only undroppable ones remain', () => {
    fc.assert(
      fc.property(body, fc.integer({ min: 1, max: 200 }), (b, max) => {
        const fitted = fitToWords(b, max);
        const before = b.sections.flatMap((s) => s.sentences);
        const after = fitted.sections.flatMap((s) => s.sentences);
        let i = 0;
        for (const kept of after) {
          while (i < before.length && before[i] !== kept) i += 1;
          expect(i, 'kept sentences are the originals, in order').toBeLessThan(before.length);
          i += 1;
        }
        if (bodyWords(fitted) > max) {
          // Over budget only when every section is down to its first sentence (or is a risk).
          for (const s of fitted.sections) if (s.section !== 'risks') expect(s.sentences.length).toBe(1);
        }
      }),
    );
  });
});
