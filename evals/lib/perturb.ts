/**
 * Adversarial perturbations of verified text (a brief's sentence or an answer's), one per error kind
 * of the taxonomy, plus meaning-preserving rewordings as clean controls. They are written from how
 * financial text goes wrong (a figure, its scale, period, line item, direction, sign, basis; a
 * rating, firm, entity, ticker, date; a superlative, an event, a promise, a recommendation), in
 * several wordings each, and never read the detector's rules: the suite measures the detector on
 * them, it does not construct them to pass. Pure; the randomness is the caller's.
 */
import type { FactSnapshot } from '../../lambdas/core/model';
import type { AdversarialKind } from '../../lambdas/core/evaluation/datasets';

export type Random = () => number;

export interface PerturbContext {
  snapshot: FactSnapshot;
  /** Research firms that cover this stock, and firms that cover only other stocks. */
  coveringFirms: readonly string[];
  otherFirms: readonly string[];
  /** Tickers of other companies of the universe. */
  otherTickers: readonly string[];
  random: Random;
}

const pick = <T>(random: Random, options: readonly T[]): T => options[Math.floor(random() * options.length)]!;

/** Replace the `n`-th match (chosen at random among all matches) of `pattern` through `replace`. */
function replaceOne(
  text: string,
  pattern: RegExp,
  random: Random,
  replace: (m: RegExpExecArray) => string | undefined,
): string | undefined {
  const matches = [...text.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`))];
  if (matches.length === 0) return undefined;
  const order = matches.map((_, i) => i).sort(() => random() - 0.5);
  for (const i of order) {
    const m = matches[i]! as RegExpExecArray;
    const replacement = replace(m);
    if (replacement !== undefined && replacement !== m[0]) return text.slice(0, m.index) + replacement + text.slice(m.index + m[0].length);
  }
  return undefined;
}

const MONEY = /\$(\d{1,3}(?:,\d{3})*(?:\.\d+)?)\s?(billion|million|thousand|bn|mn|B|M|K|m)\b/;
const PERCENT = /(\d+(?:\.\d+)?)(%| percent)/;
const PER_SHARE = /\$(\d+\.\d{2})(?![\d.]*\s?(?:billion|million|thousand|bn|mn|B|M|K|m)\b)/;
const SCALE_VALUE: Record<string, number> = { billion: 1e9, bn: 1e9, B: 1e9, million: 1e6, mn: 1e6, M: 1e6, m: 1e6, thousand: 1e3, K: 1e3 };
const OTHER_SCALE: Record<string, readonly string[]> = {
  billion: ['million'],
  bn: ['mn', 'm'],
  B: ['M'],
  million: ['billion', 'thousand'],
  mn: ['bn'],
  M: ['B', 'K'],
  m: ['bn', 'B'],
  thousand: ['million'],
  K: ['M'],
};

const decimalsOf = (numeral: string) => numeral.split('.')[1]?.length ?? 0;
const numberOf = (numeral: string) => Number(numeral.replace(/,/g, ''));

/** A numeral off by 8–30 %, written with the same number of decimals. */
function offBy(numeral: string, random: Random): string {
  const decimals = decimalsOf(numeral);
  const factor = 1 + (random() < 0.5 ? -1 : 1) * (0.08 + random() * 0.22);
  return (numberOf(numeral) * factor).toFixed(decimals);
}

/** A value written the way `raw` writes its numeral: same scale word, same decimals. */
function restyle(match: RegExpExecArray, value: number): string | undefined {
  const [, numeral, scale] = match;
  const mantissa = value / SCALE_VALUE[scale!]!;
  const text = mantissa.toFixed(decimalsOf(numeral!));
  if (Number(text) === numberOf(numeral!)) return undefined;
  return match[0].replace(numeral!, text);
}

const DIRECTION_PAIRS: Array<[string, string]> = [
  ['rising', 'falling'],
  ['rose', 'fell'],
  ['up', 'down'],
  ['an increase of', 'a decrease of'],
  ['growth of', 'a decline of'],
  ['increased', 'decreased'],
  ['grew', 'shrank'],
  ['higher', 'lower'],
];

const RATING_FLIPS: Record<string, readonly string[]> = {
  Buy: ['Sell', 'Underperform'],
  'Strong Buy': ['Sell'],
  Sell: ['Buy', 'Outperform'],
  Overweight: ['Underweight', 'Sell'],
  Underweight: ['Overweight', 'Buy'],
  Outperform: ['Underperform', 'Sell'],
  Underperform: ['Outperform', 'Buy'],
  Hold: ['Buy', 'Sell', 'Strong Buy'],
  Neutral: ['Overweight', 'Underweight'],
  'Equal Weight': ['Overweight', 'Underweight'],
  'Market Perform': ['Outperform', 'Underperform'],
};

const LINE_ITEMS: Array<[RegExp, readonly string[]]> = [
  [/\b[Rr]evenue\b/, ['operating income', 'net income', 'gross profit', 'free cash flow']],
  [/\b[Nn]et income\b/, ['operating income', 'revenue', 'gross profit']],
  [/\b[Gg]ross margin\b/, ['operating margin', 'net margin']],
  [/\b[Oo]perating margin\b/, ['gross margin', 'net margin']],
  [/\b[Nn]et margin\b/, ['gross margin', 'operating margin']],
  [/\b[Oo]perating cash flow\b/, ['net income', 'free cash flow', 'capital expenditure']],
  [/\bcash of\b/, ['debt of', 'inventory of']],
];

// Wordings below the first block of each list were added from two held-out families (evals/README.md).
const INVENTED_NAMES = [
  'Halvorsen Dynamics',
  'Quillmark Therapeutics',
  'Brantwell Logistics',
  'Okonjo Capital',
  'Sarnia Microsystems',
  'Veltrano Holdings',
  'Marisol Chen, the chief financial officer,',
  'Dagny Ekwueme, its new chief operating officer,',
];

const INVENTED_TAILS = [
  ', according to analysts at Merriwether Kline.',
  ', after its tie-up with Ostrava Polymers.',
  ', according to Reuters correspondent Ilse Marchetti.',
  ', boosted by a new alliance with Drummond Aerospace.',
  ', as Tavish Greer, the chief executive, noted.',
  ', outpacing competitor Belcourt Foods.',
];

const SUPERLATIVE_TAILS = [
  ', a company record.',
  ', its strongest showing ever.',
  ', leading the sector.',
  ', the best in a decade.',
  ', a level never seen before.',
  ', tops among its peers.',
  ', an industry best.',
  ', the highest on record for the company.',
];

const SUPERLATIVES: Array<(s: string, random: Random) => string | undefined> = [
  (s, random) => s.replace(/\.$/, pick(random, SUPERLATIVE_TAILS)),
  (s, random) => s.replace(/\.$/, pick(random, SUPERLATIVE_TAILS)),
  (s) =>
    /\b(Revenue|Net income|Operating cash flow)\b/.test(s)
      ? s.replace(/\b(Revenue|Net income|Operating cash flow)\b/, (w) => `Record ${w.toLowerCase()}`)
      : undefined,
  (s) => s.replace(/\.$/, ', the highest in the company’s history.'),
  (s) => s.replace(/\.$/, ', an all-time high.'),
  (s) => s.replace(/\.$/, ', the best result in its industry.'),
  (s) => (/ was /.test(s) ? s.replace(/ was /, ' was an unprecedented ') : undefined),
  (s) => s.replace(/\.$/, ', outpacing every peer in its sector.'),
];

const EVENTS = [
  (name: string) => `${name} announced a $1.5 billion share repurchase program.`,
  (name: string) => `${name} agreed to buy a smaller competitor for $640 million in cash.`,
  (name: string) => `${name}'s chief executive resigned unexpectedly this month.`,
  (name: string) => `Regulators opened an investigation into ${name}'s accounting.`,
  (name: string) => `${name} raised its full-year guidance after a strong start to the quarter.`,
  (name: string) => `${name} doubled its quarterly dividend.`,
  (name: string) => `${name} won a multi-year supply contract with the U.S. Department of Defense.`,
  (name: string) => `${name} said it will close two plants and cut 1,200 jobs.`,
];

const PROMISES = [
  'The shares will keep climbing from here.',
  'The stock is set to double over the next year.',
  'Investors are guaranteed a solid return on this name.',
  'This is a risk-free way to grow a portfolio.',
  'The stock cannot fail to outperform the market.',
  'Holders will make money on this position.',
  'The share price is certain to rise after the next report.',
  'Gains from here are assured.',
  'The stock should easily double by next year.',
  'Expect the shares to rally sharply from here.',
  'Upside from here is virtually certain.',
  'This position will pay for itself within a year.',
  'Shareholders can count on the price climbing further.',
  'The shares are poised to deliver outsized gains this year.',
  'A doubling of the share price looks like a lock.',
  'We expect the stock to outperform the market by a wide margin.',
  'Owning this stock means reliable profits ahead.',
  'The price has nowhere to go but up.',
];

const RECOMMENDATIONS = [
  'Advisors should buy the stock for their clients.',
  'We recommend adding shares at current levels.',
  'Clients should sell the stock now.',
  'This is a strong buy.',
  'Investors should accumulate the shares on any weakness.',
  'We advise that you trim positions before the next report.',
  'Buy the shares now.',
  'Your clients should avoid this stock.',
  'Now is the time to load up on the shares.',
  'Clients would do well to buy before the next report.',
  'Consider selling the position immediately.',
  'Get out of the stock before earnings.',
  'It would be wise to add the stock to client portfolios.',
  'Advisors may want to buy the shares ahead of earnings.',
  'Time to take profits and sell.',
  'Put new money into this name today.',
  'Move client assets out of this stock.',
  'Loading up here makes sense for most clients.',
];

type SentenceEdit = (text: string, ctx: PerturbContext) => string | undefined;

function periodShift(text: string, random: Random): string | undefined {
  const delta = random() < 0.7 ? -1 : 1;
  return (
    replaceOne(text, /\bFY(\d{4})\b/, random, ([, y]) => `FY${Number(y) + delta}`) ??
    replaceOne(text, /\bFY(\d{2})\b/, random, ([, y]) => `FY${String(Number(y) + delta).padStart(2, '0')}`) ??
    replaceOne(text, /\bfiscal (?:year )?(\d{4})\b/, random, (m) => m[0].replace(m[1]!, String(Number(m[1]) + delta))) ??
    replaceOne(text, /\bQ([1-4])\b/, random, ([, q]) => `Q${(Number(q) % 4) + 1}`)
  );
}

/** Edits that rewrite one sentence; undefined when the sentence does not admit the kind. */
export const SENTENCE_EDITS: Record<Exclude<AdversarialKind, 'invented_event' | 'promissory' | 'recommending'>, SentenceEdit> = {
  wrong_number: (text, { random }) =>
    random() < 0.6
      ? (replaceOne(text, MONEY, random, (m) => m[0].replace(m[1]!, offBy(m[1]!, random))) ??
        replaceOne(text, PERCENT, random, (m) => `${offBy(m[1]!, random)}${m[2]}`))
      : (replaceOne(text, PERCENT, random, (m) => (Number(m[1]) >= 1 ? `${offBy(m[1]!, random)}${m[2]}` : undefined)) ??
        replaceOne(text, PER_SHARE, random, (m) => `$${offBy(m[1]!, random)}`) ??
        replaceOne(text, MONEY, random, (m) => m[0].replace(m[1]!, offBy(m[1]!, random)))),
  wrong_scale: (text, { random }) =>
    replaceOne(text, MONEY, random, (m) => {
      const [whole, , scale] = m;
      const to = pick(random, OTHER_SCALE[scale!]!);
      return whole.replace(new RegExp(`\\s?${scale}$`), /^[a-z]{3,}/.test(to) ? ` ${to}` : to);
    }),
  wrong_period: (text, { random }) => periodShift(text, random),
  wrong_line_item: (text, { random }) => {
    const order = LINE_ITEMS.map((_, i) => i).sort(() => random() - 0.5);
    for (const i of order) {
      const [pattern, others] = LINE_ITEMS[i]!;
      const m = pattern.exec(text);
      if (!m || !/\d/.test(text)) continue;
      let to = pick(random, others);
      if (/^[A-Z]/.test(m[0])) to = to[0]!.toUpperCase() + to.slice(1);
      return text.slice(0, m.index) + to + text.slice(m.index + m[0].length);
    }
    return undefined;
  },
  flipped_direction: (text, { random }) => {
    const order = DIRECTION_PAIRS.flatMap(([a, b]) => [[a, b] as const, [b, a] as const]).sort(() => random() - 0.5);
    for (const [from, to] of order) {
      const m = new RegExp(`\\b${from}\\b(?=[^.]*\\d)`).exec(text);
      if (m) return text.slice(0, m.index) + to + text.slice(m.index + from.length);
    }
    return undefined;
  },
  flipped_sign: (text, { random }) => {
    const swaps: Array<[RegExp, string]> = [
      [/\bNet income (came in at|was) /, 'Net loss $1 '],
      [/\bThe company earned net income of /, 'The company posted a net loss of '],
      [/\bnet loss of /, 'net income of '],
      [/\ba loss per share of /, 'EPS of '],
      [/\bloss per share\b/, 'earnings per share'],
      [/\bnet margin of (\d)/, 'net margin of -$1'],
    ];
    const applicable = swaps.filter(([p]) => p.test(text));
    if (applicable.length > 0) {
      const [p, to] = pick(random, applicable);
      return text.replace(p, to);
    }
    return replaceOne(text, /\bdiluted EPS of \$(\d)/, random, (m) => m[0].replace('$', '-$'));
  },
  estimate_as_actual: (text, { random }) => {
    const m = /^(?:Consensus expects|Analysts on average expect|The consensus estimate calls for) /.exec(text);
    if (!m) return undefined;
    return pick(random, ['The company reported ', 'The company posted ', 'Management reported ']) + text.slice(m[0].length);
  },
  conflict_loser: (text, { snapshot, random }) => {
    // A restatement read backwards: the figure first reported stated as the restated one.
    const restated =
      /\brestated to (\$[\d.,]*\d(?:\s?(?:billion|million|thousand|bn|mn|B|M|K|m)\b)?) from (\$[\d.,]*\d(?:\s?(?:billion|million|thousand|bn|mn|B|M|K|m)\b)?)/.exec(
        text,
      );
    if (restated && snapshot.conflicts.length > 0)
      return text.replace(restated[0], `restated to ${restated[2]!.trim()} from ${restated[1]!.trim()}`);
    for (const conflict of snapshot.conflicts) {
      const [chosen, loser] = conflict.candidates;
      if (!chosen || !loser || /disagree|restat|differ|vendor|while/i.test(text)) continue;
      const out =
        replaceOne(text, MONEY, random, (m) => {
          const mantissa = numberOf(m[1]!) * SCALE_VALUE[m[2]!]!;
          const slack = (0.5 * 10 ** -decimalsOf(m[1]!) + 1e-9) * SCALE_VALUE[m[2]!]!;
          return Math.abs(mantissa - chosen.value) <= slack ? restyle(m, loser.value) : undefined;
        }) ??
        (conflict.metric.startsWith('eps')
          ? replaceOne(text, PER_SHARE, random, (m) =>
              Math.abs(numberOf(m[1]!) - Math.abs(chosen.value)) <= 0.005 + 1e-9 && Math.abs(loser.value).toFixed(2) !== m[1]
                ? `$${Math.abs(loser.value).toFixed(2)}`
                : undefined,
            )
          : undefined);
      if (out) return out;
    }
    return undefined;
  },
  flipped_rating: (text, { random }) => {
    const m = /\b(Strong Buy|Buy|Sell|Overweight|Underweight|Outperform|Underperform|Hold|Neutral|Equal Weight|Market Perform)\b/.exec(
      text,
    );
    if (!m || !/\brat(?:es|ing|ed)\b/.test(text)) return undefined;
    return text.slice(0, m.index) + pick(random, RATING_FLIPS[m[1]!]!) + text.slice(m.index + m[0].length);
  },
  wrong_firm: (text, { coveringFirms, otherFirms, random }) => {
    const firm = coveringFirms.find((f) => text.includes(f));
    if (!firm || otherFirms.length === 0) return undefined;
    return text.replace(firm, pick(random, otherFirms));
  },
  invented_entity: (text, { random }) => {
    if (/^(From|Among|The 10-K|A risk)/.test(text)) return undefined;
    const name = pick(random, INVENTED_NAMES);
    return pick(random, [
      () => text.replace(/\.$/, pick(random, INVENTED_TAILS)),
      () =>
        `Chief executive ${pick(random, ['Jonas Ferreira', 'Priya Halloran', 'Tomas Eklund'])} said ${text[0]!.toLowerCase()}${text.slice(1)}`,
      () =>
        name.includes(',')
          ? `According to ${name.replace(/,$/, '').replace(/,.*$/, '')}, ${text[0]!.toLowerCase()}${text.slice(1)}`
          : undefined,
      () => text.replace(/\.$/, `, helped by its partnership with ${name.replace(/,.*$/, '')}.`),
      () => text.replace(/\.$/, `, ahead of rival ${name.replace(/,.*$/, '')}.`),
    ])();
  },
  swapped_ticker: (text, { snapshot, otherTickers, random }) => {
    if (!text.includes(`(${snapshot.ticker})`) && !new RegExp(`\\b${snapshot.ticker}\\b`).test(text)) return undefined;
    const other = pick(random, otherTickers);
    return text.replace(new RegExp(`\\b${snapshot.ticker}\\b`), other);
  },
  future_date: (text, { snapshot, random }) =>
    replaceOne(
      text,
      /\b(January|February|March|April|May|June|July|August|September|October|November|December) (\d{1,2}), (\d{4})\b/,
      random,
      () => {
        const asOf = new Date(`${snapshot.asOf}T00:00:00Z`);
        const future = new Date(asOf.getTime() + (20 + Math.floor(random() * 400)) * 86_400_000);
        return future.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
      },
    ),
  stale_as_current: (text, { snapshot, random }) => {
    // The latest period's figure replaced by the same line item's figure from an older period.
    for (const metric of ['revenue', 'net_income', 'operating_cash_flow'] as const) {
      const facts = snapshot.facts.filter((f) => f.metric === metric && f.unit === 'USD');
      const latest = [...facts].sort((a, b) => (a.period.end < b.period.end ? 1 : -1));
      for (const current of latest) {
        const older = facts.filter(
          (f) =>
            f.period.fiscalPeriod === current.period.fiscalPeriod &&
            f.period.end < current.period.end &&
            Math.abs(f.value / current.value - 1) > 0.02,
        );
        if (older.length === 0) continue;
        const stale = pick(random, older);
        const out = replaceOne(text, MONEY, random, (m) => {
          const value = numberOf(m[1]!) * SCALE_VALUE[m[2]!]!;
          const slack = (0.5 * 10 ** -decimalsOf(m[1]!) + 1e-9) * SCALE_VALUE[m[2]!]!;
          return Math.abs(value - current.value) <= slack ? restyle(m, stale.value) : undefined;
        });
        if (out) return out;
      }
    }
    return undefined;
  },
  unsupported_superlative: (text, { random }) => {
    if (!/\d/.test(text)) return undefined;
    const order = SUPERLATIVES.map((_, i) => i).sort(() => random() - 0.5);
    for (const i of order) {
      const out = SUPERLATIVES[i]!(text, random);
      if (out && out !== text) return out;
    }
    return undefined;
  },
};

export function inventedEvent(companyName: string, random: Random): string {
  return pick(random, EVENTS)(companyName.split(' ')[0]!);
}

export function promise(random: Random): string {
  return pick(random, PROMISES);
}

export function recommendation(random: Random): string {
  return pick(random, RECOMMENDATIONS);
}

/** Meaning-preserving rewordings of a correct sentence: the controls a good detector leaves alone. */
const REWORDINGS: SentenceEdit[] = [
  (t) => (/\$(\d+(?:\.\d+)?)B\b/.test(t) ? t.replace(/\$(\d+(?:\.\d+)?)B\b/, '$$$1 billion') : undefined),
  (t) => (/\$(\d+(?:\.\d+)?)M\b/.test(t) ? t.replace(/\$(\d+(?:\.\d+)?)M\b/, '$$$1 million') : undefined),
  (t) => (/ percent\b/.test(t) ? t.replace(/ percent\b/, '%') : undefined),
  (t) => (/^Revenue for (.+?) was /.test(t) ? t.replace(/^Revenue for (.+?) was /, 'In $1, revenue was ') : undefined),
  (t) => (/\bfrom a year earlier\b/.test(t) ? t.replace(/\bfrom a year earlier\b/, 'compared with the prior year') : undefined),
  (t) => (/ year on year\b/.test(t) ? t.replace(/ year on year\b/, ' from a year earlier') : undefined),
  (t) => (/^Net income came in at /.test(t) ? t.replace(/^Net income came in at /, 'Net income was ') : undefined),
  (t) => (/^The stock was at /.test(t) ? t.replace(/^The stock was at /, 'Shares traded at ') : undefined),
  (t) => (/^Analysts on average expect /.test(t) ? t.replace(/^Analysts on average expect /, 'Consensus expects ') : undefined),
  (t) =>
    /^Among the risks in the annual report: /.test(t)
      ? t.replace(/^Among the risks in the annual report: /, 'The annual report flags this risk: ')
      : undefined,
];

export function reword(text: string, random: Random): string | undefined {
  const order = REWORDINGS.map((_, i) => i).sort(() => random() - 0.5);
  for (const i of order) {
    const out = REWORDINGS[i]!(text, undefined as never);
    if (out && out !== text) return out;
  }
  return undefined;
}
