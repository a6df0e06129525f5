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
import { decodedForms } from './decode';
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

/** A tag (or what opens one): `<` followed by a letter, `/`, `!` or `?`. A lone `<` ("P/E < 20") stays. */
const MARKUP_TAG = /<[a-zA-Z/!?][^<>]{0,500}>/g;
const MARKUP_OPENING = /<(?=[a-zA-Z/!?])/g;

/**
 * The question without HTML: tags removed and any `<` that could still open one replaced, so what
 * is stored and echoed back can never be rendered as markup by a client that forgets to escape it.
 */
export function stripMarkup(text: string): string {
  return text.replace(MARKUP_TAG, ' ').replace(MARKUP_OPENING, '‹').replace(/\s+/g, ' ').trim();
}

/** The first finding of `check` on the text or on any of its decoded forms (base64, URL, HTML entities). */
function onAnyForm<T>(text: string, check: (form: string) => T | undefined): T | undefined {
  const found = check(text);
  if (found !== undefined) return found;
  for (const form of decodedForms(text)) {
    const decoded = check(normaliseInput(form));
    if (decoded !== undefined) return decoded;
  }
  return undefined;
}

/** Normalise, redact and check one question. */
export function checkInput(raw: string): InputCheck {
  const { text: redacted, redactions } = redactPii(normaliseInput(raw));
  // Checks read the markup (an imitated <system> block is an injection); only what is kept loses it.
  const question = stripMarkup(redacted);
  const injection = onAnyForm(redacted, detectInjection);
  if (injection) return { question, redactions, block: { code: 'prompt_injection', message: INJECTION_MESSAGE, rule: injection.ruleId } };
  const compliance = onAnyForm(redacted, checkCompliance);
  if (compliance) {
    return {
      question,
      redactions,
      block: { code: compliance.code satisfies ComplianceCode, message: complianceMessage(compliance.code), rule: compliance.ruleId },
    };
  }
  return { question, redactions };
}
