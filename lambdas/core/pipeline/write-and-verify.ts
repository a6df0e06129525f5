/**
 * Write the three summaries, fact-check them, regenerate once with the findings, and fall back to
 * a facts-only summary built from the snapshot if the second draft still fails (docs/DESIGN.md §5.5–5.6).
 */
import type { LlmPort, LlmTask } from '../ports';
import type { ModelCallRecord, FactSnapshot, SummaryDraft, VerificationResult, VerificationStatus } from '../model';
import type { PriceTable } from '../cost/price-table';
import { costOfUsage } from '../cost/price-table';
import type { UnitBudget } from '../cost/budget';
import { planCall, planningTokens } from '../cost/budget';
import type { RouteContext } from '../routing/model-router';
import type { BriefInput } from '../summary/brief-input';
import { excerptTextByDoc } from '../summary/brief-input';
import { composeBrief } from '../summary/compose-brief';
import { parseDraft, renderWriterPrompt, writerSystemPrompt } from '../summary/writer-prompt';
import type { WriterPromptVariant } from '../summary/writer-prompt';
import { verifyDraftGrounding } from '../grounding';
import type { GroundedVerificationResult } from '../grounding';

export interface ModelChoice {
  modelId: string;
  maxTokens: number;
  temperature?: number;
  timeoutMs?: number;
}

export interface WriteDeps {
  llm: LlmPort;
  /** The model router: with a context carrying the remaining budget it may downgrade. */
  chooseModel: (task: LlmTask, context?: RouteContext) => ModelChoice;
  prices: PriceTable;
  /** The writer prompt variant of the unit's A/B arm (default v1). */
  writerPromptVariant?: WriterPromptVariant;
}

/** The unit's budget while it writes: calls are planned so none can take it past the cap. */
export interface WriteBudget {
  budget: UnitBudget;
  /** Already spent on the unit before writing (embeddings, earlier attempts). */
  spentUsd: number;
  /** Tasks that may be skipped when even the cheaper model cannot be afforded. */
  optionalTasks: readonly LlmTask[];
}

export interface WriteResult {
  status: Exclude<VerificationStatus, 'failed'>;
  summary: SummaryDraft;
  verification: VerificationResult;
  /** Verification of each model draft, in order (the last one may have been replaced by facts-only). */
  drafts: VerificationResult[];
  calls: ModelCallRecord[];
  modelId: string;
  /** Indexes into `calls` of the calls the budget moved to a cheaper model. */
  downgradedCalls: number[];
  /** Steps the budget skipped (a skipped regeneration publishes facts-only). */
  skippedSteps: string[];
}

interface Spend {
  calls: ModelCallRecord[];
  downgradedCalls: number[];
  skippedSteps: string[];
}

async function draft(
  task: 'write_summary' | 'regenerate_summary',
  prompt: string,
  check: (draft: SummaryDraft) => VerificationResult,
  deps: WriteDeps,
  spend: Spend,
  budget: WriteBudget | undefined,
): Promise<{ summary?: SummaryDraft; verification: VerificationResult; modelId: string } | { skipped: true }> {
  const { calls } = spend;
  let choice = deps.chooseModel(task);
  let downgraded = false;
  if (budget) {
    const plan = planCall({
      route: (context) => deps.chooseModel(task, context),
      prices: deps.prices,
      budget: budget.budget,
      spentUsd: budget.spentUsd + calls.reduce((sum, c) => sum + c.costUsd, 0),
      inputTokens: planningTokens(writerSystemPrompt(deps.writerPromptVariant)) + planningTokens(prompt),
      optional: budget.optionalTasks.includes(task),
    });
    if (plan.skip) {
      spend.skippedSteps.push(task);
      return { skipped: true };
    }
    choice = plan.choice;
    downgraded = plan.downgraded;
  }
  const response = await deps.llm.converse({
    task,
    system: writerSystemPrompt(deps.writerPromptVariant),
    prompt,
    modelId: choice.modelId,
    maxTokens: choice.maxTokens,
    ...(choice.temperature !== undefined ? { temperature: choice.temperature } : {}),
    ...(choice.timeoutMs !== undefined ? { timeoutMs: choice.timeoutMs } : {}),
  });
  if (downgraded) spend.downgradedCalls.push(calls.length);
  calls.push({
    task,
    modelId: response.modelId,
    usage: response.usage,
    costUsd: costOfUsage(deps.prices, response.modelId, response.usage),
    estimated: response.estimated,
    latencyMs: response.latencyMs,
  });
  const parsed = parseDraft(response.text);
  if ('error' in parsed) {
    return {
      modelId: response.modelId,
      verification: {
        passed: false,
        claimsChecked: 0,
        findings: [{ length: 'hook', section: 'overview', sentence: '', kind: 'malformed_output', detail: parsed.error }],
      },
    };
  }
  return { summary: parsed.draft, verification: check(parsed.draft), modelId: response.modelId };
}

/** The batch's check of a brief: against its fact snapshot and the excerpts its writer was given. */
export function verifyBrief(draft: SummaryDraft, snapshot: FactSnapshot, input: BriefInput): GroundedVerificationResult {
  return verifyDraftGrounding(draft, snapshot, { documentText: excerptTextByDoc(input), notes: input.gaps });
}

/**
 * Draft, verify, regenerate once, else facts-only. With `options.budget` every call is planned
 * against the unit's cap (downgraded, or the optional regeneration skipped, when it cannot be
 * afforded); without it calls go as routed.
 */
export async function writeAndVerify(
  snapshot: FactSnapshot,
  input: BriefInput,
  deps: WriteDeps,
  options: { budget?: WriteBudget } = {},
): Promise<WriteResult> {
  const spend: Spend = { calls: [], downgradedCalls: [], skippedSteps: [] };
  const { calls, downgradedCalls, skippedSteps } = spend;
  const check = (d: SummaryDraft) => verifyBrief(d, snapshot, input);
  const first = await draft('write_summary', renderWriterPrompt(input), check, deps, spend, options.budget);
  if ('skipped' in first) throw new Error('the first draft is never optional'); // planCall never skips a required task
  if (first.summary && first.verification.passed) {
    return {
      status: 'verified',
      summary: first.summary,
      verification: first.verification,
      drafts: [first.verification],
      calls,
      modelId: first.modelId,
      downgradedCalls,
      skippedSteps,
    };
  }
  const second = await draft(
    'regenerate_summary',
    renderWriterPrompt(input, first.verification.findings),
    check,
    deps,
    spend,
    options.budget,
  );
  if (!('skipped' in second) && second.summary && second.verification.passed) {
    return {
      status: 'regenerated',
      summary: second.summary,
      verification: second.verification,
      drafts: [first.verification, second.verification],
      calls,
      modelId: second.modelId,
      downgradedCalls,
      skippedSteps,
    };
  }
  const factsOnly = composeBrief(input, 'facts_only');
  return {
    status: 'facts_only',
    summary: factsOnly,
    verification: check(factsOnly),
    drafts: 'skipped' in second ? [first.verification] : [first.verification, second.verification],
    calls,
    modelId: 'facts-only',
    downgradedCalls,
    skippedSteps,
  };
}
