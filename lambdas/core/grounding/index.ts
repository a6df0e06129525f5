/** Hallucination detection on any financial text: sources in, facts out, claims checked, risk scored. */
export { detect, detectWithJudge, verifyDraftGrounding } from './detect';
export type {
  ClaimResult,
  DetectInput,
  DetectOptions,
  DetectResult,
  DraftGroundingOptions,
  GroundedFinding,
  GroundedVerificationResult,
  JudgeOptions,
} from './detect';
export { readSources, readTable, extractPipeTables, splitSentences, scaleMarker } from './source-reader';
export type { SourceFigure, SourceIndex, SourceInput } from './source-reader';
export { extractClaims } from './claims';
export type { Claim, NumericClaim, TextClaim } from './claims';
export { matchNumber, formatValue } from './match';
export type { ClaimStatus, Evidence, FindingKind, Verdict } from './match';
export { readFigures, parseCell, wordsToNumber } from './numbers';
export type { Figure, FigureUnit } from './numbers';
export { findPeriods } from './periods';
export type { PeriodRef } from './periods';
export { claimRisk, textRisk } from './risk';
export type { Decision } from './risk';
