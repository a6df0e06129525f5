/**
 * Uncertainty: a risk in [0, 1] per claim (from its status, how it was supported, hedges and
 * boosters) and per text, and the decision the risk drives: publish, hedge, regenerate or facts-only.
 */
import type { RiskDecision } from '../model';
import type { ClaimStatus, FindingKind } from './match';

export type Decision = RiskDecision;

export interface RiskInput {
  status: ClaimStatus;
  kind: FindingKind;
  numeric: boolean;
  derived?: boolean;
  weak?: boolean;
  absent?: boolean;
  hedged: boolean;
  boosted: boolean;
}

/** Risk that a claim is a hallucination. */
export function claimRisk(c: RiskInput): number {
  let r: number;
  if (c.status === 'contradicted') r = 0.95;
  else if (c.status === 'unsupported') {
    if (c.kind === 'missing_period') r = 0.45;
    else if (c.kind === 'unsupported_superlative') r = 0.7;
    else if (c.numeric || c.kind === 'unknown_entity' || c.kind === 'unknown_citation') r = 0.65;
    else r = c.absent ? 0.6 : c.weak ? 0.3 : 0.45;
  } else r = c.weak ? 0.2 : c.derived ? 0.08 : 0.03;
  if (c.kind === 'citation_mismatch') r += 0.15;
  // An overconfident claim the sources do not firmly back is worse than a hedged one.
  if (c.boosted && (c.status !== 'supported' || c.weak)) r += 0.15;
  if (c.hedged && c.status === 'unsupported') r -= 0.1;
  return Math.min(1, Math.max(0, r));
}

/** Is this claim a flagged hallucination (as opposed to a weakly supported statement)? */
export function isHallucination(c: RiskInput, risk: number): boolean {
  return c.status === 'contradicted' || (c.status === 'unsupported' && risk >= 0.5);
}

export interface TextRisk {
  score: number;
  hallucinated: boolean;
  decision: Decision;
}

/** Per-text risk: dominated by the worst claim, nudged by how shaky the rest are. */
export function textRisk(claims: Array<{ risk: number; flagged: boolean; status: ClaimStatus; numeric: boolean }>): TextRisk {
  if (claims.length === 0) return { score: 0, hallucinated: false, decision: 'publish' };
  const max = Math.max(...claims.map((c) => c.risk));
  const mean = claims.reduce((a, c) => a + c.risk, 0) / claims.length;
  const score = Math.min(1, 0.8 * max + 0.2 * mean);
  const flagged = claims.filter((c) => c.flagged);
  const numeric = claims.filter((c) => c.numeric);
  const contradictedNumeric = numeric.filter((c) => c.status === 'contradicted').length;
  const hallucinated = flagged.length > 0;
  let decision: Decision = 'publish';
  if (hallucinated)
    decision =
      contradictedNumeric >= 3 || (numeric.length > 0 && contradictedNumeric / numeric.length >= 0.3 && contradictedNumeric >= 2)
        ? 'facts_only'
        : 'regenerate';
  else if (score >= 0.25) decision = 'hedge';
  return { score: Math.round(score * 1000) / 1000, hallucinated, decision };
}
