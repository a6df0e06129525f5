/**
 * From a model's sentences to the answer the FA sees: source numbers mapped to documents, the
 * output guardrails applied (output-guardrails.ts), a facts-only answer when nothing cited survives,
 * citations renumbered 1..n in order of first use with a quote from each source, confidence and
 * flags. Pure and deterministic.
 */
import type { FactSnapshot, AnswerCitation, AnswerPayload, AnswerDepth, ConfidenceLabel } from '../model';
import { ANSWER_DISCLAIMER, checkOutput } from '../guardrails/output-guardrails';
import type { AnswerSentence, OutputGrounding } from '../guardrails/output-guardrails';
import type { AnswerContext } from './context';
import { factSentence } from './fact-sentences';
import type { NumberedSentence } from './fact-sentences';

export interface ComposeInput {
  context: AnswerContext;
  /** The merged fact snapshot of every retrieved stock: what figures are checked against. */
  snapshot: FactSnapshot;
  sentences: NumberedSentence[];
  depth: AnswerDepth;
  /** Flags raised before this step (model degradations, input redactions, retrieval). */
  flags: string[];
  modelIds: string[];
  promptVersion: string;
  promptVariant: string;
  /** Tickers the FA asked about that have no brief yet. */
  missingTickers: string[];
}

export interface ComposedAnswer {
  payload: AnswerPayload;
  removedSentences: number;
  claimsChecked: number;
  hallucinationFlagged: boolean;
  factsOnly: boolean;
}

const QUOTE_CHARS = 280;

/** A chunk's passage without its section-title line and markdown emphasis, as a quote reads. */
function chunkBodyOf(text: string): string {
  const lines = text.split('\n');
  const body = lines.length > 1 && !/[.!?]$/.test(lines[0]!.trim()) ? lines.slice(1) : lines;
  return body.join(' ').replace(/\*\*/g, '').replace(/\s+/g, ' ').trim();
}

function toDocIds(sentences: NumberedSentence[], context: AnswerContext): { sentences: AnswerSentence[]; unknown: boolean } {
  const docOf = new Map(context.sources.map((s) => [s.n, s.docId]));
  let unknown = false;
  const out = sentences.map((s) => {
    const citations: string[] = [];
    for (const n of s.sources) {
      const docId = docOf.get(n);
      if (docId === undefined) unknown = true;
      else if (!citations.includes(docId)) citations.push(docId);
    }
    return { text: s.text, citations };
  });
  return { sentences: out, unknown };
}

/** A deterministic answer from the context's facts alone, one verified sentence per fact. */
export function factsOnlySentences(context: AnswerContext): NumberedSentence[] {
  const perCompany = context.companies.length > 1 ? 3 : 5;
  const single = context.companies.length === 1;
  return context.companies.flatMap((company) => {
    const subject = single && !/\d/.test(company.name) ? company.name : company.ticker;
    return context.facts
      .filter((f) => f.ticker === company.ticker)
      .slice(0, perCompany)
      .map((fact) => factSentence(fact, subject));
  });
}

/** The sentences of the passages that prose sentences quote ("From the filings on X: <sentence>"), as the passages have them. */
function passageQuoted(passages: string[], citing: AnswerSentence[]): string | undefined {
  const quoted = new Set<string>();
  for (const sentence of citing) {
    if (/\d/.test(sentence.text)) continue;
    const body = sentence.text.replace(/^from [^:]{1,80}:\s*/i, '').replace(/[.!?]$/, '');
    if (body.length < 20) continue;
    for (const passage of passages) {
      const at = passage.indexOf(body);
      if (at < 0) continue;
      quoted.add(passage.slice(at, at + body.length + 1));
      break;
    }
  }
  return quoted.size > 0 ? [...quoted].join(' ') : undefined;
}

function quoteFor(docId: string, sentences: AnswerSentence[], context: AnswerContext): string {
  const source = context.sources.find((s) => s.docId === docId);
  if (!source) return '';
  const citing = sentences.filter((s) => s.citations.includes(docId));
  // A figure is quoted as the data line it came from; prose as the passage it came from.
  const factLines = context.facts
    .filter((f) => f.sources.includes(source.n) && citing.some((s) => s.text.includes(f.display)))
    // The display leaves the sign to the answer's words; a data line has no words, so it carries the sign.
    .map((f) => `${f.label}, ${f.periodLabel}: ${f.negative ? '-' : ''}${f.display}`);
  const passages = context.excerpts
    .filter((e) => e.source === source.n)
    .sort((a, b) => b.score - a.score)
    .map((e) => chunkBodyOf(e.text));
  const prose = citing.some((s) => !/\d/.test(s.text));
  const passage = passageQuoted(passages, citing) ?? passages[0];
  const parts = [...factLines, ...(passage && (prose || factLines.length === 0) ? [passage] : [])];
  const quote = parts.length > 0 ? parts.join('; ') : source.title;
  return quote.length > QUOTE_CHARS ? `${quote.slice(0, QUOTE_CHARS).replace(/\s+\S*$/, '')} …` : quote;
}

function confidenceOf(input: ComposeInput, removed: number, factsOnly: boolean, flags: Set<string>): number {
  const briefs = input.context.companies.map((c) => c.briefConfidence);
  let score = briefs.length > 0 ? Math.min(...briefs) : 0.5;
  score -= Math.min(0.3, 0.1 * removed);
  if (factsOnly) score -= 0.15;
  if (flags.has('model_unavailable')) score -= 0.1;
  if (flags.has('specialist_failed') || flags.has('synthesis_failed')) score -= 0.05;
  if (flags.has('retrieval_model_mismatch') || flags.has('retrieval_degraded')) score -= 0.05;
  score -= 0.1 * input.missingTickers.length;
  return Math.round(Math.max(0.05, Math.min(0.99, score)) * 100) / 100;
}

export function confidenceLabelOf(confidence: number): ConfidenceLabel {
  return confidence >= 0.8 ? 'high' : confidence >= 0.6 ? 'medium' : 'low';
}

/** The companies and passages of the context, which an answer's statements may rest on. */
function groundingOf(context: AnswerContext): OutputGrounding {
  const documentText: Record<string, string> = {};
  const add = (n: number, text: string) => {
    const docId = context.sources.find((s) => s.n === n)?.docId;
    if (docId) documentText[docId] = documentText[docId] ? `${documentText[docId]}\n${text}` : text;
  };
  for (const excerpt of context.excerpts) add(excerpt.source, excerpt.text);
  // The stored brief's sentences were verified against these same sources (a rating, a target).
  for (const company of context.companies) for (const sentence of company.brief) for (const n of sentence.sources) add(n, sentence.text);
  return { knownEntities: context.companies.flatMap((c) => [c.ticker, c.name]), documentText };
}

/** Guard, number and quote one answer. */
export function composeAnswer(input: ComposeInput): ComposedAnswer {
  const flags = new Set(input.flags);
  const mapped = toDocIds(input.sentences, input.context);
  if (mapped.unknown) flags.add('unknown_citation');
  const grounding = groundingOf(input.context);
  let check = checkOutput(mapped.sentences, input.snapshot, grounding);
  let factsOnly = false;
  const removed = check.removed.length;
  const hallucinationFlagged = check.hallucinationFlagged;
  const claimsChecked = check.claimsChecked;
  for (const flag of check.flags) flags.add(flag);
  if (!check.kept.some((s) => s.citations.length > 0)) {
    const fallback = toDocIds(factsOnlySentences(input.context), input.context).sentences;
    const fallbackCheck = checkOutput(fallback, input.snapshot, grounding);
    if (fallbackCheck.kept.some((s) => s.citations.length > 0)) {
      check = fallbackCheck;
      factsOnly = true;
      flags.add('facts_only_fallback');
      flags.delete('no_citations');
    }
  }
  const kept = check.kept;

  // Renumber citations in order of first use.
  const numberOf = new Map<string, number>();
  for (const sentence of kept) for (const docId of sentence.citations) if (!numberOf.has(docId)) numberOf.set(docId, numberOf.size + 1);
  const citations: AnswerCitation[] = [...numberOf.entries()].map(([docId, n]) => {
    const source = input.context.sources.find((s) => s.docId === docId)!;
    return {
      n,
      sourceId: docId,
      ticker: source.ticker,
      kind: source.kind,
      title: source.title,
      date: source.date,
      quote: quoteFor(docId, kept, input.context),
    };
  });
  const sentences = kept.map((s) => ({ text: s.text, citations: s.citations.map((docId) => numberOf.get(docId)!) }));
  const answer =
    sentences.length > 0
      ? sentences.map((s) => (s.citations.length > 0 ? `${s.text} ${s.citations.map((n) => `[${n}]`).join('')}` : s.text)).join(' ')
      : 'The stored sources do not contain material that answers this question.';

  for (const company of input.context.companies) {
    if (company.briefStatus === 'facts_only') flags.add('brief_facts_only');
    if (company.gaps.length > 0) flags.add('sources_incomplete');
  }
  if (input.missingTickers.length > 0) flags.add('brief_missing');
  const confidence = confidenceOf(input, removed, factsOnly, flags);
  return {
    payload: {
      answer,
      sentences,
      citations,
      tickers: input.context.companies.map((c) => c.ticker),
      depth: input.depth,
      confidence,
      confidenceLabel: confidenceLabelOf(confidence),
      flags: [...flags].sort(),
      risk: check.risk,
      disclaimer: ANSWER_DISCLAIMER,
      asOf:
        input.context.companies
          .map((c) => c.asOf)
          .sort()
          .at(-1) ?? '',
      modelIds: input.modelIds,
      promptVersion: input.promptVersion,
      promptVariant: input.promptVariant,
    },
    removedSentences: removed,
    claimsChecked,
    hallucinationFlagged,
    factsOnly,
  };
}
