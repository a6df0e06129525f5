/**
 * Scope: the service answers questions about the covered stocks, from their filings, vendor data,
 * research and news. A question is in scope when it names a covered stock (or follows up on one in
 * the session) and is not a request for something else (a poem, code, the weather, a crypto tip).
 * A finance question that names no covered stock gets its own reason, so the FA knows to name one.
 *
 * Pure: no I/O.
 */
import { skeleton } from './text';

export type ScopeVerdict = { inScope: true } | { inScope: false; code: 'out_of_scope' | 'no_covered_ticker'; message: string };

/** Words that make a question about a company's business, results, valuation or coverage. */
const FINANCE_TERMS =
  /\b(?:revenues?|sales|top[- ]line|earnings|eps|income|profits?|profitab\w*|loss(?:es)?|margins?|growth|grow\w*|guidance|outlook|forecast\w*|quarters?|quarterly|annual|fiscal|fy|q[1-4]|results?|dividends?|yield|payout|buybacks?|repurchases?|debt|leverage|liabilit\w*|assets?|equity|cash|cash ?flow|balance sheet|valuation|valued|p\/?e|multiples?|price|prices|priced|target|analysts?|ratings?|rated|upgrades?|downgrades?|consensus|estimates?|expectations?|risks?|risky|filings?|10-?k|10-?q|8-?k|annual report|sec|news|headlines?|catalysts?|stocks?|shares?|sharehold\w*|company|companies|business|segments?|competit\w*|management|ceo|cfo|acquisitions?|mergers?|deal|drove|drivers?|driving|performance|perform\w*|compare|comparison|versus|vs\.?|peer|peers|sector|industry|market cap\w*|market value|capital|spending|capex|costs?|expenses?|operating|brief|summary|summari[sz]e|overview|thesis|trend\w*|moat|strategy|products?|customers?|demand|supply|inventory|backlog|orders?)\b/;

/**
 * Requests for something other than stock research, even when they name a ticker: creative writing,
 * code, chit-chat. Deliberately no industry words (travel, games, medical, casinos, crypto): covered
 * companies work in those industries and FAs ask about them.
 */
const OFF_TOPIC =
  /\b(?:(?:write|compose|make up|give me|tell me|create|generate)\s+(?:me\s+)?(?:a|an|some|the)?\s*(?:poem|poetry|haiku|sonnet|limerick|song|lyrics|rap|story|fairy tale|novel|screenplay|joke|riddle|essay|code|program|script|function|sql query|regex|cover letter|tweet)s?|poem|poems|haiku|limerick|lyrics|knock knock|recipe|recipes|horoscope|astrology|zodiac sign|weather (?:today|tomorrow|forecast|in)|what(?:'s| is) the weather|homework|translate (?:this|the following|into)|(?:python|javascript|typescript|java|rust|golang|c\+\+) (?:code|function|script|program)|lottery numbers|who will win the)\b/;

const MESSAGES = {
  out_of_scope:
    "This service answers questions about covered stocks from their filings, vendor data, research notes and news. Ask about a company's results, valuation, estimates, analyst views, risks or news.",
  no_covered_ticker:
    'The question does not name a covered stock. Name the company or its ticker symbol (for example "What drove ABC\'s last quarter?").',
} as const;

/** True when the question reads as stock research. */
export function hasFinanceTerms(text: string): boolean {
  return FINANCE_TERMS.test(skeleton(text));
}

/** True when the question asks for something other than stock research. */
export function isOffTopic(text: string): boolean {
  return OFF_TOPIC.test(skeleton(text));
}

/**
 * Decide scope once tickers are resolved. `tickerCount` counts tickers from the request, the
 * question and the session.
 */
export function checkScope(question: string, tickerCount: number): ScopeVerdict {
  if (isOffTopic(question)) return { inScope: false, code: 'out_of_scope', message: MESSAGES.out_of_scope };
  if (tickerCount > 0) return { inScope: true };
  if (hasFinanceTerms(question)) return { inScope: false, code: 'no_covered_ticker', message: MESSAGES.no_covered_ticker };
  return { inScope: false, code: 'out_of_scope', message: MESSAGES.out_of_scope };
}
