/**
 * The regression suite's checks of one published brief against its pinned sources: numeric accuracy
 * and date logic (hard gates), citation coverage and precision, key-fact recall, section and length
 * compliance, compliance language. The production detector (`verifyDraftGrounding`) is one judge;
 * beside it an independent reading checks every scaled dollar amount against the snapshot's figures,
 * so a verifier that stops checking something cannot also blind the evaluation to it. Pure.
 */
import type { FactSnapshot, SummaryDraft, SummaryLength, SummarySection } from '../model';
import { SUMMARY_LENGTHS } from '../model/summary';
import { readFigures, verifyDraftGrounding } from '../grounding';
import type { Figure } from '../grounding';
import { PROMISSORY_RE } from '../grounding/lexicon';
import { complianceLanguage } from '../guardrails/output-guardrails';
import type { KeyFact, RegressionRow } from './datasets';

export interface ItemFinding {
  check: string;
  detail: string;
}

export interface BriefCheck {
  status: string;
  numericAccurate: boolean;
  datesValid: boolean;
  /** Sentences stating a figure, and those of them that cite a source. */
  figureSentences: number;
  citedFigureSentences: number;
  /** Citations given, and those that name a snapshot document and support their sentence. */
  citations: number;
  preciseCitations: number;
  keyFacts: number;
  keyFactsFound: number;
  sectionsComplete: boolean;
  lengthsWithin: boolean;
  compliantLanguage: boolean;
  findings: ItemFinding[];
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DATE_RE = /\b(January|February|March|April|May|June|July|August|September|October|November|December) (\d{1,2}), (\d{4})\b/g;

export function wordCount(body: SummaryDraft[SummaryLength]): number {
  return body.sections
    .flatMap((s) => s.sentences)
    .map((s) => s.text.trim())
    .join(' ')
    .split(/\s+/)
    .filter(Boolean).length;
}

/** Calendar dates written in the text, as ISO dates. */
export function datesIn(text: string): string[] {
  return [...text.matchAll(DATE_RE)].map(
    ([, month, day, year]) => `${year}-${String(MONTHS.indexOf(month!.toLowerCase()) + 1).padStart(2, '0')}-${day!.padStart(2, '0')}`,
  );
}

/** A figure equals a value when the value lies within the figure's stated precision (or 0.5 % of it). */
export function figureMatches(figure: Figure, value: number): boolean {
  const slack = Math.max(figure.tolerance, Math.abs(value) * 0.005) * 1.0001;
  return Math.abs(figure.value - value) <= slack || Math.abs(Math.abs(figure.value) - Math.abs(value)) <= slack;
}

const METRIC_WORDS: Record<string, RegExp> = {
  revenue: /revenue|sales/i,
  net_income: /net (?:income|loss)|earn|profit/i,
  eps_diluted: /\bEPS\b|per share/i,
  operating_cash_flow: /cash flow|from operations/i,
  cash: /\bcash\b/i,
  price: /stock|shares|price|traded/i,
  market_cap: /market (?:value|cap)/i,
  price_target: /target/i,
  consensus_eps: /\bEPS\b|per share/i,
};

/** The period words a sentence must carry for a fact of that period: `FY2025` → 2025 / FY25. */
function periodMentioned(sentence: string, period: string): boolean {
  const year = /(\d{4})/.exec(period)?.[1];
  if (!year) return true;
  return sentence.includes(year) || new RegExp(`\\bFY'?${year.slice(2)}\\b`).test(sentence);
}

/** Whether `text` states the key fact: a sentence naming its line item and period with a figure equal to it. */
export function statesFact(sentences: readonly string[], fact: KeyFact): boolean {
  const words = METRIC_WORDS[fact.metric];
  return sentences.some(
    (s) =>
      (!words || words.test(s)) &&
      (fact.period === 'spot' || periodMentioned(s, fact.period)) &&
      readFigures(s).some((f) => figureMatches(f, fact.value)),
  );
}

/**
 * Every dollar amount stated with a scale word ($1.2B, $366.4 million) must be a snapshot figure (a
 * fact or a side of a recorded conflict) at the precision shown: an independent reading of the
 * brief, so a wrong number or scale is seen whatever the verifier does.
 */
export function unmatchedAmounts(text: string, snapshot: FactSnapshot): Figure[] {
  const values = [
    ...snapshot.facts.filter((f) => f.unit === 'USD').map((f) => f.value),
    ...snapshot.conflicts.flatMap((c) => c.candidates.map((k) => k.value)),
  ];
  return readFigures(text).filter((f) => f.unit === 'usd' && f.scaleStated && f.scale >= 1e3 && !values.some((v) => figureMatches(f, v)));
}

const NUMERIC_FINDINGS = new Set(['unsupported_number', 'wrong_scale', 'wrong_period']);

/** Judge one stored brief against its regression row and the snapshot rebuilt from the pinned sources. */
export function checkBrief(row: RegressionRow, brief: { status: string; summary: SummaryDraft }, snapshot: FactSnapshot): BriefCheck {
  const findings: ItemFinding[] = [];
  const verification = verifyDraftGrounding(brief.summary, snapshot);
  const known = new Set(snapshot.documents.map((d) => d.docId));
  let numericAccurate = true;
  let datesValid = true;
  for (const finding of verification.findings) {
    if (NUMERIC_FINDINGS.has(finding.kind)) {
      numericAccurate = false;
      findings.push({ check: 'numeric_accuracy', detail: `${finding.length}: "${finding.sentence}": ${finding.detail}` });
    } else if (finding.kind === 'future_date') {
      datesValid = false;
      findings.push({ check: 'date_logic', detail: `${finding.length}: "${finding.sentence}": ${finding.detail}` });
    }
  }
  let figureSentences = 0;
  let citedFigureSentences = 0;
  let citations = 0;
  let preciseCitations = 0;
  let compliantLanguage = true;
  const mismatched = new Set(
    verification.findings
      .filter((f) => f.kind === 'citation_mismatch' || f.kind === 'unknown_citation')
      .map((f) => `${f.length}|${f.sentence}`),
  );
  for (const length of SUMMARY_LENGTHS) {
    for (const { sentences } of brief.summary[length].sections) {
      for (const sentence of sentences) {
        for (const amount of unmatchedAmounts(sentence.text, snapshot)) {
          numericAccurate = false;
          findings.push({
            check: 'numeric_accuracy',
            detail: `${length}: ${amount.raw.trim()} in "${sentence.text}" is no figure of the sources`,
          });
        }
        for (const date of datesIn(sentence.text)) {
          if (date > snapshot.asOf) {
            datesValid = false;
            findings.push({
              check: 'date_logic',
              detail: `${length}: ${date} in "${sentence.text}" is after the as-of date ${snapshot.asOf}`,
            });
          }
        }
        if (readFigures(sentence.text).some((f) => !(f.unit === 'plain' && /^\s*\d{4}\s*$/.test(f.raw)))) {
          figureSentences += 1;
          if (sentence.citations.length > 0) citedFigureSentences += 1;
          else findings.push({ check: 'citation_coverage', detail: `${length}: "${sentence.text}" states a figure without a citation` });
        }
        for (const id of sentence.citations) {
          citations += 1;
          if (known.has(id) && !mismatched.has(`${length}|${sentence.text}`)) preciseCitations += 1;
          else findings.push({ check: 'citation_precision', detail: `${length}: [${id}] does not support "${sentence.text}"` });
        }
        // The query path's wording rules and the detector's: a brief must satisfy both.
        const language = complianceLanguage(sentence.text) ?? (PROMISSORY_RE.test(sentence.text) ? 'promissory_language' : undefined);
        if (language) {
          compliantLanguage = false;
          findings.push({ check: 'compliance_language', detail: `${length}: ${language.replace('_', ' ')} in "${sentence.text}"` });
        }
      }
    }
  }
  const expanded = brief.summary.expanded.sections.flatMap((s) => s.sentences.map((x) => x.text));
  let keyFactsFound = 0;
  for (const fact of row.keyFacts) {
    if (statesFact(expanded, fact)) keyFactsFound += 1;
    else
      findings.push({
        check: 'key_fact_recall',
        detail: `the expanded brief does not state ${fact.metric} ${fact.period} ${fact.display}`,
      });
  }
  let sectionsComplete = true;
  let lengthsWithin = true;
  for (const length of SUMMARY_LENGTHS) {
    const present = new Set<SummarySection>(brief.summary[length].sections.filter((s) => s.sentences.length > 0).map((s) => s.section));
    const missing = (row.sections[length] ?? []).filter((s) => !present.has(s));
    if (missing.length > 0) {
      sectionsComplete = false;
      findings.push({ check: 'section_compliance', detail: `${length} lacks ${missing.join(', ')}` });
    }
    const range = row.lengths[length];
    const words = wordCount(brief.summary[length]);
    if (range && (words < range.minWords || words > range.maxWords)) {
      lengthsWithin = false;
      findings.push({ check: 'length_compliance', detail: `${length} has ${words} words, outside ${range.minWords}–${range.maxWords}` });
    }
  }
  return {
    status: brief.status,
    numericAccurate,
    datesValid,
    figureSentences,
    citedFigureSentences,
    citations,
    preciseCitations,
    keyFacts: row.keyFacts.length,
    keyFactsFound,
    sectionsComplete,
    lengthsWithin,
    compliantLanguage,
    findings,
  };
}
