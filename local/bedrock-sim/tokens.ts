/**
 * Token counts for the Bedrock simulator. No Claude or Titan tokenizer ships with the AWS SDK and
 * Anthropic's is not public for these models, so the simulator counts pieces the way a byte-pair
 * tokenizer splits English and JSON: a common word is one token (its leading space merges into it),
 * long words split every ~6 letters, digits go in groups of three, and punctuation merges in pairs
 * (`":"`, `},`). On the writer's prompts this lands near 3.5 characters a token, close to what
 * Claude reports for English mixed with JSON; a chars/4 estimate undercounts JSON.
 */

const PIECES = /[A-Za-z]+|\d+|[ \t]+|\n+|[^\sA-Za-z\d]+/g;

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Tokens in `text` under the simulator's tokenizer model (deterministic, pure). */
export function countTokens(text: string): number {
  let tokens = 0;
  for (const match of text.matchAll(PIECES)) {
    const piece = match[0];
    const code = piece.charCodeAt(0);
    if (isLetter(code)) tokens += piece.length <= 8 ? 1 : Math.ceil(piece.length / 6);
    else if (isDigit(code)) tokens += Math.ceil(piece.length / 3);
    else if (code === 10) tokens += 1;
    else if (code === 32 || code === 9) tokens += piece.length > 1 ? Math.ceil(piece.length / 4) : 0;
    else tokens += Math.ceil(piece.length / 2);
  }
  return tokens;
}

/**
 * The first `tokens` tokens of `text` (what a model emits before it hits `maxTokens`): the cut is
 * made by character share, which is exact enough for a truncated reply.
 */
export function truncateToTokens(text: string, tokens: number): string {
  const total = countTokens(text);
  if (total <= tokens) return text;
  return text.slice(0, Math.max(0, Math.floor((text.length * tokens) / total)));
}
