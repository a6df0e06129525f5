/**
 * The checks beyond single numbers: dates and periods against the as-of date, entities and tickers
 * absent from the sources, ratings and their firms against research notes, citations, the direction
 * of a change stated without a figure, and a lexical entailment check (weighted content-word
 * overlap with the best source sentence, negation and rating flips) for claims with no figure.
 */
import type { Claim, NumericClaim, TextClaim } from './claims';
import {
  PROMISSORY_RE,
  RATING_CONTEXT_RE,
  RATING_RE,
  SUPERLATIVE_RE,
  contentTokens,
  ratingOf,
  stanceCues,
  stanceOfRating,
} from './lexicon';
import type { Rating, Stance } from './lexicon';
import type { Verdict } from './match';
import { approximateEnd, findPeriods } from './periods';
import type { SourceIndex, SourceSentence } from './source-reader';

/** Upper-case words that are vocabulary, not tickers. */
const NOT_TICKERS = new Set(
  "A I AI CEO CFO COO CTO EPS GAAP FY Q1 Q2 Q3 Q4 H1 H2 US USA U.S UK EU USD EUR GBP SEC NYSE NASDAQ ETF ESG IPO M&A R&D SG&A EBIT EBITDA FCF TTM NTM YOY LTM YTD II III IV PE P/E ROE ROA ROIC ARPU API AWS GPU CPU PC TV DC IT HR LLC INC PLC LTD CORP NA OK AND THE FOR OF IN ON TO BY OR VS EBT OEM SKU GDP CPI FX Fed ADR ADRS EV EVS SaaS B2B B2C MD&A ASC ASU IFRS XBRL 10-K 10-Q 8-K Q CEO'S LNG OPEC FDA FTC DOJ DOE IRS EPA NAV AUM PT EST ET PST BUY SELL HOLD".split(
    /\s+/,
  ),
);
const TICKER_RE =
  /(?:\((?:NYSE|NASDAQ|Nasdaq|NYSE American|AMEX|TSX|LSE)?:?\s?([A-Z]{1,5}(?:\.[A-Z])?)\)|\b(?:NYSE|NASDAQ|Nasdaq|ticker|symbol)[:\s]+["“']?([A-Z]{1,5})\b|\b([A-Z]{2,5})(?=['’]s\b|\s+(?:shares|stock)\b))/g;
const COMPANY_RE =
  /\b((?:[A-Z][A-Za-z0-9&.-]+\s+){0,4}[A-Z][A-Za-z0-9&.-]+)\s+(?:Inc\.?|Corp\.?|Corporation|Ltd\.?|LLC|plc|PLC|Holdings|Group|Co\.|Company|N\.V\.|S\.A\.|AG|SE)(?![a-z])/g;
const COMPANY_SUFFIX_RE = /\b(?:Inc|Corp|Corporation|Ltd|LLC|plc|PLC|Holdings|Group|Co\.|Company|N\.V\.|S\.A\.|AG|SE)\b/;
const FIRM_RE =
  /\b((?:[A-Z][A-Za-z&.'-]+)(?:\s+(?:&\s+)?[A-Z][A-Za-z&.'-]+){0,3})\s+(?:rates|rated|upgraded|downgraded|initiated|reiterated|maintains|maintained|has|keeps|kept|cut|raised|lifted|lowered|sets|set|assigns|assigned|sees)\b|\b(?:at|by|from)\s+((?:[A-Z][A-Za-z&.'-]+)(?:\s+(?:&\s+)?[A-Z][A-Za-z&.'-]+){0,3})/g;
/**
 * A person or company named where a sentence relates the subject to someone (a partner, a rival, an
 * acquisition, a source of a statement): two to four capitalised words that must come from a source.
 */
const RELATED_NAME_RE =
  /\b(?:[Aa]ccording to|(?:analysts?|economists?) at|partnership with|partnered with|agreement with|deal with|contract with|tie-up with|alliance with|joint venture with|merger with|acquisition of|acquire[sd]?|rivals?|competitors?|peers?|led by|said|says|correspondent|[Cc]hief (?:executive|financial officer|operating officer)|CEO|CFO|COO|[Pp]resident|[Cc]hair(?:man|woman)?)\s+((?:[A-Z][a-z]+(?:\s+|(?=[,.;:]|$))){2,4})/g;
/** "Tavish Greer, the chief executive, said": a person named by the office they hold. */
const NAMED_OFFICER_RE = /\b((?:[A-Z][a-z]+\s+){1,3}[A-Z][a-z]+),\s+(?:the|its)\s+(?:new\s+)?(?:chief|CEO|CFO|COO|president|chair)/g;
const SENTENCE_START_WORDS = new Set([
  'The',
  'In',
  'On',
  'At',
  'By',
  'For',
  'From',
  'Its',
  'It',
  'This',
  'That',
  'Analysts',
  'Revenue',
  'Shares',
  'Management',
  'We',
  'Our',
  'Fiscal',
  'Net',
  'Operating',
  'Gross',
]);

export interface EntityOptions {
  /** Names and tickers known to be right even when the sources do not spell them (the subject company). */
  knownEntities?: string[];
}

function known(index: SourceIndex, name: string, extra: Set<string>): boolean {
  const n = name.toLowerCase().replace(/[.,]+$/, '');
  if (extra.has(n)) return true;
  // "Quorvex Instruments" is the known "Quorvex Instruments, Inc." (and the other way round).
  for (const e of extra) if (e.length >= 3 && (e.includes(n) || n.includes(e))) return true;
  return index.lowerText.includes(n);
}

/** Tickers and company names the sentence names that no source mentions. */
export function checkEntities(claim: Claim, index: SourceIndex, options: EntityOptions): Verdict | undefined {
  const s = claim.ctx.sentence;
  const extra = new Set((options.knownEntities ?? []).map((e) => e.toLowerCase()));
  // Cheap gates first: a ticker needs two capitals in a row, a company name a corporate suffix.
  if (/[A-Z]{2}/.test(s))
    for (const m of s.matchAll(TICKER_RE)) {
      const t = m[1] ?? m[2] ?? m[3];
      if (!t || NOT_TICKERS.has(t)) continue;
      if (!new RegExp(`\\b${t.replace('.', '\\.')}\\b`).test(index.rawText) && !extra.has(t.toLowerCase())) {
        return { status: 'unsupported', kind: 'unknown_entity', reason: `ticker ${t} appears in no source` };
      }
    }
  for (const m of [...s.matchAll(RELATED_NAME_RE), ...s.matchAll(NAMED_OFFICER_RE)]) {
    const name = m[1]!.trim();
    if (!known(index, name, extra)) return { status: 'unsupported', kind: 'unknown_entity', reason: `${name} appears in no source` };
  }
  if (COMPANY_SUFFIX_RE.test(s))
    for (const m of s.matchAll(COMPANY_RE)) {
      const name = m[1]!
        .split(/\s+/)
        .filter((w, i) => !(i === 0 && SENTENCE_START_WORDS.has(w)))
        .join(' ');
      if (!name) continue;
      if (!known(index, name, extra)) return { status: 'unsupported', kind: 'unknown_entity', reason: `${m[0]} appears in no source` };
    }
  return undefined;
}

function firmOf(sentence: string): string | undefined {
  for (const m of sentence.matchAll(FIRM_RE)) {
    const name = (m[1] ?? m[2])!.trim();
    const words = name.split(/\s+/).filter((w, i) => !(i === 0 && SENTENCE_START_WORDS.has(w)));
    if (words.length === 0) continue;
    const firm = words.join(' ');
    if (RATING_RE.test(firm)) {
      RATING_RE.lastIndex = 0;
      continue;
    }
    RATING_RE.lastIndex = 0;
    if (findPeriods(firm).length > 0 || /^(?:Buy|Hold|Sell|Neutral|Overweight|Underweight|Outperform|Underperform)$/.test(firm)) continue;
    return firm;
  }
  return undefined;
}

function ratingsIn(sentence: string): Rating[] {
  if (!RATING_CONTEXT_RE.test(sentence)) return [];
  return [...sentence.matchAll(RATING_RE)].map((m) => ratingOf(m[1]!)).filter((r): r is Rating => r !== undefined);
}

/** Texts that speak for a research note: its own title and text, and what the checked text quotes from it. */
export type NoteTexts = (sourceIds: string[]) => string[];

const STANCE_WORD: Record<Stance, string> = { positive: 'positive', neutral: 'neutral', negative: 'negative' };

/** The stance a note's words take, when they take one clearly (the most cues, and at least two more than any other reading's). */
function stanceOf(texts: string[]): { stance: Stance; cues: Record<Stance, number> } | undefined {
  const cues = { positive: 0, neutral: 0, negative: 0 };
  for (const t of texts) {
    const c = stanceCues(t);
    cues.positive += c.positive;
    cues.neutral += c.neutral;
    cues.negative += c.negative;
  }
  const ranked = (Object.entries(cues) as Array<[Stance, number]>).sort((a, b) => b[1] - a[1]);
  if (ranked[0]![1] < 2 || ranked[0]![1] - ranked[1]![1] < 2) return undefined;
  return { stance: ranked[0]![0], cues };
}

/**
 * A rating no source states outright, checked for consistency with what does speak for the note:
 * its price target against the current share price (a buy-side rating with a target well below the
 * price, or a sell-side one well above it, contradicts itself) and the stance of the note's words.
 */
function ratingConsistency(claim: Claim, rating: Rating, index: SourceIndex, noteTexts?: NoteTexts): Verdict | undefined {
  const s = claim.ctx.sentence;
  const target =
    /\btarget(?:\s+price)?\s+(?:of\s+|at\s+|to\s+)?\$\s?(\d[\d,]*(?:\.\d+)?)|\$\s?(\d[\d,]*(?:\.\d+)?)\s+(?:price\s+)?target\b/i.exec(s);
  if (target) {
    const value = Number((target[1] ?? target[2])!.replace(/,/g, ''));
    const prices = (index.byToken.get('#price') ?? []).map((id) => index.figures[id]!).filter((f) => f.metric === 'price' && f.value > 0);
    const price = prices.sort((a, b) => (b.period?.year ?? 0) - (a.period?.year ?? 0))[0];
    if (price && value > 0) {
      const upside = value / price.value - 1;
      const pct = `${(upside * 100).toFixed(0)}%`;
      if ((rating === 'buy' && upside < -0.25) || (rating === 'sell' && upside > 0.25))
        return {
          status: 'contradicted',
          kind: 'wrong_rating',
          reason: `a ${rating} rating with a price target ${upside < 0 ? 'below' : 'above'} the share price (${pct} implied): the rating and target disagree`,
          evidence: { sourceId: price.sourceId, quote: price.snippet },
        };
    }
  }
  if (!noteTexts || claim.ctx.citations.length === 0) return undefined;
  const texts = noteTexts(claim.ctx.citations).filter((t) => t !== s);
  const read = stanceOf(texts);
  if (!read) return undefined;
  const stated = stanceOfRating(rating);
  if (read.stance === stated) return undefined;
  return {
    status: 'contradicted',
    kind: 'wrong_rating',
    reason: `a ${rating} rating, but the note's own words are ${STANCE_WORD[read.stance]} (${read.cues.positive} positive, ${read.cues.neutral} neutral, ${read.cues.negative} negative cues)`,
    evidence: { sourceId: claim.ctx.citations[0]!, quote: texts.join(' ').slice(0, 200) },
  };
}

/** A rating (and its firm) against the research notes. */
export function checkRating(claim: Claim, index: SourceIndex, noteTexts?: NoteTexts): Verdict | undefined {
  const s = claim.ctx.sentence;
  const ratings = ratingsIn(s);
  if (ratings.length === 0) return undefined;
  const rating = ratings.at(-1)!;
  const firm = firmOf(s);
  const rated = index.sentences.filter((x) => x.ratings.length > 0);
  if (firm) {
    const firmLower = firm.toLowerCase();
    if (!index.lowerText.includes(firmLower))
      return {
        status: 'contradicted',
        kind: 'wrong_firm',
        reason: `${firm} appears in no source; the rating belongs to another firm or to none`,
      };
    const byFirm = rated.filter((x) => x.text.toLowerCase().includes(firmLower));
    if (byFirm.length === 0) return ratingConsistency(claim, rating, index, noteTexts);
    const agree = byFirm.find((x) => x.ratings.includes(rating));
    if (agree)
      return {
        status: 'supported',
        kind: 'supported',
        reason: `${firm} rates it ${rating} in ${agree.sourceId}`,
        evidence: { sourceId: agree.sourceId, quote: agree.text },
      };
    const other = byFirm[0]!;
    return {
      status: 'contradicted',
      kind: 'wrong_rating',
      reason: `${firm}'s rating is ${other.ratings.at(-1)} in ${other.sourceId}, not ${rating}`,
      evidence: { sourceId: other.sourceId, quote: other.text },
    };
  }
  if (rated.length === 0) return ratingConsistency(claim, rating, index, noteTexts);
  const agree = rated.find((x) => x.ratings.includes(rating));
  if (agree)
    return {
      status: 'supported',
      kind: 'supported',
      reason: `rated ${rating} in ${agree.sourceId}`,
      evidence: { sourceId: agree.sourceId, quote: agree.text },
    };
  return {
    status: 'contradicted',
    kind: 'wrong_rating',
    reason: `the research notes rate it ${rated[0]!.ratings.at(-1)}, not ${rating}`,
    evidence: { sourceId: rated[0]!.sourceId, quote: rated[0]!.text },
  };
}

/** A price target's firm must be the firm the matched note names. */
export function checkFirmOfFigure(claim: NumericClaim, verdict: Verdict, index: SourceIndex): Verdict | undefined {
  if (verdict.status !== 'supported' || !verdict.evidence || !/target|rating|rate[sd]?\b/i.test(claim.ctx.sentence)) return undefined;
  const firm = firmOf(claim.ctx.sentence);
  if (!firm) return undefined;
  const firmLower = firm.toLowerCase();
  if (verdict.evidence.quote.toLowerCase().includes(firmLower)) return undefined;
  const names = (sourceId: string) => {
    const source = index.sources.get(sourceId);
    return !!source && `${source.title ?? ''} ${source.text}`.toLowerCase().includes(firmLower);
  };
  if (names(verdict.evidence.sourceId)) return undefined;
  // Two notes can hold the same target: the figure is the firm's if any source of the firm holds it.
  const value = verdict.evidence.value ?? claim.signed;
  const tol = Math.max(Math.abs(value) * 1e-6, 1e-9);
  if (index.figures.some((f) => Math.abs(f.value - value) <= tol && f.sourceId !== verdict.evidence!.sourceId && names(f.sourceId)))
    return undefined;
  return {
    status: 'contradicted',
    kind: 'wrong_firm',
    reason: `${claim.figure.raw} comes from ${verdict.evidence.sourceId}, which is not ${firm}'s`,
    evidence: verdict.evidence,
  };
}

/** Dates after the as-of date stated as facts that already happened. */
export function checkDates(claim: Claim, asOf: string | undefined): Verdict | undefined {
  if (!asOf) return undefined;
  const s = claim.ctx.sentence;
  // A forward-looking sentence may name a later date; a "price target" is a noun, not a forecast.
  const forward =
    /\b(?:will|expects?|expected|plans?|scheduled|due|matur(?:e|es|ing)|guid(?:e|ance)|forecast|(?<!price )target|by|through|until|next)\b/i.test(
      s,
    );
  for (const p of claim.ctx.periods) {
    if (p.kind !== 'date' && p.kind !== 'month') continue;
    const end = approximateEnd(p);
    if (!end || end <= asOf) continue;
    // "as of <date>" reports a state on that date, which cannot lie after the as-of date.
    const reportedAsOf = s.toLowerCase().includes(`as of ${p.text.toLowerCase()}`);
    if (!forward || reportedAsOf)
      return { status: 'contradicted', kind: 'future_date', reason: `${p.text} is after the as-of date ${asOf}, stated as past` };
  }
  return undefined;
}

/** Citation markers that name no source, and evidence from a source the sentence does not cite. */
export function checkCitations(claim: Claim, verdict: Verdict, index: SourceIndex, knownIds?: Set<string>): Verdict | undefined {
  const cites = claim.ctx.citations;
  if (cites.length === 0) return undefined;
  const ids = knownIds ?? new Set(index.sources.keys());
  const unknown = cites.find((c) => !ids.has(c));
  if (unknown) return { status: 'unsupported', kind: 'unknown_citation', reason: `cites ${unknown}, which is not a source` };
  if (verdict.status === 'supported' && verdict.evidence && !cites.includes(verdict.evidence.sourceId)) {
    // The same figure can sit in several sources ("$20.00" in two notes): a cited one holding it is the evidence.
    if (claim.kind === 'numeric' && !verdict.derived) {
      const value = verdict.evidence.value ?? claim.signed;
      const tol = Math.max(Math.abs(value) * 1e-6, 1e-9);
      const cited = index.figures.find((f) => cites.includes(f.sourceId) && Math.abs(f.value - value) <= tol);
      if (cited) return { ...verdict, evidence: { sourceId: cited.sourceId, quote: cited.snippet, value: cited.value } };
    }
    // Two items can say the same thing (a headline run twice): a cited one that says it is the evidence.
    if (claim.kind === 'text') {
      const cited = bestSentence(claim.tokens, index, new Set(cites));
      if (cited && cited.coverage >= 0.6)
        return {
          ...verdict,
          evidence: { sourceId: cited.sentence.sourceId, quote: cited.sentence.text },
          weak: verdict.weak || cited.coverage < 0.75,
        };
    }
    return {
      status: verdict.status,
      kind: 'citation_mismatch',
      reason: `${verdict.reason}; but the sentence cites ${cites.join(', ')}, not ${verdict.evidence.sourceId}`,
      evidence: verdict.evidence,
      weak: true,
    };
  }
  return undefined;
}

interface BestSentence {
  sentence: SourceSentence;
  coverage: number;
}

/** The source sentence that covers most of the claim's content words, weighted by rarity. */
export function bestSentence(tokens: string[], index: SourceIndex, restrictTo?: Set<string>): BestSentence | undefined {
  const unique = [...new Set(tokens)];
  if (unique.length === 0) return undefined;
  const weights = unique.map((t) => index.idf.get(t) ?? Math.log(1 + index.sentences.length + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const acc = new Map<number, number>();
  unique.forEach((t, i) => {
    for (const id of index.sentenceByToken.get(t) ?? []) acc.set(id, (acc.get(id) ?? 0) + weights[i]!);
  });
  let best: BestSentence | undefined;
  for (const [id, w] of acc) {
    const s = index.sentences[id]!;
    if (restrictTo && !restrictTo.has(s.sourceId)) continue;
    const coverage = w / total;
    if (!best || coverage > best.coverage) best = { sentence: s, coverage };
  }
  return best;
}

// Verbs and adjectives of direction only: "risk", "contracts" and "mission" are not "rise", "contracted" and "missed".
const DOWN_RE =
  /\b(decreas\w*|fell|fall(?:s|ing|en)?|declin\w*|dropped|lower|down|shrank|contract(?:ed|ing)|weak\w*|miss(?:ed|es|ing)?|cut|reduc\w*|loss(?:es)?)\b/i;
const UP_RE =
  /\b(increas\w*|rose|ris(?:e|es|ing|en)|grew|grow\w*|higher|up|gain\w*|expand\w*|strong\w*|beat|rais\w*|improv\w*|profit\w*)\b/i;

/** "Here is how A and B compare", "In summary:": sentences about the text, not about the world. */
const DISCOURSE_RE =
  /^\s*(?:here (?:is|are)\b|below (?:is|are)\b|the following\b|in (?:summary|short|brief)\b|to (?:summari[sz]e|sum up)\b|this (?:answer|summary|brief|note) (?:covers|looks at|compares|summari[sz]es)\b)/i;

/** Entailment for a claim with no figure: supported, contradicted (negation or direction flipped) or unsupported. */
export function checkEntailment(claim: TextClaim, index: SourceIndex): Verdict {
  if (DISCOURSE_RE.test(claim.ctx.sentence) && claim.ctx.sentence.split(/\s+/).length <= 12)
    return { status: 'supported', kind: 'supported', reason: 'frames the text itself; says nothing about the company', weak: true };
  const best = bestSentence(claim.tokens, index);
  if (!best || claim.tokens.length === 0)
    return {
      status: 'unsupported',
      kind: 'unsupported_text',
      reason: 'no source sentence shares its content words, and none of them is anywhere in the sources',
      absent: new Set(claim.tokens).size >= 5,
    };
  const quote = { sourceId: best.sentence.sourceId, quote: best.sentence.text };
  if (best.coverage >= 0.6) {
    if (claim.ctx.negated !== best.sentence.negated) {
      return {
        status: 'contradicted',
        kind: 'contradicted_text',
        reason: `the closest source sentence says the opposite (negation differs, ${(best.coverage * 100).toFixed(0)}% word overlap)`,
        evidence: quote,
      };
    }
    const cu = UP_RE.test(claim.ctx.sentence);
    const cd = DOWN_RE.test(claim.ctx.sentence);
    const su = UP_RE.test(best.sentence.text);
    const sd = DOWN_RE.test(best.sentence.text);
    if (cu !== cd && su !== sd && cu !== su) {
      return {
        status: 'contradicted',
        kind: 'contradicted_text',
        reason: `the closest source sentence states the opposite direction (${su ? 'up' : 'down'})`,
        evidence: quote,
      };
    }
    return {
      status: 'supported',
      kind: 'supported',
      reason: `${(best.coverage * 100).toFixed(0)}% of its content words are in a source sentence`,
      evidence: quote,
      weak: best.coverage < 0.75,
    };
  }
  if (best.coverage >= 0.4)
    return {
      status: 'unsupported',
      kind: 'unsupported_text',
      reason: `only ${(best.coverage * 100).toFixed(0)}% of its content words are in any source sentence`,
      evidence: quote,
      weak: true,
    };
  // Most of what it talks about appears nowhere in the sources: not a paraphrase, an invention.
  const unique = [...new Set(claim.tokens)];
  const known = unique.filter((t) => index.sentenceByToken.has(t)).length / unique.length;
  return {
    status: 'unsupported',
    kind: 'unsupported_text',
    reason: `only ${(best.coverage * 100).toFixed(0)}% of its content words are in any source sentence${known < ABSENT_VOCABULARY ? ` and ${(known * 100).toFixed(0)}% anywhere in the sources` : ''}: an event or statement the sources do not make`,
    evidence: quote,
    absent: unique.length >= 5 && (known < ABSENT_VOCABULARY || best.coverage < NO_SENTENCE_COVERAGE),
  };
}

/** Below this share of its content words found anywhere in the sources, a statement is taken as invented. */
const ABSENT_VOCABULARY = 0.5;
/** Below this (idf-weighted) share of its words in the closest source sentence, no sentence says anything like it. */
const NO_SENTENCE_COVERAGE = 0.25;

/** Promising or predicting gains, or telling the reader to trade: never supportable in a brief. */
export function checkPromissory(claim: Claim): Verdict | undefined {
  const m = PROMISSORY_RE.exec(claim.ctx.sentence);
  if (!m) return undefined;
  return { status: 'contradicted', kind: 'promissory', reason: `promissory or advisory language ("${m[0]}"): no source can support it` };
}

/** A superlative ("record", "all-time high") needs a source sentence that states it about the same thing. */
export function checkSuperlative(claim: Claim, index: SourceIndex): Verdict | undefined {
  const s = claim.ctx.sentence;
  const m = SUPERLATIVE_RE.exec(s);
  if (!m) return undefined;
  const tokens = contentTokens(s.replace(m[0], ' '));
  const backing = index.sentences.find(
    (x) => SUPERLATIVE_RE.test(x.text) && tokens.filter((t) => x.tokens.includes(t)).length >= Math.min(2, tokens.length),
  );
  if (backing)
    return {
      status: 'supported',
      kind: 'supported',
      reason: `"${m[0]}" is stated in ${backing.sourceId}`,
      evidence: { sourceId: backing.sourceId, quote: backing.text },
    };
  return { status: 'unsupported', kind: 'unsupported_superlative', reason: `"${m[0]}" is a superlative no source states` };
}
