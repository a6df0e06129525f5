/**
 * The model router (docs/DESIGN.md §7): task → model from configuration, downgraded to a cheaper model when
 * the remaining budget runs low, with the fallback model to use when the provider throttles. Pure:
 * the configuration is parsed elsewhere and passed in.
 */
import type { LlmTask } from '../ports';
import type { ModelConfig, RoutableTask, TaskRoute } from './routing-config';
import { requestTaskOf, ROUTABLE_TASKS } from './routing-config';

export type { RoutableTask } from './routing-config';

/** What the caller knows about its budget at the time of the call. */
export interface RouteContext {
  /** USD left in the run's (or query's) budget. Unknown → no downgrade. */
  budgetRemainingUsd?: number;
  /** Downgrade when less than this is left; overrides the configured `budget.downgradeBelowUsd`. */
  downgradeBelowUsd?: number;
}

/**
 * The model choice for one call. `modelId`, `maxTokens`, `temperature` and `timeoutMs` are the
 * LlmRequest fields, so a caller can spread the choice into its request.
 */
export interface ModelChoice {
  modelId: string;
  maxTokens: number;
  temperature?: number;
  timeoutMs: number;
  /** The LlmTask to put on the request (`answer_deep` is sent as `answer`). */
  requestTask: LlmTask;
  /** The model to retry once on when this one throttles; absent when the task does not allow it. */
  fallbackModelId?: string;
  /** True when the budget forced the cheaper model. */
  downgraded: boolean;
}

/** Routes tasks to models. Construct once per process from the parsed configuration. */
export class ModelRouter {
  constructor(private readonly config: ModelConfig) {}

  /** Every task this router can route (`answer_deep` routes like `answer` when not configured). */
  tasks(): readonly RoutableTask[] {
    return ROUTABLE_TASKS;
  }

  /** The cost rank of a model id, or undefined when the config does not list it. */
  costRank(modelId: string): number | undefined {
    return this.config.models[modelId]?.costRank;
  }

  /**
   * The model for `task`. When `context.budgetRemainingUsd` is below the threshold (context first,
   * then config) and the task names a downgrade model, the cheaper model is chosen; the downgrade
   * model is validated to cost less at load time, so a downgrade never picks a pricier model.
   */
  route(task: RoutableTask, context: RouteContext = {}): ModelChoice {
    const route = this.routeOf(task);
    const threshold = context.downgradeBelowUsd ?? this.config.budget.downgradeBelowUsd;
    const cheaper = route.downgradeModelId;
    const downgrade =
      cheaper !== undefined &&
      context.budgetRemainingUsd !== undefined &&
      threshold !== undefined &&
      context.budgetRemainingUsd < threshold;
    const modelId = downgrade ? cheaper : route.modelId;
    const fallbackModelId = this.fallbackOf(route, modelId, downgrade);
    return {
      modelId,
      maxTokens: route.maxTokens,
      ...(route.temperature !== undefined ? { temperature: route.temperature } : {}),
      timeoutMs: route.timeoutMs,
      requestTask: requestTaskOf(task),
      ...(fallbackModelId !== undefined ? { fallbackModelId } : {}),
      downgraded: downgrade,
    };
  }

  /**
   * The model to retry on after `modelId` throttled on a request for `task`, or undefined when the
   * task does not allow a fallback. A request sent as `answer` on the deep-answer model follows the
   * `answer_deep` route, because that is where such a request came from.
   */
  fallbackFor(task: LlmTask, modelId: string): string | undefined {
    const deep = this.config.tasks.answer_deep;
    if (task === 'answer' && deep && deep.modelId === modelId && deep.modelId !== this.config.tasks.answer.modelId) {
      return this.fallbackOf(deep, modelId, false);
    }
    const route = this.config.tasks[task];
    return this.fallbackOf(route, modelId, modelId !== route.modelId);
  }

  private routeOf(task: RoutableTask): TaskRoute {
    if (task === 'answer_deep') return this.config.tasks.answer_deep ?? this.config.tasks.answer;
    return this.config.tasks[task];
  }

  /** Never the same model, and under budget pressure never a pricier one than the model in use. */
  private fallbackOf(route: TaskRoute, modelId: string, economising: boolean): string | undefined {
    if (!route.allowFallback || route.fallbackModelId === undefined || route.fallbackModelId === modelId) return undefined;
    if (economising) {
      const current = this.costRank(modelId);
      const fallback = this.costRank(route.fallbackModelId);
      if (current === undefined || fallback === undefined || fallback > current) return undefined;
    }
    return route.fallbackModelId;
  }
}
