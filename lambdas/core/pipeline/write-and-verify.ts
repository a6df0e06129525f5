/**
 * Write the three summaries, fact-check them, regenerate once with the findings, and fall back to
 * a facts-only summary built from the snapshot if the second draft still fails (DESIGN §5.5–5.6).
 */
import type { LlmPort, LlmTask, ModelCallRecord } from '../../adapters/ports';
import type { FactSnapshot, SummaryDraft, VerificationResult, VerificationStatus } from '../model';
import type { PriceTable } from '../cost/price-table';
import { costOfUsage } from '../cost/price-table';
import type { BriefInput } from '../summary/brief-input';
import { composeBrief } from '../summary/compose-brief';
import { parseDraft, renderWriterPrompt, WRITER_SYSTEM_PROMPT } from '../summary/writer-prompt';
import { verifySummary } from '../verify/verify-summary';

export interface ModelChoice {
  modelId: string;
  maxTokens: number;
  temperature?: number;
  timeoutMs?: number;
}

export interface WriteDeps {
  llm: LlmPort;
  chooseModel: (task: LlmTask) => ModelChoice;
  prices: PriceTable;
}

export interface WriteResult {
  status: Exclude<VerificationStatus, 'failed'>;
  summary: SummaryDraft;
  verification: VerificationResult;
  /** Verification of each model draft, in order (the last one may have been replaced by facts-only). */
  drafts: VerificationResult[];
  calls: ModelCallRecord[];
  modelId: string;
}

async function draft(
  task: 'write_summary' | 'regenerate_summary',
  prompt: string,
  snapshot: FactSnapshot,
  deps: WriteDeps,
  calls: ModelCallRecord[],
): Promise<{ summary?: SummaryDraft; verification: VerificationResult; modelId: string }> {
  const choice = deps.chooseModel(task);
  const response = await deps.llm.converse({ task, system: WRITER_SYSTEM_PROMPT, prompt, ...choice });
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
  return { summary: parsed.draft, verification: verifySummary(parsed.draft, snapshot), modelId: response.modelId };
}

export async function writeAndVerify(snapshot: FactSnapshot, input: BriefInput, deps: WriteDeps): Promise<WriteResult> {
  const calls: ModelCallRecord[] = [];
  const first = await draft('write_summary', renderWriterPrompt(input), snapshot, deps, calls);
  if (first.summary && first.verification.passed) {
    return { status: 'verified', summary: first.summary, verification: first.verification, drafts: [first.verification], calls, modelId: first.modelId };
  }
  const second = await draft('regenerate_summary', renderWriterPrompt(input, first.verification.findings), snapshot, deps, calls);
  if (second.summary && second.verification.passed) {
    return {
      status: 'regenerated',
      summary: second.summary,
      verification: second.verification,
      drafts: [first.verification, second.verification],
      calls,
      modelId: second.modelId,
    };
  }
  const factsOnly = composeBrief(input, 'facts_only');
  return {
    status: 'facts_only',
    summary: factsOnly,
    verification: verifySummary(factsOnly, snapshot),
    drafts: [first.verification, second.verification],
    calls,
    modelId: 'facts-only',
  };
}
