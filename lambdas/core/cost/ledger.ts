/**
 * Turning a unit's model calls, embeddings and infrastructure into cost-ledger entries (docs/DESIGN.md §7).
 * Entries are grouped by agent, model and task, so the ledger keeps one atomic counter per run and
 * agent/model/task however many calls a unit made. Pure.
 */
import type { CostLedgerEntry, ModelCallRecord, TokenUsage } from '../model';
import type { LlmTask } from '../ports';
import type { InfrastructureLine, InfrastructureService } from './infrastructure';
import { SERVICE_UNITS } from './infrastructure';

/** The agent behind each task: the component a reader of the cost report recognises. */
export const AGENT_OF_TASK: Record<LlmTask, string> = {
  write_summary: 'writer',
  regenerate_summary: 'writer',
  extract_claims: 'verifier',
  classify: 'router',
  guardrail: 'guardrails',
  answer: 'answerer',
};

export const EMBEDDER_AGENT = 'embedder';
export const INFRASTRUCTURE_AGENT = 'infrastructure';

function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadInputTokens: a.cacheReadInputTokens + b.cacheReadInputTokens,
    cacheWriteInputTokens: a.cacheWriteInputTokens + b.cacheWriteInputTokens,
  };
}

const NO_TOKENS: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };

/**
 * Ledger entries for model calls, one per agent/model/task. `downgradedCalls` are indexes into
 * `calls` of the calls the budget moved to a cheaper model.
 */
export function modelCallEntries(calls: readonly ModelCallRecord[], downgradedCalls: ReadonlySet<number> = new Set()): CostLedgerEntry[] {
  const grouped = new Map<string, CostLedgerEntry>();
  calls.forEach((call, index) => {
    const agent = AGENT_OF_TASK[call.task];
    const key = `${agent}\u0000${call.modelId}\u0000${call.task}`;
    const entry = grouped.get(key) ?? {
      agent,
      task: call.task,
      modelId: call.modelId,
      calls: 0,
      usage: NO_TOKENS,
      costUsd: 0,
      estimated: false,
      downgrades: 0,
    };
    grouped.set(key, {
      ...entry,
      calls: entry.calls + 1,
      usage: addUsage(entry.usage, call.usage),
      costUsd: entry.costUsd + call.costUsd,
      estimated: entry.estimated || call.estimated,
      downgrades: entry.downgrades + (downgradedCalls.has(index) ? 1 : 0),
    });
  });
  return [...grouped.values()];
}

/** The ledger entry of a unit's embedding calls (none when nothing was embedded). */
export function embeddingEntries(
  modelId: string,
  inputTokens: number,
  texts: number,
  costUsd: number,
  estimated: boolean,
): CostLedgerEntry[] {
  if (texts <= 0 && inputTokens <= 0) return [];
  return [
    {
      agent: EMBEDDER_AGENT,
      task: 'embed',
      modelId,
      calls: texts,
      usage: { ...NO_TOKENS, inputTokens },
      costUsd,
      estimated,
      downgrades: 0,
    },
  ];
}

/**
 * Infrastructure as ledger entries: one per AWS service, with the units it bills in as `task`.
 * Always marked estimated: they rest on stated assumptions.
 */
export function infrastructureEntries(lines: readonly InfrastructureLine[]): CostLedgerEntry[] {
  const byService = new Map<InfrastructureService, number>();
  for (const l of lines) byService.set(l.service, (byService.get(l.service) ?? 0) + l.usd);
  return [...byService].map(([service, usd]) => ({
    agent: INFRASTRUCTURE_AGENT,
    task: SERVICE_UNITS[service],
    modelId: `aws:${service}`,
    calls: 0,
    usage: NO_TOKENS,
    costUsd: usd,
    estimated: true,
    downgrades: 0,
  }));
}

/** Sum of entries' cost. */
export function entriesUsd(entries: readonly CostLedgerEntry[]): number {
  return entries.reduce((sum, e) => sum + e.costUsd, 0);
}
