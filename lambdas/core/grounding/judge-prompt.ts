/**
 * The grounding judge's prompt and reply contract: one claim, its sentence and a few passages in;
 * a three-valued verdict with a verbatim quote out. Pure; the model behind it is an adapter's.
 */
import { z } from 'zod';
import type { JudgeRequest, JudgeResponse } from '../ports/judge';
import { describeIssue } from '../validation';

export const JUDGE_SYSTEM_PROMPT = [
  'You check whether financial source passages support one claim.',
  'Answer with JSON only: {"verdict":"supported"|"contradicted"|"unsupported","evidence":"<verbatim quote>","sourceId":"<id>","rationale":"<one sentence>"}.',
  'Quote the passage word for word; a verdict other than "unsupported" without a verbatim quote is ignored.',
  'Use only the passages, never outside knowledge.',
].join('\n');

const OPEN = '<judge>\n';

export function renderJudgePrompt(request: JudgeRequest): string {
  const passages = request.sources.map((s) => `<passage id="${s.id}">\n${s.text}\n</passage>`).join('\n');
  return `${OPEN}<claim>${request.claim}</claim>\n<sentence>${request.sentence}</sentence>\n${request.asOf ? `<as_of>${request.asOf}</as_of>\n` : ''}${passages}\n</judge>`;
}

export function isJudgePrompt(prompt: string): boolean {
  return prompt.startsWith(OPEN);
}

/** The request a judge prompt carries (the simulator's local judge reads it back). */
export function parseJudgePrompt(prompt: string): JudgeRequest {
  const tag = (name: string) => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(prompt)?.[1];
  const sources = [...prompt.matchAll(/<passage id="([^"]*)">\n([\s\S]*?)\n<\/passage>/g)].map((m) => ({ id: m[1]!, text: m[2]! }));
  const asOf = tag('as_of');
  return { claim: tag('claim') ?? '', sentence: tag('sentence') ?? '', sources, ...(asOf ? { asOf } : {}) };
}

const ReplySchema = z.object({
  verdict: z.enum(['supported', 'contradicted', 'unsupported']),
  evidence: z.string().optional(),
  sourceId: z.string().optional(),
  rationale: z.string().optional(),
});

/** A model's reply as a verdict; an unreadable reply is `unsupported` with the reason. */
export function parseJudgeReply(text: string): JudgeResponse {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  try {
    const parsed = ReplySchema.safeParse(JSON.parse(text.slice(start, end + 1)));
    if (parsed.success) return parsed.data;
    return { verdict: 'unsupported', rationale: `the judge's reply does not match the contract at ${describeIssue(parsed.error)}` };
  } catch {
    return { verdict: 'unsupported', rationale: "the judge's reply is not JSON" };
  }
}
