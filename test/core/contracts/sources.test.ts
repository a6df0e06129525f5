import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEMO_SOURCES,
  EDGAR_SOURCES,
  formatSourceChoice,
  parseSourceChoice,
  SOURCE_ADAPTERS,
  SourceChoiceSchema,
} from '../../../lambdas/core/contracts/sources';
import type { SourceChoice } from '../../../lambdas/core/contracts/sources';
import { InputValidationError } from '../../../lambdas/core/errors';

const anyChoice = fc.record({
  universe: fc.constantFrom(...SOURCE_ADAPTERS.universe),
  filings: fc.constantFrom(...SOURCE_ADAPTERS.filings),
  fundamentals: fc.constantFrom(...SOURCE_ADAPTERS.fundamentals),
  research: fc.constantFrom(...SOURCE_ADAPTERS.research),
  news: fc.constantFrom(...SOURCE_ADAPTERS.news),
}) as fc.Arbitrary<SourceChoice>;

const accepted = anyChoice.filter((choice) => SourceChoiceSchema.safeParse(choice).success);

describe('the source choice', () => {
  it('reads the shorthands: demo everywhere, or a CSV universe with EDGAR and the feeds', () => {
    expect(parseSourceChoice('demo')).toEqual(DEMO_SOURCES);
    expect(parseSourceChoice(' edgar ')).toEqual(EDGAR_SOURCES);
  });

  it('reads kind=adapter lists and JSON, leaving unnamed kinds on the demo', () => {
    expect(parseSourceChoice('news=feed,research=feed')).toEqual({ ...DEMO_SOURCES, news: 'feed', research: 'feed' });
    expect(parseSourceChoice('{"fundamentals":"feed"}')).toEqual({ ...DEMO_SOURCES, fundamentals: 'feed' });
  });

  it('survives being written to an environment variable and read back, for every accepted choice', () => {
    fc.assert(
      fc.property(accepted, (choice) => {
        expect(parseSourceChoice(formatSourceChoice(choice))).toEqual(choice);
      }),
    );
  });

  it('refuses a real universe with demo data, and EDGAR over fictional CIKs', () => {
    fc.assert(
      fc.property(anyChoice, (choice) => {
        const mixesReal = choice.universe === 'csv' && Object.values(choice).includes('demo');
        const edgarOnDemo = choice.universe === 'demo' && choice.filings === 'edgar';
        expect(SourceChoiceSchema.safeParse(choice).success).toBe(!mixesReal && !edgarOnDemo);
      }),
    );
  });

  it.each([
    ['real', 'sources must be demo, edgar, or adapters per kind such as universe=csv,filings=edgar (docs/SOURCES.md)'],
    ['filings=sec', 'sources filings Invalid option: expected one of "demo"|"edgar"'],
    ['colour=red', 'sources Unrecognized key: "colour"'],
    ['universe=csv', 'sources filings cannot be demo with a csv universe (the demo knows only its fictional companies)'],
    ['{"news":', 'sources is not valid JSON'],
  ])('answers %j with one line naming what is wrong', (text, message) => {
    expect(() => parseSourceChoice(text)).toThrow(InputValidationError);
    expect(() => parseSourceChoice(text)).toThrow(message);
  });
});
