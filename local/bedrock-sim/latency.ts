/**
 * How long a simulated call takes, in simulated ms: time to first token (drawn from the model's
 * distribution), then the uncached input at the model's prompt-processing speed, then the output
 * at its drawn speed. Used by the simulator and by the capacity model (`npm run bench:capacity`),
 * so both mean the same thing by "realistic latency".
 */
import type { ModelProfile } from './config';
import { sample } from './random';
import type { Random } from './random';

export interface CallTiming {
  /** Until the first token (prompt processed): when a cache write becomes readable. */
  firstTokenMs: number;
  totalMs: number;
}

export function callTiming(
  profile: ModelProfile,
  tokens: { uncachedInputTokens: number; outputTokens: number },
  random: Random,
): CallTiming {
  const firstTokenMs = sample(profile.firstTokenMs, random) + (tokens.uncachedInputTokens / profile.prefillTokensPerSecond) * 1000;
  if (profile.kind === 'titan-embed' || tokens.outputTokens === 0) return { firstTokenMs, totalMs: firstTokenMs };
  const tokensPerSecond = Math.max(1, sample(profile.outputTokensPerSecond, random));
  return { firstTokenMs, totalMs: firstTokenMs + (tokens.outputTokens / tokensPerSecond) * 1000 };
}
