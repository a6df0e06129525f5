/**
 * The grounding judge over any model port (Bedrock Converse in AWS, the simulator locally): a pinned
 * model at temperature 0, and verdicts cached by request, so a re-run asks nothing twice.
 */
import { createHash } from 'node:crypto';
import type { GroundingJudge, JudgeRequest, JudgeResponse } from '../../core/ports/judge';
import type { LlmPort } from '../../core/ports';
import { JUDGE_SYSTEM_PROMPT, parseJudgeReply, renderJudgePrompt } from '../../core/grounding/judge-prompt';

export class LlmJudge implements GroundingJudge {
  private readonly cache = new Map<string, Promise<JudgeResponse>>();

  constructor(
    private readonly llm: LlmPort,
    private readonly modelId: string,
  ) {}

  judge(request: JudgeRequest): Promise<JudgeResponse> {
    const prompt = renderJudgePrompt(request);
    const key = createHash('sha256').update(`${this.modelId}\u0000${prompt}`).digest('hex');
    let verdict = this.cache.get(key);
    if (!verdict) {
      verdict = this.llm
        .converse({ task: 'classify', modelId: this.modelId, system: JUDGE_SYSTEM_PROMPT, prompt, maxTokens: 400, temperature: 0 })
        .then((response) => parseJudgeReply(response.text));
      this.cache.set(key, verdict);
    }
    return verdict;
  }
}
