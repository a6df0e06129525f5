import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadModelConfig } from '../../../lambdas/adapters/llm/model-config';
import type { LlmPort, LlmRequest, LlmResponse, LlmTask } from '../../../lambdas/core/ports/index';
import { ModelRouter } from '../../../lambdas/core/routing/model-router';
import { RoutedLlm, withFallback } from '../../../lambdas/core/routing/routed-llm';
import type { FallbackEvent } from '../../../lambdas/core/routing/routed-llm';
import { LLM_TASKS } from '../../../lambdas/core/routing/routing-config';
import {
  ModelAccessError,
  ModelServiceError,
  ModelThrottledError,
  ModelTimeoutError,
  ModelValidationError,
} from '../../../lambdas/core/errors';

const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const router = new ModelRouter(loadModelConfig(fileURLToPath(new URL('../../../config/models.yaml', import.meta.url))));

/** An LlmPort that plays a script: each call takes the next outcome (an error to throw, or 'ok'). */
class ScriptedLlm implements LlmPort {
  readonly calls: LlmRequest[] = [];
  constructor(private readonly script: Array<Error | 'ok'>) {}

  async converse(request: LlmRequest): Promise<LlmResponse> {
    this.calls.push(request);
    const outcome = this.script[this.calls.length - 1] ?? 'ok';
    if (outcome !== 'ok') throw outcome;
    return {
      text: `answered by ${request.modelId}`,
      modelId: request.modelId,
      usage: { inputTokens: 1, outputTokens: 1, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
      estimated: false,
      latencyMs: 1,
      stopReason: 'end_turn',
    };
  }
}

function requestFor(task: LlmTask): LlmRequest {
  const choice = router.route(task);
  return {
    task,
    modelId: choice.modelId,
    system: 'instructions',
    prompt: 'content',
    maxTokens: choice.maxTokens,
    timeoutMs: choice.timeoutMs,
  };
}

const throttled = () => new ModelThrottledError('ThrottlingException: rate exceeded');

describe('RoutedLlm fallback on throttling', () => {
  it('retries a throttled summary once on the fallback model and reports the model that answered', async () => {
    const inner = new ScriptedLlm([throttled(), 'ok']);
    const events: FallbackEvent[] = [];
    const response = await withFallback(inner, router, { onFallback: (event) => events.push(event) }).converse(requestFor('write_summary'));

    expect(inner.calls.map((call) => call.modelId)).toEqual([SONNET, HAIKU]);
    expect(response.modelId).toBe(HAIKU);
    expect(events).toEqual([expect.objectContaining({ task: 'write_summary', fromModelId: SONNET, toModelId: HAIKU })]);
    // The fallback call is the same request on another model.
    expect({ ...inner.calls[1], modelId: SONNET }).toEqual(inner.calls[0]);
  });

  it('falls back only once: a second throttle reaches the caller', async () => {
    const inner = new ScriptedLlm([throttled(), throttled(), 'ok']);
    await expect(new RoutedLlm(inner, router).converse(requestFor('regenerate_summary'))).rejects.toBeInstanceOf(ModelThrottledError);
    expect(inner.calls).toHaveLength(2);
  });

  it.each(['extract_claims', 'classify', 'guardrail', 'answer'] as const)(
    'does not fall back for %s, which does not allow it',
    async (task) => {
      const inner = new ScriptedLlm([throttled(), 'ok']);
      await expect(new RoutedLlm(inner, router).converse(requestFor(task))).rejects.toBeInstanceOf(ModelThrottledError);
      expect(inner.calls).toHaveLength(1);
    },
  );

  it.each([
    ['timeout', new ModelTimeoutError('deadline')],
    ['service error', new ModelServiceError('500')],
    ['validation error', new ModelValidationError('bad request')],
    ['access error', new ModelAccessError('denied')],
  ])('does not fall back on a %s', async (_label, error) => {
    const inner = new ScriptedLlm([error, 'ok']);
    await expect(new RoutedLlm(inner, router).converse(requestFor('write_summary'))).rejects.toBe(error);
    expect(inner.calls).toHaveLength(1);
  });

  it('does not fall back when the throttled model already is the fallback model', async () => {
    const inner = new ScriptedLlm([throttled(), 'ok']);
    await expect(new RoutedLlm(inner, router).converse({ ...requestFor('write_summary'), modelId: HAIKU })).rejects.toBeInstanceOf(
      ModelThrottledError,
    );
    expect(inner.calls).toHaveLength(1);
  });

  it('falls back for a deep answer sent as task answer on the strong model', async () => {
    const inner = new ScriptedLlm([throttled(), 'ok']);
    const routed = await new RoutedLlm(inner, router).complete('answer_deep', {
      system: 'answer with citations',
      prompt: 'Compare KO and PEP',
    });

    expect(routed).toMatchObject({ fellBack: true, response: { modelId: HAIKU }, choice: { modelId: SONNET, requestTask: 'answer' } });
    expect(inner.calls.map((call) => [call.task, call.modelId])).toEqual([
      ['answer', SONNET],
      ['answer', HAIKU],
    ]);
  });

  it('complete() sends the routed limits and reports no fallback when the first model answers', async () => {
    const inner = new ScriptedLlm(['ok']);
    const routed = await new RoutedLlm(inner, router).complete('classify', { system: 's', prompt: 'p' });

    const choice = router.route('classify');
    expect(routed.fellBack).toBe(false);
    expect(inner.calls[0]).toMatchObject({
      task: 'classify',
      modelId: choice.modelId,
      maxTokens: choice.maxTokens,
      timeoutMs: choice.timeoutMs,
    });
  });

  it('complete() does not fall back from a budget-downgraded summary to a pricier model', async () => {
    const inner = new ScriptedLlm([throttled(), 'ok']);
    await expect(
      new RoutedLlm(inner, router).complete('write_summary', { system: 's', prompt: 'p' }, { budgetRemainingUsd: 0 }),
    ).rejects.toBeInstanceOf(ModelThrottledError);
    expect(inner.calls.map((call) => call.modelId)).toEqual([HAIKU]);
  });

  it('makes at most two calls, and two only after a throttle on a task that allows fallback', async () => {
    const outcome = fc.constantFrom<() => Error | 'ok'>(
      () => 'ok',
      throttled,
      () => new ModelTimeoutError('t'),
      () => new ModelServiceError('s'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...LLM_TASKS), fc.array(outcome, { minLength: 3, maxLength: 3 }), async (task, script) => {
        const plays = script.map((make) => make());
        const inner = new ScriptedLlm(plays);
        await new RoutedLlm(inner, router).converse(requestFor(task)).catch(() => undefined);
        const allows = router.route(task).fallbackModelId !== undefined;
        const expected = plays[0] instanceof ModelThrottledError && allows ? 2 : 1;
        expect(inner.calls).toHaveLength(expected);
      }),
    );
  });
});
