/** Summaries, their sentences and citations, and what verification found. */
export const SUMMARY_SECTIONS = ['overview', 'recent_results', 'valuation_and_estimates', 'analyst_view', 'risks', 'catalysts'] as const;
export type SummarySection = (typeof SUMMARY_SECTIONS)[number];

export const SUMMARY_LENGTHS = ['hook', 'medium', 'expanded'] as const;
export type SummaryLength = (typeof SUMMARY_LENGTHS)[number];

export interface SummarySentence {
  text: string;
  /** Source document ids this sentence rests on. */
  citations: string[];
}

export interface SummaryBody {
  sections: Array<{ section: SummarySection; sentences: SummarySentence[] }>;
}

export interface SummaryDraft {
  hook: SummaryBody;
  medium: SummaryBody;
  expanded: SummaryBody;
}

export type VerificationStatus = 'verified' | 'regenerated' | 'facts_only' | 'failed';

export interface VerificationFinding {
  length: SummaryLength;
  section: SummarySection;
  sentence: string;
  kind:
    | 'unsupported_number'
    | 'wrong_scale'
    | 'wrong_period'
    | 'missing_citation'
    | 'unknown_citation'
    | 'citation_mismatch'
    | 'future_date'
    | 'malformed_output';
  detail: string;
}

/** What the hallucination detector's risk decided for a text: publish it, hedge it, write it again, or state only facts. */
export type RiskDecision = 'publish' | 'hedge' | 'regenerate' | 'facts_only';

/** The detector's risk that a text holds a hallucination (0–1, its worst claim dominating) and what it decided. */
export interface TextRiskSummary {
  score: number;
  decision: RiskDecision;
}

export interface VerificationResult {
  passed: boolean;
  claimsChecked: number;
  findings: VerificationFinding[];
  /** Absent on briefs stored before the grounding engine, and on unparseable model output. */
  risk?: TextRiskSummary;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}
