/**
 * A deterministic stand-in for the LLM judge (the Bedrock simulator answers judge prompts with it):
 * the passage sentence sharing the most content words with the claim is its evidence, quoted
 * verbatim, and the claim is supported when nearly all of its content words are there and no
 * negation separates them. Otherwise it says unsupported, as a careful judge would.
 */
import type { GroundingJudge, JudgeRequest, JudgeResponse } from '../../core/ports/judge';

const STOP = new Set(
  'a an the of and or to in on for by with at as is was were be been are its it this that from than has have had'.split(' '),
);
const NEGATION = /\b(?:not|no|never|none|without|denied|denies)\b/i;

const contentWords = (text: string) =>
  new Set((text.toLowerCase().match(/[a-z0-9$%.]+/g) ?? []).map((w) => w.replace(/\.$/, '')).filter((w) => w && !STOP.has(w)));

export class LocalJudge implements GroundingJudge {
  async judge(request: JudgeRequest): Promise<JudgeResponse> {
    const claim = contentWords(request.claim);
    let best: { id: string; sentence: string; share: number } | undefined;
    for (const source of request.sources) {
      for (const sentence of source.text.split(/(?<=[.!?])\s+/)) {
        const words = contentWords(sentence);
        const share = claim.size > 0 ? [...claim].filter((w) => words.has(w)).length / claim.size : 0;
        if (!best || share > best.share) best = { id: source.id, sentence: sentence.trim(), share };
      }
    }
    if (!best || best.share < 0.8 || NEGATION.test(best.sentence) !== NEGATION.test(request.claim)) {
      return { verdict: 'unsupported', rationale: 'no passage states it' };
    }
    return {
      verdict: 'supported',
      evidence: best.sentence,
      sourceId: best.id,
      rationale: `${Math.round(best.share * 100)}% of its content words are in this passage`,
    };
  }
}
