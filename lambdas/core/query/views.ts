/**
 * The read-only routes' views: a stock's stored brief in one length with numbered citations, and
 * an FA's own session. Pure over injected readers.
 */
import type { StoredSummary, SummaryLength, SummarySection, SessionTurn, TextRiskSummary } from '../model';
import type { SessionStore, SummaryReader } from '../ports';
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
  sections: Array<{ section: SummarySection; sentences: Array<{ text: string; citations: number[] }> }>;
  citations: Array<{ n: number; sourceId: string; kind: string; title: string; date: string }>;
  verification: { passed: boolean; claimsChecked: number; findings: number; risk?: TextRiskSummary };
  sourceHash: string;
  promptVersion: string;
  modelId: string;
  generatedAt: string;
}

export type SummaryLookup = { kind: 'found'; view: SummaryView } | { kind: 'unknown_ticker' | 'brief_not_found'; message: string };

/** The latest brief of `ticker` in `length`, with citations numbered in order of first use. */
export async function summaryView(
  ticker: string,
  length: SummaryLength,
  deps: { resolver: TickerResolver; summaries: SummaryReader },
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
  const sections = stored.summary[length].sections.map(({ section, sentences }) => ({
    section,
    sentences: sentences.map((s) => ({ text: s.text, citations: s.citations.map(number) })),
  }));
  const documents = new Map(stored.documents.map((d) => [d.docId, d]));
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
      citations: [...numbers.entries()].map(([docId, n]) => {
        const doc = documents.get(docId);
        return { n, sourceId: docId, kind: doc?.kind ?? 'unknown', title: doc?.title ?? docId, date: doc?.date ?? '' };
      }),
      verification: {
        passed: stored.verification.passed,
        claimsChecked: stored.verification.claimsChecked,
        findings: stored.verification.findings.length,
        ...(stored.verification.risk ? { risk: stored.verification.risk } : {}),
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
