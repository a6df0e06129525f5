/**
 * The answer-cache key (docs/DESIGN.md §6: identical questions about unchanged data): the normalised
 * question, the tickers, the version of each stock's brief (its source hash and prompt version), the
 * answer prompt version and variant, the depth, and — for follow-ups that carry conversation
 * history into the prompt — a digest of that history. Any change to the data, the prompt or the
 * experiment variant makes a new key, so the cache never needs invalidating. Pure.
 */
import { createHash } from 'node:crypto';
import type { AnswerDepth } from '../model';
import type { HistoryTurn } from './context';

export interface AnswerCacheKeyParts {
  question: string;
  tickers: readonly string[];
  /** Per ticker: what identifies the brief's data (source hash, brief prompt version). */
  briefVersions: ReadonlyArray<{ ticker: string; sourceHash: string; promptVersion: string }>;
  promptVersion: string;
  promptVariant: string;
  depth: AnswerDepth;
  history: readonly HistoryTurn[];
  /**
   * The FA asking. Only a follow-up's key holds it: an answer that carries an FA's own conversation
   * is a personal entry, which no other FA may hit (a hit would tell them what was asked before).
   */
  owner?: string;
}

/**
 * The question as the cache compares it: lower case, curly quotes straightened, punctuation other
 * than what changes meaning dropped, whitespace collapsed. "What drove KQRV's last quarter?" and
 * "what drove kqrv’s last quarter" are the same question.
 */
export function normaliseQuestionForCache(question: string): string {
  return question
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[^\p{L}\p{N}$%.,'/\- ]+/gu, ' ')
    .replace(/[.,]+(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** sha256 hex of the canonical key parts. */
export function answerCacheKey(parts: AnswerCacheKeyParts): string {
  const canonical = JSON.stringify({
    q: normaliseQuestionForCache(parts.question),
    t: [...parts.tickers].sort(),
    b: [...parts.briefVersions].sort((a, b) => a.ticker.localeCompare(b.ticker)).map((v) => [v.ticker, v.sourceHash, v.promptVersion]),
    p: parts.promptVersion,
    v: parts.promptVariant,
    d: parts.depth,
    h: parts.history.length > 0 ? createHash('sha256').update(JSON.stringify(parts.history)).digest('hex') : null,
    ...(parts.history.length > 0 && parts.owner !== undefined ? { o: parts.owner } : {}),
  });
  return createHash('sha256').update(canonical).digest('hex');
}
