/**
 * Budgets per unit of work (a stock in a run, a query): a target the unit should stay under and a
 * cap it must not pass. Calls are planned with their worst case, so the router downgrades (or an
 * optional step is skipped) before a call could take the unit past its cap. Pure: the YAML is read
 * by lambdas/adapters/cost/budgets-file.ts.
 */
import { z } from 'zod';
import type { BudgetStatus, CostUnitKind } from '../model';
import type { LlmTask } from '../ports';
import { ConfigError } from '../errors';
import type { PriceTable } from './price-table';
import { worstCaseCallUsd } from './price-table';
import { firstIssue } from '../validation';

const UnitBudgetSchema = z
  .strictObject({ targetUsd: z.number().positive(), capUsd: z.number().positive() })
  .refine((b) => b.capUsd >= b.targetUsd, 'capUsd must not be below targetUsd');
export type UnitBudget = z.infer<typeof UnitBudgetSchema>;

const LLM_TASK_NAMES = [
  'write_summary',
  'regenerate_summary',
  'extract_claims',
  'classify',
  'guardrail',
  'answer',
] as const satisfies readonly LlmTask[];

export const BudgetsSchema = z.strictObject({
  version: z.string().min(1),
  stock: UnitBudgetSchema,
  query: UnitBudgetSchema,
  /** Tasks a unit may go without when its budget cannot afford them (never the first draft). */
  optionalTasks: z.array(z.enum(LLM_TASK_NAMES)).default([]),
  /** What the whole deployment may spend in a day and a month (the operator dashboard's budget burn). */
  spend: z.strictObject({ dailyUsd: z.number().positive(), monthlyUsd: z.number().positive() }).optional(),
  /** The naive baseline's cost per stock-night as `npm run bench:cost` measured it (drawn beside the trend). */
  baseline: z.strictObject({ naiveStockUsd: z.number().positive(), measured: z.string().min(1) }).optional(),
});
export type Budgets = z.infer<typeof BudgetsSchema>;

/**
 * Validate a parsed budgets document.
 * @throws ConfigError with a one-line reason naming the first bad field.
 */
export function parseBudgets(document: unknown, source = 'budgets config'): Budgets {
  const parsed = BudgetsSchema.safeParse(document);
  if (!parsed.success) {
    const { path, message } = firstIssue(parsed.error);
    throw new ConfigError(`${source} is invalid${path ? ` at ${path}` : ''}: ${message}`);
  }
  return parsed.data;
}

export function budgetFor(budgets: Budgets, kind: CostUnitKind): UnitBudget {
  return budgets[kind];
}

/** Where `spentUsd` leaves a unit. Exactly at the target or cap is still within it. */
export function budgetStatus(spentUsd: number, budget: UnitBudget): BudgetStatus {
  if (spentUsd > budget.capUsd) return 'over_cap';
  if (spentUsd > budget.targetUsd) return 'over_target';
  return 'within_target';
}

/**
 * Tokens to plan a call with before it is sent: dense JSON prompts run near 2.5–3 characters a
 * token, so a third of the characters errs on the side of the budget.
 */
export function planningTokens(text: string): number {
  return Math.ceil(text.length / 3);
}

/** A model choice as far as budget planning needs it. */
export interface PlannedChoice {
  modelId: string;
  maxTokens: number;
}

export interface CallPlan<C extends PlannedChoice> {
  /** The choice to send (the router's, downgraded when the budget required it). */
  choice: C;
  /** True when the budget moved the call to a cheaper model. */
  downgraded: boolean;
  /** True when the call must not be made: optional, and unaffordable even downgraded. */
  skip: boolean;
  /** The worst case of the chosen call, USD. */
  worstCaseUsd: number;
}

/**
 * Plan one call within a unit's budget. `route(context)` is the model router (it downgrades when
 * `budgetRemainingUsd < downgradeBelowUsd` and the task names a cheaper model).
 *
 * - The primary model's worst case fits under the cap: send it as routed.
 * - It does not: ask the router again with the remaining budget and the primary's worst case as
 *   the threshold, so it downgrades.
 * - An optional task whose chosen model's worst case still does not fit is skipped; a required
 *   task is sent anyway (a brief must be written; the breach is then recorded).
 */
export function planCall<C extends PlannedChoice>(input: {
  route: (context?: { budgetRemainingUsd: number; downgradeBelowUsd: number }) => C;
  prices: PriceTable;
  budget: UnitBudget;
  spentUsd: number;
  inputTokens: number;
  optional: boolean;
}): CallPlan<C> {
  const primary = input.route();
  const remaining = input.budget.capUsd - input.spentUsd;
  const worstPrimary = worstCaseCallUsd(input.prices, primary.modelId, input.inputTokens, primary.maxTokens);
  if (worstPrimary <= remaining) return { choice: primary, downgraded: false, skip: false, worstCaseUsd: worstPrimary };
  const choice = input.route({ budgetRemainingUsd: remaining, downgradeBelowUsd: worstPrimary });
  const worst = worstCaseCallUsd(input.prices, choice.modelId, input.inputTokens, choice.maxTokens);
  return { choice, downgraded: choice.modelId !== primary.modelId, skip: input.optional && worst > remaining, worstCaseUsd: worst };
}
