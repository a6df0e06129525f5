/**
 * An LlmPort that retries a throttled call once on the task's fallback model. The provider's own
 * retries (the SDK's standard retry with backoff) have already run by the time a
 * ModelThrottledError reaches here, so waiting longer on the same model is unlikely to help within
 * an FA's 10-second budget; a different model has its own quota. Pure: wraps any LlmPort.
 */
import type { LlmPort, LlmRequest, LlmResponse } from '../ports';
import { ModelThrottledError } from '../errors';
import type { ModelChoice, ModelRouter, RouteContext } from './model-router';
import type { RoutableTask } from './routing-config';

/** Reported when a call moved to its fallback model (for a metric and a log line). */
export interface FallbackEvent {
  task: LlmRequest['task'];
  fromModelId: string;
  toModelId: string;
  error: ModelThrottledError;
}

export interface RoutedLlmOptions {
  onFallback?: (event: FallbackEvent) => void;
}

/** The result of `RoutedLlm.complete`: the response and how it was routed. */
export interface RoutedResponse {
  response: LlmResponse;
  /** The router's choice before any fallback. */
  choice: ModelChoice;
  /** True when the fallback model answered (then `response.modelId` is the fallback's id). */
  fellBack: boolean;
}

export class RoutedLlm implements LlmPort {
  constructor(
    private readonly llm: LlmPort,
    private readonly router: ModelRouter,
    private readonly options: RoutedLlmOptions = {},
  ) {}

  /**
   * Send the request; on ModelThrottledError, when the router allows a fallback for this task and
   * model, send it once more on the fallback model. Any other error, or a second throttle, propagates
   * unchanged. `response.modelId` names the model that actually answered.
   */
  async converse(request: LlmRequest): Promise<LlmResponse> {
    return (await this.send(request)).response;
  }

  /** Route `task`, send the call, and report the choice and whether the fallback answered. */
  async complete(task: RoutableTask, content: Pick<LlmRequest, 'system' | 'prompt'>, context: RouteContext = {}): Promise<RoutedResponse> {
    const choice = this.router.route(task, context);
    const request: LlmRequest = {
      task: choice.requestTask,
      modelId: choice.modelId,
      system: content.system,
      prompt: content.prompt,
      maxTokens: choice.maxTokens,
      timeoutMs: choice.timeoutMs,
      ...(choice.temperature !== undefined ? { temperature: choice.temperature } : {}),
    };
    const { response, fellBack } = await this.send(request, choice.fallbackModelId ?? null);
    return { response, choice, fellBack };
  }

  /** `fallback`: the model to use (null: none), or undefined to ask the router. */
  private async send(request: LlmRequest, fallback?: string | null): Promise<{ response: LlmResponse; fellBack: boolean }> {
    try {
      return { response: await this.llm.converse(request), fellBack: false };
    } catch (error) {
      if (!(error instanceof ModelThrottledError)) throw error;
      const toModelId = fallback === undefined ? this.router.fallbackFor(request.task, request.modelId) : fallback;
      if (toModelId === null || toModelId === undefined || toModelId === request.modelId) throw error;
      this.options.onFallback?.({ task: request.task, fromModelId: request.modelId, toModelId, error });
      return { response: await this.llm.converse({ ...request, modelId: toModelId }), fellBack: true };
    }
  }
}

/** Wrap `llm` so throttled calls fall back once, as the router allows. */
export function withFallback(llm: LlmPort, router: ModelRouter, options: RoutedLlmOptions = {}): RoutedLlm {
  return new RoutedLlm(llm, router, options);
}
