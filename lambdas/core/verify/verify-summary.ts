/**
 * Fact-check a summary against the fact snapshot (docs/DESIGN.md §5.6): every figure must match a fact of a
 * cited document in value, unit, scale and period; every citation must name a known document;
 * every sentence with a figure must cite; no date may lie after the as-of date.
 */
import type { Fact, FactSnapshot, FactUnit, SummaryDraft, SummaryLength, VerificationFinding, VerificationResult } from '../model';
import { SUMMARY_LENGTHS } from '../model';
import { periodKey } from '../facts/normalise';
import { extractClaims } from './claims';
import type { ClaimKind, NumericClaim, SentenceClaims } from './claims';

interface Grounding {
  value: number;
  unit: FactUnit;
  docIds: string[];
  fact: Fact;
}

const UNITS_FOR: Record<ClaimKind, FactUnit[] | 'any'> = {
  money: ['USD'],
  per_share_or_money: ['USD/share', 'USD'],
  percent: ['percent'],
  ratio: ['ratio'],
  shares: ['shares'],
  number: 'any',
};

const SCALE_SLIPS = [1e3, 1e6, 1e9, 1e-3, 1e-6, 1e-9];

/** Every value a sentence may state: the preferred facts and the losing sides of conflicts. */
function groundings(snapshot: FactSnapshot): Grounding[] {
  const byId = new Map(snapshot.facts.map((f) => [f.id, f]));
  const docOf = (factId: string) => byId.get(factId)?.docId ?? factId.split('|').at(-1)!;
  const out: Grounding[] = snapshot.facts.map((fact) => ({
    value: fact.value,
    unit: fact.unit,
    fact,
    docIds: [...new Set([fact.docId, ...(fact.derivedFrom ?? []).map(docOf)])],
  }));
  for (const conflict of snapshot.conflicts) {
    const chosen = byId.get(conflict.candidates[0]!.factId);
    if (!chosen) continue;
    for (const candidate of conflict.candidates.slice(1)) {
      out.push({ value: candidate.value, unit: chosen.unit, fact: chosen, docIds: [candidate.docId] });
    }
  }
  return out;
}

function periodMatches(fact: Fact, claims: SentenceClaims): boolean {
  if (fact.period.fiscalPeriod === 'spot') return true;
  if (claims.fiscalYears.length > 0 && !claims.fiscalYears.includes(fact.period.fiscalYear)) return false;
  if (
    claims.quarters.length > 0 &&
    fact.period.fiscalPeriod !== 'FY' &&
    !claims.quarters.includes(Number(fact.period.fiscalPeriod.slice(1)))
  ) {
    return false;
  }
  return true;
}

function valueMatches(claim: NumericClaim, value: number): boolean {
  return Math.abs(claim.value - Math.abs(value)) <= claim.tolerance;
}

function unitFits(claim: NumericClaim, unit: FactUnit): boolean {
  const units = UNITS_FOR[claim.kind];
  return units === 'any' || units.includes(unit);
}

function checkNumber(
  claim: NumericClaim,
  claims: SentenceClaims,
  citations: Set<string>,
  pool: Grounding[],
): Pick<VerificationFinding, 'kind' | 'detail'> | undefined {
  const fitting = pool.filter((g) => unitFits(claim, g.unit));
  const sameValue = fitting.filter((g) => valueMatches(claim, g.value));
  const cited = sameValue.filter((g) => g.docIds.some((d) => citations.has(d)));
  if (cited.some((g) => periodMatches(g.fact, claims))) return undefined;
  if (cited.length > 0) {
    const periods = cited.map((g) => periodKey(g.fact.period)).join(', ');
    return { kind: 'wrong_period', detail: `${claim.text} belongs to ${periods}, not the period the sentence names` };
  }
  if (sameValue.length > 0) {
    return {
      kind: 'citation_mismatch',
      detail: `${claim.text} is in ${sameValue[0]!.docIds.join(', ')}, which the sentence does not cite`,
    };
  }
  const slipped = fitting.find((g) => SCALE_SLIPS.some((factor) => valueMatches(claim, g.value * factor)));
  if (slipped) {
    return { kind: 'wrong_scale', detail: `${claim.text} looks like ${slipped.fact.metric} (${slipped.fact.id}) at the wrong scale` };
  }
  return { kind: 'unsupported_number', detail: `${claim.text} matches no fact in the snapshot` };
}

export function verifySummary(draft: SummaryDraft, snapshot: FactSnapshot): VerificationResult {
  const pool = groundings(snapshot);
  const knownDocs = new Set(snapshot.documents.map((d) => d.docId));
  const findings: VerificationFinding[] = [];
  let claimsChecked = 0;
  for (const length of SUMMARY_LENGTHS as readonly SummaryLength[]) {
    for (const { section, sentences } of draft[length].sections) {
      for (const sentence of sentences) {
        const finding = (kind: VerificationFinding['kind'], detail: string) =>
          findings.push({ length, section, sentence: sentence.text, kind, detail });
        const claims = extractClaims(sentence.text);
        const citations = new Set(sentence.citations);
        for (const docId of sentence.citations) {
          if (!knownDocs.has(docId)) finding('unknown_citation', `cites ${docId}, which is not a source of this snapshot`);
        }
        if (claims.numbers.length > 0 && citations.size === 0) {
          finding('missing_citation', `states ${claims.numbers.map((n) => n.text).join(', ')} without a citation`);
        }
        for (const date of claims.dates) {
          claimsChecked += 1;
          if (date > snapshot.asOf) finding('future_date', `${date} is after the as-of date ${snapshot.asOf}`);
        }
        for (const claim of claims.numbers) {
          claimsChecked += 1;
          const problem = checkNumber(claim, claims, citations, pool);
          if (problem) finding(problem.kind, problem.detail);
        }
      }
    }
  }
  return { passed: findings.length === 0, claimsChecked, findings };
}
