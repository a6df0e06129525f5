/** The model-response cassette: recorded calls replay offline, and a call never recorded fails by name. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cassette, requestHash } from '../../../lambdas/adapters/llm/cassette';
import type { EmbedderPort, LlmPort, LlmRequest } from '../../../lambdas/core/ports';
import { ConfigError } from '../../../lambdas/core/errors';

const request: LlmRequest = { task: 'answer', modelId: 'm', system: 'rules', prompt: 'What was revenue?', maxTokens: 100 };
let calls = 0;
const model: LlmPort = {
  converse: async (r) => {
    calls += 1;
    return {
      text: `answer to ${r.prompt}`,
      modelId: r.modelId,
      usage: { inputTokens: 3, outputTokens: 4, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
      estimated: false,
      latencyMs: 12,
      stopReason: 'end_turn',
    };
  },
};
const embedder: EmbedderPort = {
  modelId: 'e',
  dimensions: 2,
  embed: async (texts) => ({ vectors: texts.map((t) => Float32Array.from([t.length, 1])), inputTokens: 2, estimated: false }),
};

describe('the model-response cassette', () => {
  it('replays what it recorded without calling the model', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cassette-')), 'c.json');
    const recorded = await new Cassette(file, 'record').llm(model).converse(request);
    await new Cassette(file, 'record').embedder(embedder).embed(['abc']);
    const before = calls;
    const replay = new Cassette(file, 'replay');
    expect(await replay.llm(model).converse({ ...request, timeoutMs: 5 })).toEqual(recorded);
    expect(Array.from((await replay.embedder(embedder).embed(['abc'])).vectors[0]!)).toEqual([3, 1]);
    expect(calls).toBe(before);
  });

  it('fails a request it never saw, naming its hash, and a missing cassette with a one-line reason', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cassette-')), 'c.json');
    await new Cassette(file, 'record').llm(model).converse(request);
    const other = { ...request, prompt: 'What was net income?' };
    await expect(new Cassette(file, 'replay').llm(model).converse(other)).rejects.toThrow(
      new RegExp(`no response for answer request ${requestHash(other).slice(0, 12)}`),
    );
    expect(() => new Cassette(join(tmpdir(), 'no-such-cassette.json'), 'replay')).toThrow(ConfigError);
  });
});
