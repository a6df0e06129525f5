/**
 * Sentence builders over a BriefInput. The facts-only fallback uses the figure sentences alone;
 * the local model adds number-free prose quoted from the sources. Every sentence that carries a
 * figure cites the documents of the facts it uses, with the figure written by `format.ts`.
 */
import type { SummaryBody, SummaryDraft, SummarySection, SummarySentence } from '../model';
import type { BriefInput, PromptFact } from './brief-input';
import { METRIC_LABELS, SOURCE_LABELS } from '../facts/format';

type Style = 'narrative' | 'facts_only';

function cite(...facts: Array<PromptFact | undefined>): string[] {
  return [...new Set(facts.flatMap((f) => (f ? f.docIds : [])))];
}

class FactIndex {
  constructor(private readonly facts: PromptFact[]) {}

  latest(metric: string, periods: 'FY' | 'Q' | 'spot'): PromptFact | undefined {
    return this.facts
      .filter((f) => f.metric === metric && (periods === 'Q' ? f.fiscalPeriod.startsWith('Q') : f.fiscalPeriod === periods))
      .sort((a, b) => b.fiscalYear - a.fiscalYear || b.fiscalPeriod.localeCompare(a.fiscalPeriod))[0];
  }

  at(metric: string, periodKey: string): PromptFact | undefined {
    return this.facts.find((f) => f.metric === metric && f.periodKey === periodKey);
  }

  all(metric: string): PromptFact[] {
    return this.facts.filter((f) => f.metric === metric);
  }
}

function direction(growth: PromptFact): string {
  return growth.value >= 0 ? `up ${growth.display}` : `down ${growth.display}`;
}

function resultsSentences(ix: FactIndex, period: 'FY' | 'Q'): SummarySentence[] {
  const revenue = ix.latest('revenue', period);
  if (!revenue) return [];
  const key = revenue.periodKey;
  const out: SummarySentence[] = [];
  const growth = ix.at('revenue_growth', key);
  const label = revenue.periodLabel.charAt(0).toUpperCase() + revenue.periodLabel.slice(1);
  out.push({
    text: growth
      ? `Revenue for ${revenue.periodLabel} was ${revenue.display}, ${direction(growth)} year on year.`
      : `${label} revenue was ${revenue.display}.`,
    citations: cite(revenue, growth),
  });
  const netIncome = ix.at('net_income', key);
  const eps = ix.at('eps_diluted', key);
  const netMargin = ix.at('net_margin', key);
  if (netIncome) {
    const loss = netIncome.value < 0;
    const epsPart = eps ? ` and diluted ${eps.value < 0 ? 'loss per share' : 'EPS'} of ${eps.display}` : '';
    const marginPart = netMargin && !loss ? `, a net margin of ${netMargin.display},` : '';
    out.push({
      text: `${loss ? 'The company reported a net loss of' : 'Net income was'} ${netIncome.display}${marginPart}${epsPart} in ${netIncome.periodLabel}.`,
      citations: cite(netIncome, eps, netMargin && !loss ? netMargin : undefined),
    });
  }
  if (period === 'FY') {
    const gross = ix.at('gross_margin', key);
    const operating = ix.at('operating_margin', key);
    if (gross && operating) {
      out.push({
        text: `Gross margin was ${gross.display} and operating margin ${operating.value < 0 ? 'minus ' : ''}${operating.display} in ${revenue.periodLabel}.`,
        citations: cite(gross, operating),
      });
    } else if (ix.at('net_interest_income', key)) {
      const nii = ix.at('net_interest_income', key)!;
      out.push({ text: `Net interest income was ${nii.display} in ${nii.periodLabel}.`, citations: cite(nii) });
    }
    const cash = ix.latest('cash', 'spot');
    const ocf = ix.at('operating_cash_flow', key);
    if (ocf) {
      out.push({
        text: `Operating cash flow was ${ocf.value < 0 ? 'an outflow of ' : ''}${ocf.display} in ${ocf.periodLabel}${cash ? `, with cash of ${cash.display} ${cash.periodLabel}` : ''}.`,
        citations: cite(ocf, cash),
      });
    }
  }
  return out;
}

function valuationSentences(ix: FactIndex, input: BriefInput): SummarySentence[] {
  const out: SummarySentence[] = [];
  const price = ix.latest('price', 'spot');
  const marketCap = ix.latest('market_cap', 'spot');
  if (price) {
    out.push({
      text: `The shares traded at ${price.display} ${price.periodLabel}${marketCap ? `, a market value of ${marketCap.display}` : ''}.`,
      citations: cite(price, marketCap),
    });
  }
  const pe = ix.latest('pe_ratio', 'spot');
  if (pe) out.push({ text: `That is ${pe.display} trailing diluted earnings per share.`, citations: cite(pe) });
  const consensus = ix.all('consensus_eps').sort((a, b) => a.fiscalYear - b.fiscalYear);
  for (const eps of consensus.slice(0, 2)) {
    const revenue = ix.at('consensus_revenue', eps.periodKey);
    out.push({
      text: `Consensus expects ${eps.value < 0 ? 'a loss per share of' : 'EPS of'} ${eps.display}${revenue ? ` on revenue of ${revenue.display}` : ''} for ${eps.periodLabel}.`,
      citations: cite(eps, revenue),
    });
  }
  for (const conflict of input.conflicts) {
    const other = conflict.others[0];
    if (!other) continue;
    const metric = METRIC_LABELS[conflict.metric] ?? conflict.metric.replace(/_/g, ' ');
    const chosenSource = SOURCE_LABELS[conflict.chosen.source] ?? conflict.chosen.source;
    out.push(
      conflict.kind === 'restatement'
        ? {
            text: `${cap(metric)} for ${conflict.periodLabel} was restated to ${conflict.chosen.display} from ${other.display} as first reported.`,
            citations: [conflict.chosen.docId, other.docId],
          }
        : {
            text: `Sources disagree on ${metric} for ${conflict.periodLabel}: ${chosenSource} shows ${conflict.chosen.display} against ${other.display} in ${SOURCE_LABELS[other.source] ?? other.source}, and this brief uses ${chosenSource}.`,
            citations: [conflict.chosen.docId, other.docId],
          },
    );
  }
  return out;
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function analystSentences(ix: FactIndex, input: BriefInput, style: Style, limit: number): SummarySentence[] {
  const targets = new Map(ix.all('price_target').map((f) => [f.docId, f]));
  const out: SummarySentence[] = [];
  // Excerpts arrive newest first: one view per broker, its latest.
  const latestPerBroker = input.excerpts.filter(
    (e, i, all) => e.kind === 'rating' && all.findIndex((o) => o.kind === 'rating' && o.broker === e.broker) === i,
  );
  for (const rating of latestPerBroker.slice(0, limit)) {
    const target = targets.get(rating.docId);
    out.push({
      text: `${rating.broker} rates the stock ${rating.rating}${target ? ` with a price target of ${target.display}` : ''}.`,
      citations: [rating.docId],
    });
    const thesis = input.excerpts.find((e) => e.kind === 'thesis' && e.docId === rating.docId);
    if (style === 'narrative' && thesis) out.push({ text: thesis.text, citations: [thesis.docId] });
  }
  return out;
}

function proseSentences(input: BriefInput, kind: 'business' | 'risk' | 'news', limit: number): SummarySentence[] {
  return input.excerpts
    .filter((e) => e.kind === kind)
    .slice(0, limit)
    .map((e) => ({
      text: kind === 'risk' ? `The annual report flags this risk: ${e.text.replace(/[.]$/, '')}.` : e.text,
      citations: [e.docId],
    }));
}

function body(parts: Array<[SummarySection, SummarySentence[]]>): SummaryBody {
  return { sections: parts.filter(([, sentences]) => sentences.length > 0).map(([section, sentences]) => ({ section, sentences })) };
}

/** Compose the three lengths. `facts_only` keeps only sentences built from facts and ratings. */
export function composeBrief(input: BriefInput, style: Style): SummaryDraft {
  const ix = new FactIndex(input.facts);
  const { name, ticker, sector } = input.company;
  const narrative = style === 'narrative';
  const annual = resultsSentences(ix, 'FY');
  const quarter = resultsSentences(ix, 'Q');
  const valuation = valuationSentences(ix, input);
  const gapSentences = input.gaps.map((text) => ({ text, citations: [] }));
  const intro: SummarySentence = { text: `${name} (${ticker}) operates in the ${sector} sector.`, citations: [] };
  const business = narrative ? proseSentences(input, 'business', 2) : [];
  const overview = [intro, ...business];

  const headline = quarter[0] ?? annual[0];
  const hookText = headline
    ? `${name} (${ticker}): ${headline.text.charAt(0).toLowerCase()}${headline.text.slice(1)}`
    : `${name} (${ticker}) operates in the ${sector} sector; this brief has no recent reported results for it.`;
  const hook = body([['overview', [{ text: hookText, citations: headline?.citations ?? [] }]]]);

  const medium = body([
    ['overview', overview.slice(0, 2)],
    ['recent_results', [...annual.slice(0, 2), ...quarter.slice(0, 1)]],
    ['valuation_and_estimates', valuation.slice(0, 2)],
    ['analyst_view', analystSentences(ix, input, 'facts_only', 1)],
    ['risks', narrative ? proseSentences(input, 'risk', 1) : []],
    ['catalysts', narrative ? proseSentences(input, 'news', 1) : []],
  ]);

  const expanded = body([
    ['overview', [...overview, ...gapSentences]],
    ['recent_results', [...annual, ...quarter]],
    ['valuation_and_estimates', valuation],
    ['analyst_view', analystSentences(ix, input, style, 3)],
    ['risks', narrative ? proseSentences(input, 'risk', 4) : []],
    ['catalysts', narrative ? proseSentences(input, 'news', 4) : []],
  ]);
  return { hook, medium, expanded };
}
