import { describe, expect, it } from 'vitest';
import type { LlmPort, LlmRequest } from '../../../lambdas/core/ports/index';
import {
  bedrockLatencyModel,
  LocalAnswerLlm,
  LocalModels,
  REALISTIC_BEDROCK_LATENCY,
  shortName,
} from '../../../lambdas/adapters/llm/local-answer-llm';
import { ANSWER_SYSTEM_PROMPT, isAnswerPrompt, parseAnswerReply, renderAnswerPrompt } from '../../../lambdas/core/query/answer-prompt';
import { buildContext } from '../../../lambdas/core/query/context';
import { retrieve } from '../../../lambdas/core/query/retrieve';
import { LocalEmbedder } from '../../../lambdas/adapters/embedder/local-embedder';
import { ModelValidationError } from '../../../lambdas/core/errors';
import { memoryBriefs } from '../../integration/query-fixtures';

async function answerPrompt(question: string): Promise<string> {
  const store = await memoryBriefs();
  const retrieval = await retrieve(['KQRV'], question, { summaries: store, chunks: store, embedder: new LocalEmbedder(), now: Date.now });
  return renderAnswerPrompt(buildContext(question, retrieval, [], { factsPerTicker: 8, excerptChars: 400 }), { mode: 'simple' });
}

function request(prompt: string, overrides: Partial<LlmRequest> = {}): LlmRequest {
  return { task: 'answer', modelId: 'small-model', system: ANSWER_SYSTEM_PROMPT, prompt, maxTokens: 800, ...overrides };
}

describe('the local answer model', () => {
  it('answers from the prompt with the reply contract and estimated usage', async () => {
    const response = await new LocalAnswerLlm().converse(request(await answerPrompt('What was revenue last quarter?')));
    const parsed = parseAnswerReply(response.text);
    expect('reply' in parsed && parsed.reply.sentences.length).toBeGreaterThan(0);
    expect(response.estimated).toBe(true);
    expect(response.usage.inputTokens).toBeGreaterThan(100);
    expect(response.usage.cacheReadInputTokens).toBe(0);
  });

  it('waits as long as its latency model says, without blocking other calls', async () => {
    const waits: number[] = [];
    const llm = new LocalAnswerLlm({ latency: () => 1234, sleep: async (ms) => void waits.push(ms) });
    await llm.converse(request(await answerPrompt('Revenue?')));
    expect(waits).toEqual([1234]);
  });

  it('refuses other tasks and prompts it cannot read', async () => {
    const llm = new LocalAnswerLlm();
    await expect(llm.converse(request('x', { task: 'write_summary' }))).rejects.toBeInstanceOf(ModelValidationError);
    await expect(llm.converse(request('<task>\n{}\n</task>'))).rejects.toBeInstanceOf(ModelValidationError);
  });
});

describe('the Bedrock latency model', () => {
  // u = 0.5, v = 0.25 makes the Box–Muller draw exactly 0: no jitter, the medians themselves.
  const noJitter = () => {
    let i = 0;
    return () => [0.5, 0.25][i++ % 2]!;
  };

  it('takes time to first token plus output tokens at the model speed, slower for the strong model', () => {
    const model = bedrockLatencyModel({ strongModel: (id) => id === 'strong', random: noJitter() });
    const usage = { inputTokens: 2000, outputTokens: 260 };
    const small = REALISTIC_BEDROCK_LATENCY.small;
    const strong = REALISTIC_BEDROCK_LATENCY.strong;
    expect(model(request('', { modelId: 'small' }), usage)).toBeCloseTo(
      small.firstTokenMs + 2000 * small.perInputTokenMs + (260 / small.tokensPerSecond) * 1000,
      6,
    );
    expect(model(request('', { modelId: 'strong' }), usage)).toBeCloseTo(
      strong.firstTokenMs + 2000 * strong.perInputTokenMs + (260 / strong.tokensPerSecond) * 1000,
      6,
    );
  });

  it('has a long right tail: jitter never makes a call faster than zero and sometimes much slower', () => {
    const model = bedrockLatencyModel({ strongModel: () => false });
    const draws = Array.from({ length: 2000 }, () => model(request(''), { inputTokens: 1500, outputTokens: 200 }));
    const sorted = [...draws].sort((a, b) => a - b);
    expect(sorted[0]!).toBeGreaterThan(0);
    expect(sorted[Math.floor(sorted.length * 0.95)]! / sorted[Math.floor(sorted.length / 2)]!).toBeGreaterThan(1.3);
  });
});

describe('the local models behind one port', () => {
  it('sends answers to the answer model and everything else to the brief writer, by task or by prompt', async () => {
    const seen: string[] = [];
    const stub = (name: string): LlmPort => ({
      converse: async (r) => (
        seen.push(`${name}:${r.task}`),
        {
          text: '',
          modelId: r.modelId,
          usage: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
          estimated: true,
          latencyMs: 0,
          stopReason: 'end_turn',
        }
      ),
    });
    const models = new LocalModels(stub('writer'), stub('answerer'));
    const prompt = await answerPrompt('Revenue?');
    expect(isAnswerPrompt(prompt)).toBe(true);
    await models.converse(request('<company>\n{}\n</company>', { task: 'write_summary' }));
    await models.converse(request('anything', { task: 'answer' }));
    await models.converse(request(prompt, { task: 'classify' }));
    expect(seen).toEqual(['writer:write_summary', 'answerer:answer', 'answerer:answer']);
  });

  it('names companies without their legal suffix', () => {
    expect(shortName('Kelorix Instruments Inc.')).toBe('Kelorix Instruments');
    expect(shortName('Falquora Energy Holdings, Inc.')).toBe('Falquora Energy');
    expect(shortName('Kelelex Retail Corporation')).toBe('Kelelex Retail');
    expect(shortName('Gavendra Group, Inc.')).toBe('Gavendra');
  });
});
