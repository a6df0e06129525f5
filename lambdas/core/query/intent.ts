/**
 * What a question asks about: topics (which facts and excerpts matter), the period it means, and
 * whether it needs the deep path (several sources weighed against each other, or several stocks)
 * or the simple one. Pure and deterministic.
 */
import type { MetricName, AnswerDepth } from '../model';

export const TOPICS = [
  'results',
  'revenue',
  'profitability',
  'eps',
  'balance_sheet',
  'cash_flow',
  'dividends',
  'valuation',
  'estimates',
  'analysts',
  'risks',
  'news',
  'business',
] as const;
export type Topic = (typeof TOPICS)[number];

const TOPIC_PATTERNS: Record<Topic, RegExp> = {
  results:
    /\b(?:results?|quarter|quarterly|q[1-4]|annual|fiscal|fy|year|performance|perform\w*|drove|drivers?|driving|happened|report(?:ed|s)?|earnings)\b/,
  revenue: /\b(?:revenues?|sales|top[- ]line|grow\w*|growth|demand|volumes?)\b/,
  profitability:
    /\b(?:margins?|profit\w*|net income|income|operating income|gross profit|losses?|loss-making|costs?|expenses?|bottom[- ]line)\b/,
  eps: /\b(?:eps|earnings per share|per share|earnings)\b/,
  balance_sheet: /\b(?:balance sheet|debt|leverage|liabilit\w*|assets?|equity|solvency|capital|book value)\b/,
  cash_flow: /\b(?:cash|cash ?flow|liquidity|free cash|capex|capital spending)\b/,
  dividends: /\b(?:dividends?|payout|yield|distribution|buybacks?|repurchases?|shareholder returns?)\b/,
  valuation: /\b(?:valuation|valued|p\/?e|multiples?|price|priced|trading at|market cap\w*|market value|expensive|cheap|worth)\b/,
  estimates: /\b(?:consensus|estimates?|expectations?|expected|forecasts?|guidance|outlook|next year|forward)\b/,
  analysts:
    /\b(?:analysts?|ratings?|rated|upgrades?|downgrades?|price targets?|targets?|brokers?|research|notes?|thesis|bull|bear|street)\b/,
  risks:
    /\b(?:risks?|risky|threats?|headwinds?|concerns?|worr\w*|challenges?|uncertaint\w*|litigation|regulat\w*|competition|competitors?|exposure|downside|safety|safe|sustainab\w*)\b/,
  news: /\b(?:news|headlines?|announce\w*|recent(?:ly)?|latest|lately|this week|today|events?|catalysts?|developments?|launch\w*|deal|acquisitions?|mergers?|management changes?|ceo|cfo)\b/,
  business:
    /\b(?:business|does|do they do|what is|who is|segments?|products?|customers?|strategy|model|overview|describe|summary|summari[sz]e|brief|tell me about)\b/,
};

/** The metrics each topic reads from the fact snapshot. */
export const TOPIC_METRICS: Record<Topic, MetricName[]> = {
  results: ['revenue', 'revenue_growth', 'net_income', 'eps_diluted', 'operating_margin'],
  revenue: ['revenue', 'revenue_growth', 'consensus_revenue'],
  profitability: ['gross_margin', 'operating_margin', 'net_margin', 'net_income', 'operating_income', 'gross_profit'],
  eps: ['eps_diluted', 'eps_basic', 'consensus_eps'],
  balance_sheet: ['total_assets', 'total_liabilities', 'stockholders_equity', 'cash'],
  cash_flow: ['operating_cash_flow', 'cash'],
  dividends: ['dividends_per_share', 'net_income', 'eps_diluted', 'operating_cash_flow'],
  valuation: ['price', 'market_cap', 'pe_ratio', 'price_target'],
  estimates: ['consensus_eps', 'consensus_revenue'],
  analysts: ['price_target', 'price'],
  risks: [],
  news: [],
  business: ['revenue', 'market_cap'],
};

/** The topics of a question (lower-cased skeleton text); an unspecific question gets an overview. */
export function topicsOf(question: string): Topic[] {
  const text = question.toLowerCase();
  const topics = TOPICS.filter((topic) => TOPIC_PATTERNS[topic].test(text));
  return topics.length > 0 ? topics : ['results', 'valuation', 'analysts', 'business'];
}

/** The metrics the topics need, most specific first, without duplicates. */
export function metricsFor(topics: readonly Topic[]): MetricName[] {
  return [...new Set(topics.flatMap((topic) => TOPIC_METRICS[topic]))];
}

export type PeriodPreference = 'quarter' | 'annual' | 'latest';

/** Which period a question means: a quarter, a fiscal year, or whatever is latest. */
export function periodPreferenceOf(question: string): PeriodPreference {
  const text = question.toLowerCase();
  if (/\b(?:quarter|quarterly|q[1-4]|three months)\b/.test(text)) return 'quarter';
  if (/\b(?:annual|annually|fiscal year|full[- ]year|fy ?\d{0,4}|last year|this year|year over year)\b/.test(text)) return 'annual';
  return 'latest';
}

/** Specific years or quarters a question names (to prefer those periods' facts). */
export function periodsNamedIn(question: string): { fiscalYears: number[]; quarters: number[] } {
  const fiscalYears = [...question.matchAll(/\b(?:fy|fiscal(?: year)?)\s?'?(\d{4}|\d{2})\b/gi)].map((m) => {
    const year = Number(m[1]);
    return year < 100 ? 2000 + year : year;
  });
  const quarters = [...question.matchAll(/\bq([1-4])\b|\b(first|second|third|fourth) quarter\b/gi)].map((m) =>
    m[1] ? Number(m[1]) : ['first', 'second', 'third', 'fourth'].indexOf(m[2]!.toLowerCase()) + 1,
  );
  return { fiscalYears, quarters };
}

const DEEP_CUES =
  /\b(?:compare|comparison|compared|versus|vs\.?|against|relative to|better|worse|why|explain|drove|drivers?|driving|caused|because|reconcile|disagree|bull (?:and|vs\.?) bear|pros and cons|thesis|in depth|in-depth|deep dive|analy[sz]e|analysis|assess|evaluate|implications?|how (?:sustainable|safe|durable))\b/;

/**
 * Simple questions go to the small model in one call; deep ones (comparisons, several stocks,
 * "why" questions weighing several sources) to the specialist steps and the strong model. An
 * explicit `depth` in the request wins.
 */
export function classifyDepth(question: string, tickerCount: number, requested?: AnswerDepth | 'auto'): AnswerDepth {
  if (requested === 'simple' || requested === 'deep') return requested;
  if (tickerCount >= 2) return 'deep';
  return DEEP_CUES.test(question.toLowerCase()) ? 'deep' : 'simple';
}
