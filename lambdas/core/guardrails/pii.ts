/**
 * PII detection and redaction (docs/DESIGN.md §6): social security numbers, card numbers (Luhn-checked),
 * bank and brokerage account numbers, email addresses and phone numbers. It runs on the normalised
 * question before anything is logged, cached, stored or sent to a model, so only the redacted text
 * ever leaves the handler.
 *
 * It errs towards redacting: a question about a stock never needs a nine-digit identifier or a phone
 * number, while a missed SSN in a log is an incident. Figures as questions write them ("$1,234.5
 * million", "12.5%", "FY2026", "Q3") are never touched.
 *
 * Pure: no I/O.
 */

export const PII_KINDS = ['ssn', 'card_number', 'account_number', 'email', 'phone'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

/** What replaces each kind. Lower-case and digit-free, so no ticker or figure check ever reads it. */
export const REDACTION_TOKENS: Record<PiiKind, string> = {
  ssn: '[redacted-ssn]',
  card_number: '[redacted-card]',
  account_number: '[redacted-account]',
  email: '[redacted-email]',
  phone: '[redacted-phone]',
};

export interface PiiRedaction {
  kind: PiiKind;
  count: number;
}

export interface RedactionResult {
  text: string;
  redactions: PiiRedaction[];
}

/** The Luhn checksum every payment card number satisfies. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// A digit run must not be glued to a neighbouring word, digit, decimal point or thousands group:
// "$1,234,567,890" and "1.5" are figures, not identifiers.
const START = String.raw`(?<![\p{L}\p{N}.,$/])`;
const END = String.raw`(?![\p{L}\p{N}]|[.,]\d)`;

const EMAIL = /[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}/gu;
const SSN_FORMATTED = new RegExp(`${START}\\d{3}([- ])\\d{2}\\1\\d{4}${END}`, 'gu');
const SSN_CONTEXT =
  /\b(?:ssn|ss#|social security(?: number| no\.?)?|tax(?:payer)? id(?:entification)?(?: number)?|tin|itin)\b[\s:#=-]*(?:is\s+|of\s+)?/giu;
const CARD = new RegExp(`${START}\\d(?:[ -]?\\d){12,18}${END}`, 'gu');
const CARD_CONTEXT = /\b(?:card|credit|debit|visa|mastercard|amex|american express|discover|cc)\b/iu;
const ACCOUNT_CONTEXT =
  /\b(?:account|acct|a\/c|acc|routing|aba|iban|brokerage|checking|savings|ira|roth|401k|policy|member)\b(?:\s*(?:number|num|no\.?|nr|#|id))?[\s:#=-]*(?:is\s+|of\s+|ending(?:\s+in)?\s+)?/giu;
/** Optional short letter prefix, then at least five digits (a year such as 2026 is never an account). */
const ACCOUNT_NUMBER = /^(?:[A-Z]{1,4}[\s-]?)?\d(?:[\s-]?\d){4,19}/iu;
const IBAN = /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b/gu;
const PHONE_FORMATTED = new RegExp(
  `${START}(?:\\+?1[\\s.-]?)?(?:\\(\\d{3}\\)\\s?|\\d{3}[\\s.-])\\d{3}[\\s.-]\\d{4}(?:\\s?(?:x|ext\\.?)\\s?\\d{1,6})?${END}`,
  'gu',
);
const PHONE_INTERNATIONAL = new RegExp(`(?<![\\p{L}\\p{N}])\\+\\d{1,3}(?:[\\s.-]?\\(?\\d{1,4}\\)?){2,5}${END}`, 'gu');
const PHONE_CONTEXT = /\b(?:phone|tel|telephone|cell|mobile|call|text|fax|whatsapp)\b[\s:#.=-]*(?:is\s+|at\s+|me\s+at\s+|number\s+)?/giu;
const BARE_DIGITS = /^\+?\d{7,15}/u;
const NINE_DIGITS = /^\d{3}[\s-]?\d{2}[\s-]?\d{4}(?!\d)/u;

type Counter = Map<PiiKind, number>;

function replaceAll(
  text: string,
  pattern: RegExp,
  kind: PiiKind,
  counter: Counter,
  accept: (match: string) => boolean = () => true,
): string {
  return text.replace(pattern, (match) => {
    if (!accept(match)) return match;
    counter.set(kind, (counter.get(kind) ?? 0) + 1);
    return REDACTION_TOKENS[kind];
  });
}

/** Replace the identifier that follows each context phrase (e.g. "account number: 12-3456789"). */
function replaceAfterContext(text: string, context: RegExp, identifier: RegExp, kind: PiiKind, counter: Counter): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(context)) {
    const after = m.index! + m[0].length;
    if (after < last) continue;
    const id = identifier.exec(text.slice(after));
    if (!id || (id[0].match(/\d/g) ?? []).length < 5) continue;
    out += text.slice(last, after) + REDACTION_TOKENS[kind];
    last = after + id[0].trimEnd().length;
    counter.set(kind, (counter.get(kind) ?? 0) + 1);
  }
  return out + text.slice(last);
}

/**
 * Redact every PII finding in `text` (which should already be normalised, see `normaliseInput`).
 * Order matters: emails first (they may hold digits), then the longest and most specific numbers.
 */
export function redactPii(text: string): RedactionResult {
  const counter: Counter = new Map();
  let out = replaceAll(text, EMAIL, 'email', counter);
  out = replaceAll(out, SSN_FORMATTED, 'ssn', counter);
  out = replaceAfterContext(out, SSN_CONTEXT, NINE_DIGITS, 'ssn', counter);
  out = replaceAll(out, CARD, 'card_number', counter, (match) => {
    const digits = match.replace(/\D/g, '');
    return digits.length >= 13 && digits.length <= 19 && (luhnValid(digits) || CARD_CONTEXT.test(text));
  });
  out = replaceAll(out, IBAN, 'account_number', counter, (match) => /\d{6,}/.test(match.replace(/\s/g, '')));
  out = replaceAfterContext(out, ACCOUNT_CONTEXT, ACCOUNT_NUMBER, 'account_number', counter);
  out = replaceAll(out, PHONE_FORMATTED, 'phone', counter);
  out = replaceAll(out, PHONE_INTERNATIONAL, 'phone', counter, (match) => (match.match(/\d/g) ?? []).length >= 8);
  out = replaceAfterContext(out, PHONE_CONTEXT, BARE_DIGITS, 'phone', counter);
  const redactions = PII_KINDS.filter((kind) => counter.has(kind)).map((kind) => ({ kind, count: counter.get(kind)! }));
  return { text: out, redactions };
}

/** True when the text still contains something `redactPii` would redact. */
export function containsPii(text: string): boolean {
  return redactPii(text).redactions.length > 0;
}
