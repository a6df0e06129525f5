/**
 * The hallucination detector's entry points (docs/DESIGN.md §7): deterministic checks first (numbers with
 * scale and derived values, dates and periods against the as-of date, entities, ratings, conflicts,
 * citations, entailment), an optional LLM judge second, uncertainty last; the risk score drives
 * publish / hedge / regenerate / facts-only. `verifyDraftGrounding` checks a SummaryDraft against a
 * FactSnapshot and returns the existing VerificationResult shape.
 */
import type {
  Fact,
  FactConflict,
  FactSnapshot,
  SummaryDraft,
  SummaryLength,
  SummarySection,
  TextRiskSummary,
  VerificationFinding,
  VerificationResult,
} from '../model';
import { SUMMARY_LENGTHS } from '../model';
import type { GroundingJudge } from '../ports/judge';
import { extractClaims } from './claims';
import type { TextClaim } from './claims';
import {
  checkCitations,
  checkDates,
  checkEntailment,
  checkEntities,
  checkFirmOfFigure,
  checkPromissory,
  checkRating,
  checkSuperlative,
} from './checks';
import type { NoteTexts } from './checks';
import { formatValue, matchNumber, periodFit } from './match';
import type { ClaimStatus, Evidence, FindingKind, Verdict } from './match';
import { claimRisk, isHallucination, textRisk } from './risk';
import type { Decision } from './risk';
import { readSources } from './source-reader';
import type { SourceIndex, SourceInput } from './source-reader';

export interface DetectInput {
  text: string;
  sources: SourceInput[];
  facts?: Fact[];
  conflicts?: FactConflict[];
  /** ISO date; periods and dates after it cannot have been reported. */
  asOf?: string;
}

export interface DetectOptions {
  /** Names and tickers that are right even if no source spells them (the subject company). */
  knownEntities?: string[];
  /** Citation ids that are valid (defaults to the source ids). */
  knownCitations?: string[];
  /** Citations per sentence starting at an offset of `text` (summary drafts); otherwise `[id]` markers are read. */
  citationsAt?: (offset: number) => string[] | undefined;
  /** A prebuilt source index, to check several texts against the same sources without re-reading them. */
  index?: SourceIndex;
}

export interface ClaimResult {
  text: string;
  status: ClaimStatus;
  span: [number, number];
  reason: string;
  kind: FindingKind;
  risk: number;
  evidence?: Evidence;
}

export interface DetectResult {
  hallucinated: boolean;
  score: number;
  decision: Decision;
  claims: ClaimResult[];
}

function directionClaim(claim: TextClaim, index: SourceIndex): Verdict | undefined {
  if (!claim.metric || !claim.direction) return undefined;
  const figs = (index.byToken.get(`#${claim.metric}`) ?? [])
    .map((id) => index.figures[id]!)
    .filter((f) => f.period && f.basis === 'reported' && f.unit !== 'pct');
  if (figs.length < 2) return undefined;
  const named =
    claim.periods.length > 0
      ? figs.filter((f) => periodFit(claim.periods, f) === 'yes')
      : [...figs].sort((a, b) => b.period!.year - a.period!.year).slice(0, 1);
  for (const later of named) {
    const earlier = figs.find(
      (f) =>
        f.series === later.series && f.period!.year === later.period!.year - 1 && (f.period!.quarter ?? 0) === (later.period!.quarter ?? 0),
    );
    if (!earlier || earlier.value === later.value) continue;
    const up = later.value > earlier.value;
    const quote = `${later.snippet} ; ${earlier.snippet}`;
    if ((claim.direction === 'up') === up)
      return {
        status: 'supported',
        kind: 'supported',
        reason: `${claim.metric} went ${up ? 'up' : 'down'}: ${formatValue(earlier.value, later.unit)} → ${formatValue(later.value, later.unit)}`,
        evidence: { sourceId: later.sourceId, quote },
        derived: true,
      };
    return {
      status: 'contradicted',
      kind: 'wrong_sign',
      reason: `says ${claim.metric} went ${claim.direction}, but it went ${up ? 'up' : 'down'}: ${formatValue(earlier.value, later.unit)} → ${formatValue(later.value, later.unit)}`,
      evidence: { sourceId: later.sourceId, quote },
    };
  }
  return undefined;
}

function worse(a: Verdict, b: Verdict | undefined): Verdict {
  if (!b) return a;
  const rank = { supported: 0, unsupported: 1, contradicted: 2 } as const;
  return rank[b.status] >= rank[a.status] ? b : a;
}

/** Check every claim of a text against its sources. Pure and synchronous. */
export function detect(input: DetectInput, options: DetectOptions = {}): DetectResult {
  const index = options.index ?? readSources(input.sources, input.facts, input.conflicts);
  const claims = extractClaims(input.text, { citationsAt: options.citationsAt });
  const knownIds = options.knownCitations ? new Set(options.knownCitations) : undefined;
  const results: Array<ClaimResult & { flagged: boolean; numeric: boolean }> = [];
  const checkedSentences = new Set<number>();
  // What the text itself says from each cited source: a rating is read against the rest of its note.
  const quoted = new Map<string, Set<string>>();
  for (const c of claims) for (const id of c.ctx.citations) (quoted.get(id) ?? quoted.set(id, new Set()).get(id)!).add(c.ctx.sentence);
  const noteTexts: NoteTexts = (ids) => {
    const out: string[] = [];
    for (const id of ids) {
      const source = index.sources.get(id);
      if (source) out.push(source.title ?? '', source.text);
      for (const t of quoted.get(id) ?? []) out.push(t);
    }
    return out;
  };
  // A sentence is checked against the sources it cites first: two stocks can share a growth rate or a
  // news wording, and the cited one supporting it is what matters (indexes cached per citation set).
  const citedIndexes = new Map<string, SourceIndex>();
  const citedIndex = (ids: string[]): SourceIndex => {
    const key = [...ids].sort().join('|');
    let sub = citedIndexes.get(key);
    if (!sub) {
      const cited = new Set(ids);
      sub = readSources(
        input.sources.filter((src) => cited.has(src.id)),
        input.facts?.filter((f) => cited.has(f.docId)),
        input.conflicts,
      );
      citedIndexes.set(key, sub);
    }
    return sub;
  };
  const judge = (claim: (typeof claims)[number], idx: SourceIndex): Verdict => {
    if (claim.kind === 'numeric') {
      const v = matchNumber(claim, idx, { asOf: input.asOf });
      return worse(v, checkFirmOfFigure(claim, v, idx));
    }
    return checkRating(claim, idx, noteTexts) ?? directionClaim(claim, idx) ?? checkEntailment(claim, idx);
  };
  for (const claim of claims) {
    let verdict = judge(claim, index);
    const text = claim.kind === 'numeric' ? claim.clause.trim() : claim.ctx.sentence;
    const span: [number, number] = claim.kind === 'numeric' ? claim.clauseSpan : claim.span;
    const sentenceChecks: Array<Verdict | undefined> = [];
    const sentenceFirst = !checkedSentences.has(claim.ctx.sentenceIndex);
    checkedSentences.add(claim.ctx.sentenceIndex);
    if (sentenceFirst) {
      sentenceChecks.push(checkEntities(claim, index, options), checkDates(claim, input.asOf));
      if (claim.kind === 'numeric') {
        const rating = checkRating(claim, index, noteTexts);
        if (rating && rating.status !== 'supported') sentenceChecks.push(rating);
      }
      const superlative = checkSuperlative(claim, index);
      if (superlative && superlative.status !== 'supported') sentenceChecks.push(superlative);
      sentenceChecks.push(checkPromissory(claim));
    }
    const withSentenceChecks = (v: Verdict) => sentenceChecks.reduce<Verdict>((acc, check) => worse(acc, check), v);
    verdict = withSentenceChecks(verdict);
    const cited = checkCitations(claim, verdict, index, knownIds);
    if (cited?.kind === 'citation_mismatch' && claim.ctx.citations.length > 0) {
      const own = withSentenceChecks(judge(claim, citedIndex(claim.ctx.citations)));
      verdict = own.status === 'supported' ? own : cited;
    } else if (cited) verdict = cited;
    const numeric = claim.kind === 'numeric';
    const riskIn = {
      status: verdict.status,
      kind: verdict.kind,
      numeric,
      derived: verdict.derived,
      weak: verdict.weak,
      absent: verdict.absent,
      hedged: claim.ctx.hedged,
      boosted: claim.ctx.boosted,
    };
    const risk = claimRisk(riskIn);
    results.push({
      text,
      status: verdict.status,
      span,
      reason: verdict.reason,
      kind: verdict.kind,
      risk: Math.round(risk * 1000) / 1000,
      evidence: verdict.evidence,
      flagged: isHallucination(riskIn, risk),
      numeric,
    });
  }
  const t = textRisk(results);
  return { ...t, claims: results.map(({ flagged: _f, numeric: _n, ...r }) => r) };
}

export interface JudgeOptions extends DetectOptions {
  judge?: GroundingJudge;
  /** Which claims to send to the judge (default: claims the deterministic checks could not settle). */
  shouldJudge?: (claim: ClaimResult) => boolean;
  /** How many passages to send with each claim. */
  passages?: number;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * `detect`, then an LLM judge on the claims the deterministic checks left unsettled. A judge verdict
 * counts only when its quote is found verbatim (whitespace aside) in the source it names, or in any
 * source when it names none.
 */
export async function detectWithJudge(input: DetectInput, options: JudgeOptions = {}): Promise<DetectResult> {
  const index = options.index ?? readSources(input.sources, input.facts, input.conflicts);
  const base = detect(input, { ...options, index });
  if (!options.judge) return base;
  const judge = options.judge;
  const shouldJudge =
    options.shouldJudge ??
    ((c: ClaimResult) => c.status === 'unsupported' && (c.kind === 'unsupported_text' || c.kind === 'unsupported_number'));
  const claims: ClaimResult[] = [];
  for (const c of base.claims) {
    if (!shouldJudge(c)) {
      claims.push(c);
      continue;
    }
    const passages = input.sources.slice(0, options.passages ?? 5).map((s) => ({ id: s.id, text: s.text }));
    if (c.evidence && !passages.some((p) => p.id === c.evidence!.sourceId)) {
      const s = index.sources.get(c.evidence.sourceId);
      if (s) passages.unshift({ id: s.id, text: s.text });
    }
    const answer = await judge.judge({ claim: c.text, sentence: c.text, sources: passages, asOf: input.asOf });
    if (answer.verdict === 'unsupported' || !answer.evidence) {
      claims.push({ ...c, reason: `${c.reason}; judge: ${answer.verdict}` });
      continue;
    }
    const quote = squash(answer.evidence);
    const where = answer.sourceId ? [index.sources.get(answer.sourceId)].filter((s): s is SourceInput => !!s) : input.sources;
    const found =
      quote.length >= 8 &&
      where.find((s) =>
        squash(`${s.title ?? ''} ${s.text} ${(s.tables ?? []).map((t) => t.map((r) => r.join(' ')).join(' ')).join(' ')}`).includes(quote),
      );
    if (!found) {
      claims.push({ ...c, reason: `${c.reason}; judge said ${answer.verdict} but its quote is not in the sources (ignored)` });
      continue;
    }
    const status = answer.verdict;
    const risk = status === 'contradicted' ? 0.9 : 0.15;
    claims.push({
      ...c,
      status,
      risk,
      reason: `judge: ${status}${answer.rationale ? ` (${answer.rationale})` : ''}`,
      evidence: { sourceId: found.id, quote: answer.evidence },
    });
  }
  const t = textRisk(
    claims.map((c) => ({
      risk: c.risk,
      status: c.status,
      numeric: c.kind !== 'unsupported_text' && c.kind !== 'contradicted_text',
      flagged: c.status === 'contradicted' || (c.status === 'unsupported' && c.risk >= 0.5),
    })),
  );
  return { ...t, claims };
}

/** A finding in the existing shape, with the detector's own kind, status and risk alongside. */
export interface GroundedFinding extends VerificationFinding {
  grounding: FindingKind;
  status: ClaimStatus;
  risk: number;
}

export interface GroundedVerificationResult extends VerificationResult {
  findings: GroundedFinding[];
  /** Weakly supported or unsupported statements that do not fail the draft (hedge candidates). */
  advisories: GroundedFinding[];
  risk: TextRiskSummary;
}

const LEGACY_KIND: Record<FindingKind, VerificationFinding['kind']> = {
  supported: 'unsupported_number',
  unsupported_number: 'unsupported_number',
  wrong_value: 'unsupported_number',
  wrong_line_item: 'unsupported_number',
  wrong_sign: 'unsupported_number',
  estimate_as_reported: 'unsupported_number',
  conflict_loser: 'unsupported_number',
  stale_figure: 'wrong_period',
  missing_period: 'wrong_period',
  wrong_scale: 'wrong_scale',
  wrong_period: 'wrong_period',
  quarter_full_year: 'wrong_period',
  future_period: 'future_date',
  future_date: 'future_date',
  promissory: 'unsupported_number',
  unsupported_superlative: 'unsupported_number',
  unknown_entity: 'unsupported_number',
  wrong_rating: 'unsupported_number',
  wrong_firm: 'unsupported_number',
  unsupported_text: 'unsupported_number',
  contradicted_text: 'unsupported_number',
  unknown_citation: 'unknown_citation',
  citation_mismatch: 'citation_mismatch',
  missing_citation: 'missing_citation',
};

export interface DraftGroundingOptions {
  /** More names and tickers that are right (a merged multi-ticker snapshot names only one company). */
  knownEntities?: string[];
  /** Source text by document id, when the caller has it (retrieved chunks): enables entailment and ratings. */
  documentText?: Record<string, string>;
  /** What the pipeline itself says about the brief's sources ("could not see news data"): read as a source no one cites. */
  notes?: string[];
}

/** Check a summary draft against its fact snapshot; a drop-in for `verifySummary` with more to say. */
export function verifyDraftGrounding(
  draft: SummaryDraft,
  snapshot: FactSnapshot,
  options: DraftGroundingOptions = {},
): GroundedVerificationResult {
  // A news item or research note in the snapshot is its headline: without its text, the headline is what it says.
  const headlineOnly = (d: FactSnapshot['documents'][number]) =>
    options.documentText?.[d.docId] === undefined && (d.kind === 'news' || d.kind === 'research');
  const sources: SourceInput[] = snapshot.documents.map((d) => ({
    id: d.docId,
    text: options.documentText?.[d.docId] ?? (headlineOnly(d) ? d.title : ''),
    title: d.title,
    date: d.date,
  }));
  // The company's name, ticker and sector are facts of the snapshot too.
  sources.push({
    id: 'profile',
    text: `Company profile: ${snapshot.companyName}, ticker ${snapshot.ticker}, ${snapshot.sector} sector.`,
    title: 'Profile',
  });
  if (options.notes?.length) sources.push({ id: 'pipeline-notes', text: options.notes.join('\n\n'), title: 'Pipeline notes' });
  const newsHeadlines = new Set(snapshot.documents.filter((d) => d.kind === 'news' && headlineOnly(d)).map((d) => d.docId));
  const index = readSources(sources, snapshot.facts, snapshot.conflicts);
  const knownCitations = snapshot.documents.map((d) => d.docId);
  const findings: GroundedFinding[] = [];
  const advisories: GroundedFinding[] = [];
  let claimsChecked = 0;
  let worst = 0;
  let anyFlag = false;
  let contradictedCount = 0;
  for (const length of SUMMARY_LENGTHS as readonly SummaryLength[]) {
    // One text per length, so a period named in one sentence carries to the next.
    const parts: Array<{ start: number; end: number; section: SummarySection; text: string; citations: string[] }> = [];
    let text = '';
    for (const { section, sentences } of draft[length].sections) {
      for (const s of sentences) {
        const t = s.text.trim();
        const start = text.length;
        text += t;
        parts.push({ start, end: text.length, section, text: s.text, citations: s.citations });
        text += '\n\n';
      }
    }
    const partAt = (offset: number) => parts.find((p) => offset >= p.start && offset < p.end + 2);
    const result = detect(
      { text, sources, facts: snapshot.facts, conflicts: snapshot.conflicts, asOf: snapshot.asOf },
      {
        index,
        knownCitations,
        knownEntities: [snapshot.ticker, snapshot.companyName, ...(options.knownEntities ?? [])],
        citationsAt: (o) => partAt(o)?.citations ?? [],
      },
    );
    worst = Math.max(worst, result.score);
    const citedFigure = new Set<number>();
    for (const c of result.claims) {
      const part = partAt(c.span[0]);
      if (!part) continue;
      claimsChecked += 1;
      const numeric =
        c.kind !== 'unsupported_text' &&
        c.kind !== 'contradicted_text' &&
        !/^\s*$/.test(c.text) &&
        /\d|doubled|halved|tripled/.test(c.text);
      const finding: GroundedFinding = {
        length,
        section: part.section,
        sentence: part.text,
        kind: LEGACY_KIND[c.kind],
        detail: c.reason,
        grounding: c.kind,
        status: c.status,
        risk: c.risk,
      };
      if (numeric && part.citations.length === 0 && !citedFigure.has(part.start)) {
        citedFigure.add(part.start);
        findings.push({
          ...finding,
          kind: 'missing_citation',
          grounding: 'missing_citation',
          status: 'unsupported',
          detail: `states ${c.text} without a citation`,
        });
        anyFlag = true;
      }
      if (c.status === 'supported' && c.kind === 'supported') continue;
      const fails =
        c.status === 'contradicted' ||
        (c.status === 'unsupported' && c.risk >= 0.5) ||
        c.kind === 'citation_mismatch' ||
        c.kind === 'unknown_citation';
      // Without source text, a non-numeric statement can only be advisory in the snapshot check, unless
      // it cites only news items: their headline is all they say, so an event none of them names is invented.
      const statesNews =
        c.kind === 'unsupported_text' &&
        c.status === 'unsupported' &&
        c.risk >= 0.4 &&
        part.citations.length > 0 &&
        part.citations.every((id) => newsHeadlines.has(id));
      if (statesNews || (fails && !(c.kind === 'unsupported_text' && !options.documentText))) {
        findings.push(finding);
        anyFlag = true;
        if (c.status === 'contradicted') contradictedCount += 1;
      } else advisories.push(finding);
    }
  }
  const decision: Decision = !anyFlag ? (worst >= 0.25 ? 'hedge' : 'publish') : contradictedCount >= 3 ? 'facts_only' : 'regenerate';
  return { passed: findings.length === 0, claimsChecked, findings, advisories, risk: { score: worst, decision } };
}
