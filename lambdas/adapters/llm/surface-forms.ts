/**
 * How a real model restates correct facts: `$1.55 billion` as `$1.55B` or `$1.55bn`, `3.0%` as
 * `3 percent`, `fiscal 2025` as `FY25`, "up" as "rose", sentences reordered, boilerplate
 * paraphrased. Every rewrite keeps the meaning , so a
 * verifier that rejects these rejects correct text. Pure; the randomness is the caller's.
 */
import type { SummaryDraft, SummarySentence } from '../../core/model';

export type Random = () => number;

const pick = <T>(random: Random, options: readonly T[]): T => options[Math.floor(random() * options.length)]!;

const SCALE_SHORT: Record<string, readonly string[]> = {
  billion: ['B', 'bn', ' billion'],
  million: ['M', 'm', ' million'],
  thousand: ['K', ' thousand'],
};

const QUARTER_WORDS: Record<string, string> = { first: '1', second: '2', third: '3', fourth: '4' };

/**
 * `$1.55 billion` → `$1.55B`, `$1.55bn`, or unchanged. The numeral is kept: rounding a displayed
 * figure again can move it past what the underlying value rounds to, which is a real error.
 */
function money(text: string, random: Random): string {
  return text.replace(/\$(\d+(?:\.\d+)?) (billion|million|thousand)\b/g, (whole, numeral: string, scale: string) =>
    random() < 0.6 ? `$${numeral}${pick(random, SCALE_SHORT[scale]!)}` : whole,
  );
}

function percent(text: string, random: Random): string {
  return text.replace(/(\d+(?:\.\d+)?)%/g, (whole, numeral: string) => {
    if (random() >= 0.35) return whole;
    // "3.0%" is "3 percent"; only a trailing zero is dropped, so the value stays exact.
    const plain = numeral.replace(/\.0+$/, '');
    return random() < 0.5 ? `${plain} percent` : `${plain}%`;
  });
}

function periods(text: string, random: Random): string {
  return text
    .replace(/\bthe (first|second|third|fourth) quarter of fiscal (\d{4})\b/g, (whole, quarter: string, year: string) =>
      random() < 0.5
        ? pick(random, [
            `Q${QUARTER_WORDS[quarter]} FY${year}`,
            `Q${QUARTER_WORDS[quarter]} FY${year.slice(2)}`,
            `fiscal Q${QUARTER_WORDS[quarter]} ${year}`,
          ])
        : whole,
    )
    .replace(/\bfiscal (\d{4})\b/g, (whole, year: string) =>
      random() < 0.4 ? pick(random, [`FY${year}`, `FY${year.slice(2)}`, `fiscal year ${year}`]) : whole,
    );
}

function directions(text: string, random: Random): string {
  return text.replace(/, (up|down) ([\d.]+(?:%| percent)) year on year\b/g, (whole, direction: string, amount: string) => {
    if (random() >= 0.5) return whole;
    const verb =
      direction === 'up'
        ? pick(random, ['rising', 'an increase of', 'growth of'])
        : pick(random, ['falling', 'a decline of', 'a decrease of']);
    return `, ${verb} ${amount} from a year earlier`;
  });
}

const PARAPHRASES: Array<[RegExp, readonly string[]]> = [
  [
    /^The annual report flags this risk: /,
    ['Among the risks in the annual report: ', 'The 10-K lists a risk: ', 'A risk the company discloses: '],
  ],
  [/^Net income was /, ['Net income came in at ', 'The company earned net income of ']],
  [/^The shares traded at /, ['The stock was at ', 'Shares closed at ']],
  [/^Consensus expects /, ['Analysts on average expect ', 'The consensus estimate calls for ']],
];

function paraphrase(text: string, random: Random): string {
  for (const [pattern, options] of PARAPHRASES)
    if (pattern.test(text) && random() < 0.5) return text.replace(pattern, pick(random, options));
  return text;
}

function restate(sentence: SummarySentence, random: Random): SummarySentence {
  const text = paraphrase(directions(periods(percent(money(sentence.text, random), random), random), random), random);
  return { ...sentence, text };
}

/** The draft as a real model might have written the same facts. */
export function varySurfaceForms(draft: SummaryDraft, random: Random): SummaryDraft {
  const vary = (body: SummaryDraft['hook']): SummaryDraft['hook'] => ({
    sections: body.sections.map(({ section, sentences }) => {
      const restated = sentences.map((s) => restate(s, random));
      // Two neighbouring sentences of a section sometimes trade places.
      if (restated.length > 2 && random() < 0.3) {
        const i = 1 + Math.floor(random() * (restated.length - 2));
        [restated[i], restated[i + 1]] = [restated[i + 1]!, restated[i]!];
      }
      return { section, sentences: restated };
    }),
  });
  return { hook: vary(draft.hook), medium: vary(draft.medium), expanded: vary(draft.expanded) };
}
