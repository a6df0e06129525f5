/**
 * One sentence per fact, written the way the verifier reads figures: the display string from
 * format.ts, the fact's own period label next to it, and the fact's sources as citations. The local
 * answer provider writes with these, and so does the facts-only fallback when a model's answer does
 * not survive the output guardrails. Pure.
 */
import type { ContextFact } from './context';

export interface NumberedSentence {
  text: string;
  /** Source numbers of the answer context. */
  sources: number[];
}

/** "the third quarter of fiscal 2026" reads after "for"; "as of March 3, 2026" stands alone. */
function when(fact: ContextFact): string {
  return fact.fiscalPeriod === 'spot' ? fact.periodLabel : `for ${fact.periodLabel}`;
}

/** A sentence stating `fact` about `subject` (a company name or ticker). */
export function factSentence(fact: ContextFact, subject: string): NumberedSentence {
  const d = fact.display;
  const w = when(fact);
  const text = (() => {
    switch (fact.metric) {
      case 'revenue':
        return `${subject} reported revenue of ${d} ${w}.`;
      case 'revenue_growth':
        return `${subject}'s revenue was ${fact.negative ? 'down' : 'up'} ${d} year on year ${w}.`;
      case 'net_income':
        return fact.negative ? `${subject} reported a net loss of ${d} ${w}.` : `${subject} reported net income of ${d} ${w}.`;
      case 'eps_diluted':
      case 'eps_basic':
        return `${subject}'s ${fact.metric === 'eps_basic' ? 'basic' : 'diluted'} ${fact.negative ? 'loss per share' : 'EPS'} was ${d} ${w}.`;
      case 'price':
        return `${subject}'s shares traded at ${d} ${w}.`;
      case 'market_cap':
        return `${subject}'s market value was ${d} ${w}.`;
      case 'pe_ratio':
        return `${subject}'s shares traded at ${d} trailing diluted earnings ${w}.`;
      case 'price_target':
        return `An analyst price target of ${d} for ${subject} is on record ${w}.`;
      case 'consensus_eps':
        return `Consensus expects ${fact.negative ? 'a loss per share' : 'EPS'} of ${d} for ${subject} ${w}.`;
      case 'consensus_revenue':
        return `Consensus expects revenue of ${d} for ${subject} ${w}.`;
      case 'operating_cash_flow':
        return `${subject}'s operating cash flow was ${fact.negative ? 'an outflow of ' : ''}${d} ${w}.`;
      case 'dividends_per_share':
        return `${subject}'s dividends were ${d} a share ${w}.`;
      case 'gross_margin':
      case 'operating_margin':
      case 'net_margin':
        return `${subject}'s ${fact.label} was ${fact.negative ? 'minus ' : ''}${d} ${w}.`;
      default:
        return `${subject}'s ${fact.label} was ${fact.negative ? 'negative at ' : ''}${d} ${w}.`;
    }
  })();
  return { text, sources: fact.sources };
}
