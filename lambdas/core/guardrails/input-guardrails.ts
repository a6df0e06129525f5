/**
 * Input guardrails (docs/DESIGN.md §6), run on every question before any model call, any log line and any
 * storage: normalise → redact PII → prompt injection → compliance. PII is redacted, not blocked (the
 * rest of the question is usually fine); injection and compliance block with a reason code. Scope
 * is decided later, once tickers are resolved (scope.ts), still before any model call.
 *
 * Pure: no I/O.
 */
import { checkCompliance, complianceMessage } from './compliance';
import type { ComplianceCode } from './compliance';
import { detectInjection } from './injection';
import { redactPii } from './pii';
import type { PiiRedaction } from './pii';
import { normaliseInput } from './text';

/** Every reason a question can be refused at the input, as the API reports it. */
export const INPUT_BLOCK_CODES = [
  'prompt_injection',
  'out_of_scope',
  'no_covered_ticker',
  'unknown_ticker',
  'compliance_guaranteed_returns',
  'compliance_insider_information',
  'compliance_personalised_advice',
] as const;
export type InputBlockCode = (typeof INPUT_BLOCK_CODES)[number];

export interface GuardrailBlock {
  code: InputBlockCode;
  message: string;
  /** Which rule fired (a stable id, never the matched text). */
  rule?: string;
}

export interface InputCheck {
  /** The question as it may be logged, stored and sent to a model: normalised and redacted. */
  question: string;
  redactions: PiiRedaction[];
  block?: GuardrailBlock;
}

const INJECTION_MESSAGE =
  'The question looks like an attempt to change how the assistant works (instructions, roles, hidden prompts or markup). Ask the question about the stock on its own.';

/** Normalise, redact and check one question. */
export function checkInput(raw: string): InputCheck {
  const { text: question, redactions } = redactPii(normaliseInput(raw));
  const injection = detectInjection(question);
  if (injection) return { question, redactions, block: { code: 'prompt_injection', message: INJECTION_MESSAGE, rule: injection.ruleId } };
  const compliance = checkCompliance(question);
  if (compliance) {
    return {
      question,
      redactions,
      block: { code: compliance.code satisfies ComplianceCode, message: complianceMessage(compliance.code), rule: compliance.ruleId },
    };
  }
  return { question, redactions };
}
