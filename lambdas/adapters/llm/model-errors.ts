/**
 * The mistakes real models make in financial briefs, as edits of one sentence of a correct draft.
 * The local writer plants them at a configured rate so that the verify → regenerate → facts-only
 * path meets the errors production meets. The list comes from how models fail on financial text
 * (wrong figure, scale, period, line item, direction, sign, basis, firm, rating, entity, date,
 * unsupported claims), not from what any check looks for. Pure; the randomness is the caller's.
 */
import type { SummaryDraft, SummarySentence } from '../../core/model';
import type { BriefInput } from '../../core/summary/brief-input';
import type { Random } from './surface-forms';

export const MODEL_ERROR_KINDS = [
  'wrong_number',
  'wrong_scale',
  'wrong_period',
  'wrong_line_item',
  'flipped_direction',
  'loss_as_profit',
  'annual_as_quarter',
  'estimate_as_reported',
  'conflict_loser',
  'flipped_rating',
  'wrong_firm',
  'swapped_ticker',
  'future_date',
  'invented_event',
  'unsupported_superlative',
  'promissory',
] as const;
export type ModelErrorKind = (typeof MODEL_ERROR_KINDS)[number];

export interface PlantedError {
  kind: ModelErrorKind;
  /** The sentence as the correct draft had it, and as the planted error left it. */
  before: string;
  after: string;
}

type Edit = (text: string, input: BriefInput, random: Random) => string | undefined;

const pick = <T>(random: Random, options: readonly T[]): T => options[Math.floor(random() * options.length)]!;

/** Replace the first match of `pattern` through `replace`, or nothing when it does not match. */
const rewrite =
  (pattern: RegExp, replace: (match: RegExpExecArray, random: Random, input: BriefInput) => string | undefined): Edit =>
  (text, input, random) => {
    const match = pattern.exec(text);
    if (!match) return undefined;
    const replacement = replace(match, random, input);
    return replacement === undefined ? undefined : text.slice(0, match.index) + replacement + text.slice(match.index + match[0].length);
  };

const OPPOSITE_RATING: Record<string, string> = {
  Buy: 'Sell',
  Sell: 'Buy',
  Overweight: 'Underweight',
  Underweight: 'Overweight',
  Outperform: 'Underperform',
  Underperform: 'Outperform',
  Hold: 'Buy',
  Neutral: 'Overweight',
  'Equal Weight': 'Overweight',
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Every kind but `invented_event`, which adds a sentence instead of editing one. */
const EDITS: Record<Exclude<ModelErrorKind, 'invented_event'>, Edit> = {
  // A figure off by 7–25 %, written with the same precision.
  wrong_number: rewrite(/\$(\d+\.\d+) (billion|million)/, ([, numeral, scale], random) => {
    const decimals = numeral!.split('.')[1]!.length;
    const factor = 1 + (random() < 0.5 ? -1 : 1) * (0.07 + random() * 0.18);
    return `$${(Number(numeral) * factor).toFixed(decimals)} ${scale}`;
  }),
  wrong_scale: rewrite(
    /\$(\d+(?:\.\d+)?) (billion|million)\b/,
    ([, numeral, scale]) => `$${numeral} ${scale === 'million' ? 'billion' : 'million'}`,
  ),
  wrong_period: rewrite(/\bfiscal (\d{4})\b/, ([, year], random) => `fiscal ${Number(year) + (random() < 0.5 ? -1 : 1)}`),
  // The figure of one line item attributed to another.
  wrong_line_item: rewrite(
    /^Revenue for (.+?) was /,
    ([, period], random) => `${pick(random, ['Operating income', 'Net income', 'Gross profit'])} for ${period} was `,
  ),
  flipped_direction: rewrite(
    /\b(up|down) (\d+(?:\.\d+)?%) year on year/,
    ([, direction, amount]) => `${direction === 'up' ? 'down' : 'up'} ${amount} year on year`,
  ),
  loss_as_profit: (text) =>
    /The company reported a net loss of /.test(text)
      ? text.replace('The company reported a net loss of ', 'Net income was ').replace('loss per share', 'EPS')
      : /^Net income was /.test(text)
        ? text.replace(/^Net income was /, 'The company reported a net loss of ').replace(/, a net margin of [^,]+,/, '')
        : undefined,
  annual_as_quarter: rewrite(
    /^Revenue for fiscal (\d{4}) was /,
    ([, year], random) => `Revenue for the ${pick(random, ['fourth', 'third'])} quarter of fiscal ${year} was `,
  ),
  estimate_as_reported: rewrite(/^Consensus expects (EPS|a loss per share) of /, ([, what]) =>
    what === 'EPS' ? 'The company reported EPS of ' : 'The company reported a loss per share of ',
  ),
  // The value a source conflict was decided against, stated as the figure.
  conflict_loser: (text, input) => {
    for (const conflict of input.conflicts) {
      const other = conflict.others[0];
      if (other && text.includes(conflict.chosen.display) && !text.includes(other.display) && !/disagree|restated/.test(text)) {
        return text.replace(conflict.chosen.display, other.display);
      }
    }
    return undefined;
  },
  flipped_rating: rewrite(/ rates the stock ([A-Z][a-z]+(?: Weight)?)\b/, ([, rating]) =>
    OPPOSITE_RATING[rating!] ? ` rates the stock ${OPPOSITE_RATING[rating!]}` : undefined,
  ),
  // A rating and target attributed to a firm that does not cover the stock.
  wrong_firm: rewrite(
    /^(.+?) rates the stock /,
    (_, random) => `${pick(random, ['Goldman Sachs', 'Morgan Stanley', 'J.P. Morgan', 'Barclays'])} rates the stock `,
  ),
  swapped_ticker: rewrite(/\(([A-Z]{2,5})\)/, ([, ticker]) => `(${ticker!.split('').reverse().join('')})`),
  future_date: rewrite(
    /\b(January|February|March|April|May|June|July|August|September|October|November|December) (\d{1,2}), (\d{4})\b/,
    ([, month, day, year]) => {
      const next = (MONTHS.indexOf(month!) + 3) % 12;
      return `${MONTHS[next]} ${day}, ${Number(year) + 1}`;
    },
  ),
  unsupported_superlative: rewrite(
    /^Revenue for (.+?) was (\$[\d.,]+ ?[A-Za-z]*)/,
    ([, period, amount]) => `Revenue for ${period} was a record ${amount}`,
  ),
  promissory: rewrite(
    /\.$/,
    (_, random) => `, ${pick(random, ['and the shares will keep rising', 'so the stock is a buy', 'which guarantees further gains'])}.`,
  ),
};

const INVENTED_EVENTS = [
  (name: string) => `${name} announced a $2.0 billion share buyback.`,
  (name: string) => `${name} agreed to acquire a rival for $850 million.`,
  (name: string) => `${name} said its chief executive will step down at year end.`,
  (name: string) => `${name} won a $400 million government contract.`,
];

/**
 * The edit of one kind applied to one sentence (any text a model wrote, a brief's or an answer's),
 * or undefined when the sentence does not admit that kind. `invented_event` adds a sentence instead.
 */
export function editSentence(
  kind: Exclude<ModelErrorKind, 'invented_event'>,
  text: string,
  input: BriefInput,
  random: Random,
): string | undefined {
  const after = EDITS[kind](text, input, random);
  return after === text ? undefined : after;
}

function sentencesOf(draft: SummaryDraft): SummarySentence[] {
  return draft.expanded.sections.flatMap((s) => s.sentences);
}

/**
 * Plant one error of `kind` in the expanded brief: edit the first sentence where it applies, in
 * a random order of sentences. Undefined when no sentence of the draft admits that kind.
 */
export function plantModelError(
  draft: SummaryDraft,
  input: BriefInput,
  kind: ModelErrorKind,
  random: Random,
): { draft: SummaryDraft; planted: PlantedError } | undefined {
  const copy = structuredClone(draft);
  if (kind === 'invented_event') {
    const catalysts = copy.expanded.sections.find((s) => s.section === 'catalysts') ?? copy.expanded.sections.at(-1)!;
    const news = input.excerpts.find((e) => e.kind === 'news');
    const text = pick(random, INVENTED_EVENTS)(input.company.name.split(' ')[0]!);
    catalysts.sentences.push({ text, citations: news ? [news.docId] : [] });
    return { draft: copy, planted: { kind, before: '', after: text } };
  }
  const sentences = sentencesOf(copy);
  const order = sentences.map((_, i) => i).sort(() => random() - 0.5);
  for (const i of order) {
    const sentence = sentences[i]!;
    const after = EDITS[kind](sentence.text, input, random);
    if (after !== undefined && after !== sentence.text) {
      const before = sentence.text;
      sentence.text = after;
      return { draft: copy, planted: { kind, before, after } };
    }
  }
  return undefined;
}

/** Plant an error of a random kind (of `kinds`), trying the others in turn when a kind does not apply. */
export function plantRandomModelError(
  draft: SummaryDraft,
  input: BriefInput,
  random: Random,
  kinds: readonly ModelErrorKind[] = MODEL_ERROR_KINDS,
): { draft: SummaryDraft; planted: PlantedError } | undefined {
  const start = Math.floor(random() * kinds.length);
  for (let k = 0; k < kinds.length; k += 1) {
    const planted = plantModelError(draft, input, kinds[(start + k) % kinds.length]!, random);
    if (planted) return planted;
  }
  return undefined;
}
