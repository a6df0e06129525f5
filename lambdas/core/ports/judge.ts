/**
 * The grounding-judge port: an LLM asked whether the sources support one claim. Three-valued, and
 * every verdict but `unsupported` must quote the source verbatim; the core checks the quote
 * against the source text and ignores a verdict whose quote it cannot find (docs/DESIGN.md §7).
 */
export type JudgeVerdict = 'supported' | 'contradicted' | 'unsupported';

export interface JudgeRequest {
  claim: string;
  /** The sentence the claim sits in. */
  sentence: string;
  /** The best candidate passages, most relevant first. */
  sources: Array<{ id: string; text: string }>;
  asOf?: string;
}

export interface JudgeResponse {
  verdict: JudgeVerdict;
  /** A verbatim quote from one of the sources. */
  evidence?: string;
  sourceId?: string;
  rationale?: string;
}

export interface GroundingJudge {
  judge(request: JudgeRequest): Promise<JudgeResponse>;
}
