/**
 * The read-only routes' views: a stock's stored brief in one length with numbered citations, and
 * an FA's own session. Pure over injected readers.
 */
import type { StoredSummary, SummaryLength, SummarySection, SessionTurn, TextRiskSummary } from '../model';
import type { ChunkReader, SessionStore, SummaryReader } from '../ports';
import { HEDGE_RE } from '../grounding/lexicon';
import type { TickerResolver } from './ticker-resolver';

export interface SummaryView {
  ticker: string;
  companyName: string;
  sector: string;
  asOf: string;
  length: SummaryLength;
  status: StoredSummary['status'];
  confidence: number;
  /** The brief as prose with `[n]` citation markers. */
  text: string;
  sections: Array<{ section: SummarySection; sentences: Array<{ text: string; citations: number[]; status: SentenceStatus }> }>;
  citations: CitationDetail[];
  verification: { passed: boolean; claimsChecked: number; findings: number; risk?: TextRiskSummary };
  /** Sentences of this length the verifier took out (the brief was regenerated or replaced by facts). */
  removed: Array<{ section: string; sentence: string; reason: string }>;
  /** How old the brief is and which of its sources were missing or stale when it was written. */
  freshness: { ageDays: number; stale: boolean; missingSources: string[]; staleSources: Array<{ source: string; newest: string }> };
  sourceHash: string;
  promptVersion: string;
  modelId: string;
  generatedAt: string;
}

/**
 * supported: the verifier found the sentence's claims in the sources; hedged: it is worded with a
 * hedge, or the verifier found it only weakly supported (an advisory that did not fail the brief).
 */
export type SentenceStatus = 'supported' | 'hedged';

export interface CitationDetail {
  n: number;
  sourceId: string;
  kind: string;
  title: string;
  date: string;
  form?: string;
  /** An EDGAR accession number, when the source is a filing. */
  accession?: string;
  /** The filing's index on EDGAR, only where the filings are real (not the demo's fictional ones). */
  url?: string;
  /** The stored passage of the source most like the sentences that cite it. */
  passage?: string;
  /** Facts of the snapshot taken from this source. */
  facts: Array<{ metric: string; value: number; unit: string; period: string; filed: string }>;
}

/** A brief older than this many days is shown as stale (the batch runs every weekday). */
export const STALE_AFTER_DAYS = 4;
const ACCESSION_RE = /^(\d{10})-(\d{2})-(\d{6})$/;
const MAX_FACTS_PER_CITATION = 8;

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[a-z0-9$.%]{3,}/g) ?? []);
}

/** The passage of `passages` sharing the most words with `sentences` (the first on a tie). */
function bestPassage(passages: readonly string[], sentences: readonly string[]): string | undefined {
  const wanted = words(sentences.join(' '));
  let best: { text: string; score: number } | undefined;
  for (const text of passages) {
    let score = 0;
    for (const w of words(text)) if (wanted.has(w)) score += 1;
    if (!best || score > best.score) best = { text, score };
  }
  return best?.text;
}

function periodLabel(period: { fiscalYear: number; fiscalPeriod: string; end: string }): string {
  return period.fiscalPeriod === 'spot' ? `as of ${period.end}` : `${period.fiscalPeriod} ${period.fiscalYear} (to ${period.end})`;
}

export type SummaryLookup = { kind: 'found'; view: SummaryView } | { kind: 'unknown_ticker' | 'brief_not_found'; message: string };

/** The latest brief of `ticker` in `length`, with citations numbered in order of first use. */
export async function summaryView(
  ticker: string,
  length: SummaryLength,
  deps: { resolver: TickerResolver; summaries: SummaryReader; chunks?: ChunkReader; filingLinks?: boolean; now?: () => number },
): Promise<SummaryLookup> {
  const profile = deps.resolver.get(ticker);
  if (!profile) return { kind: 'unknown_ticker', message: `${ticker.toUpperCase()} is not a covered stock` };
  const stored = await deps.summaries.getLatest(profile.ticker);
  if (!stored)
    return { kind: 'brief_not_found', message: `no brief is stored yet for ${profile.ticker}: the nightly batch has not covered it` };
  const numbers = new Map<string, number>();
  const number = (docId: string) => {
    if (!numbers.has(docId)) numbers.set(docId, numbers.size + 1);
    return numbers.get(docId)!;
  };
  // Advisories are stored beside the findings by the grounding engine (older briefs have none).
  const advisories = ((stored.verification as { advisories?: Array<{ length: string; sentence: string }> }).advisories ?? []).filter(
    (a) => a.length === length,
  );
  const advised = new Set(advisories.map((a) => a.sentence));
  const hedged = (text: string) => {
    HEDGE_RE.lastIndex = 0;
    return advised.has(text) || HEDGE_RE.test(text);
  };
  const sections = stored.summary[length].sections.map(({ section, sentences }) => ({
    section,
    sentences: sentences.map((s) => ({
      text: s.text,
      citations: s.citations.map(number),
      status: (hedged(s.text) ? 'hedged' : 'supported') as SentenceStatus,
    })),
  }));
  const published = new Set(sections.flatMap((s) => s.sentences.map((x) => x.text)));
  const removed = stored.verification.findings
    .filter((f) => f.length === length && !published.has(f.sentence))
    .map((f) => ({ section: f.section, sentence: f.sentence, reason: `${f.kind}: ${f.detail}` }));
  const documents = new Map(stored.documents.map((d) => [d.docId, d]));
  const citing = new Map<string, string[]>();
  for (const { sentences } of stored.summary[length].sections)
    for (const sentence of sentences)
      for (const docId of sentence.citations) citing.set(docId, [...(citing.get(docId) ?? []), sentence.text]);
  const chunks = deps.chunks ? await deps.chunks.chunksOf(stored.ticker) : [];
  const passagesOf = new Map<string, string[]>();
  for (const chunk of chunks) passagesOf.set(chunk.docId, [...(passagesOf.get(chunk.docId) ?? []), chunk.text]);
  const cik = profile.cik.replace(/^0+/, '');
  const citationOf = (docId: string, n: number): CitationDetail => {
    const doc = documents.get(docId);
    const accession = ACCESSION_RE.test(docId) ? docId : undefined;
    const passage = bestPassage(passagesOf.get(docId) ?? [], citing.get(docId) ?? []);
    return {
      n,
      sourceId: docId,
      kind: doc?.kind ?? 'unknown',
      title: doc?.title ?? docId,
      date: doc?.date ?? '',
      ...(doc?.form ? { form: doc.form } : {}),
      ...(accession ? { accession } : {}),
      ...(accession && deps.filingLinks ? { url: `https://www.sec.gov/Archives/edgar/data/${cik}/${accession.replace(/-/g, '')}/` } : {}),
      ...(passage ? { passage } : {}),
      facts: stored.snapshot.facts
        .filter((f) => f.docId === docId)
        .slice(0, MAX_FACTS_PER_CITATION)
        .map((f) => ({ metric: f.metric, value: f.value, unit: f.unit, period: periodLabel(f.period), filed: f.filed })),
    };
  };
  const now = deps.now ? deps.now() : Date.parse(`${stored.asOf}T00:00:00Z`);
  const ageDays = Math.max(0, Math.floor((now - Date.parse(`${stored.asOf}T00:00:00Z`)) / 86_400_000));
  const text = sections
    .flatMap((s) => s.sentences)
    .map((s) => (s.citations.length > 0 ? `${s.text} ${s.citations.map((n) => `[${n}]`).join('')}` : s.text))
    .join(' ');
  return {
    kind: 'found',
    view: {
      ticker: stored.ticker,
      companyName: stored.snapshot.companyName,
      sector: stored.snapshot.sector,
      asOf: stored.asOf,
      length,
      status: stored.status,
      confidence: stored.confidence,
      text,
      sections,
      citations: [...numbers.entries()].map(([docId, n]) => citationOf(docId, n)),
      verification: {
        passed: stored.verification.passed,
        claimsChecked: stored.verification.claimsChecked,
        findings: stored.verification.findings.length,
        ...(stored.verification.risk ? { risk: stored.verification.risk } : {}),
      },
      removed,
      freshness: {
        ageDays,
        stale: ageDays > STALE_AFTER_DAYS || stored.snapshot.staleSources.length > 0,
        missingSources: stored.snapshot.missingSources.map((m) => `${m.source}: ${m.reason}`),
        staleSources: stored.snapshot.staleSources,
      },
      sourceHash: stored.sourceHash,
      promptVersion: stored.promptVersion,
      modelId: stored.modelId,
      generatedAt: stored.generatedAt,
    },
  };
}

export interface SessionView {
  sessionId: string;
  /** Epoch seconds when the session expires unless another turn extends it. */
  expiresAt: number;
  turns: Array<Omit<SessionTurn, 'faId' | 'sessionId' | 'expiresAt'>>;
}

/** Upper bound on the turns a session view returns. */
export const SESSION_VIEW_TURNS = 50;

/** The FA's own session, or undefined when it does not exist for this FA (or has expired). */
export async function sessionView(
  faId: string,
  sessionId: string,
  deps: { sessions: SessionStore; now: () => number },
): Promise<SessionView | undefined> {
  const turns = await deps.sessions.recentTurns(faId, sessionId, SESSION_VIEW_TURNS, Math.floor(deps.now() / 1000));
  // Defence in depth: the key already scopes turns to the FA; a turn of anyone else is never shown.
  const own = turns.filter((t) => t.faId === faId && t.sessionId === sessionId);
  if (own.length === 0) return undefined;
  return {
    sessionId,
    expiresAt: Math.max(...own.map((t) => t.expiresAt)),
    turns: own.map(({ faId: _fa, sessionId: _session, expiresAt: _expires, ...turn }) => turn),
  };
}
