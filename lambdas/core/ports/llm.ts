/** The model port: one Converse-shaped call. Bedrock, the simulator and the local model implement it. */
import type { TokenUsage } from '../model';

export type LlmTask = 'write_summary' | 'regenerate_summary' | 'extract_claims' | 'classify' | 'guardrail' | 'answer';

export interface LlmRequest {
  task: LlmTask;
  modelId: string;
  /** Static instructions first, so Bedrock prompt caching can reuse them (a cache point follows). */
  system: string;
  /** The per-call content (facts, sources, findings). */
  prompt: string;
  maxTokens: number;
  temperature?: number;
  /** Hard deadline for the call, in milliseconds. */
  timeoutMs?: number;
}

export interface LlmResponse {
  text: string;
  modelId: string;
  usage: TokenUsage;
  /** True when token counts are estimates (the local provider), not the provider's own figures. */
  estimated: boolean;
  latencyMs: number;
  stopReason: string;
}

export interface LlmPort {
  converse(request: LlmRequest): Promise<LlmResponse>;
}
