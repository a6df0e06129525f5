/**
 * PII detection and redaction (docs/DESIGN.md §6): social security numbers (also spaced out or
 * spelled in words), card numbers (Luhn-checked), bank and brokerage account numbers, ABA routing
 * numbers (checksum), email addresses (also written "john dot doe at example dot com"), phone
 * numbers, passport numbers, dates of birth and street addresses. It runs on the normalised
 * question before anything is logged, cached, stored or sent to a model, so only the redacted text
 * ever leaves the handler.
 *
 * It errs towards redacting: a question about a stock never needs a nine-digit identifier or a phone
 * number, while a missed SSN in a log is an incident. Figures as questions write them ("$1,234.5
 * million", "12.5%", "FY2026", "Q3") are never touched.
 *
 * Pure: no I/O.
 */

export const PII_KINDS = [
  'ssn',
  'card_number',
  'account_number',
  'routing_number',
  'email',
  'phone',
  'passport',
  'date_of_birth',
  'address',
] as const;
export type PiiKind = (typeof PII_KINDS)[number];

/** What replaces each kind. Lower-case and digit-free, so no ticker or figure check ever reads it. */
export const REDACTION_TOKENS: Record<PiiKind, string> = {
  ssn: '[redacted-ssn]',
  card_number: '[redacted-card]',
  account_number: '[redacted-account]',
  routing_number: '[redacted-routing]',
  email: '[redacted-email]',
  phone: '[redacted-phone]',
  passport: '[redacted-passport]',
  date_of_birth: '[redacted-dob]',
  address: '[redacted-address]',
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

/** The ABA checksum every US bank routing number satisfies: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10). */
export function abaValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits) || /^0{9}$/.test(digits)) return false;
  const d = [...digits].map(Number);
  return (3 * (d[0]! + d[3]! + d[6]!) + 7 * (d[1]! + d[4]! + d[7]!) + (d[2]! + d[5]! + d[8]!)) % 10 === 0;
}

// A digit run must not be glued to a neighbouring word, digit, decimal point or thousands group:
// "$1,234,567,890" and "1.5" are figures, not identifiers.
const START = String.raw`(?<![\p{L}\p{N}.,$/])`;
const END = String.raw`(?![\p{L}\p{N}]|[.,]\d)`;

const EMAIL = /[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}/gu;
const SSN_FORMATTED = new RegExp(`${START}\\d{3}([- ])\\d{2}\\1\\d{4}${END}`, 'gu');
/** Nine digits spaced out one by one ("1 2 3 4 5 6 7 8 9", "1-2-3-…"): nobody writes a figure so. */
const DIGITS_SPACED = new RegExp(`${START}\\d(?:[\\s.-]\\d){6,15}${END}`, 'gu');
const ROUTING_BARE = new RegExp(`${START}\\d{9}${END}`, 'gu');
const DIGIT_WORD = String.raw`(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)`;
/** Seven or more digits spelled as words ("one two three four five six seven eight nine"). */
const SPELLED_DIGITS = new RegExp(String.raw`\b${DIGIT_WORD}(?:[\s,-]+${DIGIT_WORD}){6,18}\b`, 'giu');
const TLD = String.raw`(?:com|org|net|edu|gov|mil|io|co|us|uk|ca|de|fr|info|biz|me|ai)`;
const DOT = String.raw`\s*(?:[([{]\s*)?(?:dot|\.)(?:\s*[)\]}])?\s*`;
const AT = String.raw`\s*(?:[([{]\s*)?(?:at|@)(?:\s*[)\]}])?\s*`;
/** An address written out to dodge filters: "john dot doe at example dot com", "jane (at) mail [dot] co". */
const EMAIL_SPOKEN = new RegExp(
  String.raw`\b(?!(?:is|was|are|be|been|look|looking|stake|it|that|this|what|who|and|or|not|stock|shares|price|priced|trading|trades)\b)[\p{L}\p{N}_%+-]+(?:${DOT}[\p{L}\p{N}_%+-]+)*${AT}[\p{L}\p{N}-]+(?:${DOT}[\p{L}\p{N}-]+)*${DOT}${TLD}\b`,
  'giu',
);
const PASSPORT_CONTEXT = /\bpassport(?:\s*(?:number|num|no\.?|nr|#|id))?[\s:#=-]*(?:is\s+)?/giu;
const PASSPORT_NUMBER = /^[A-Z0-9]{6,9}\b/iu;
const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;
const DATE = String.raw`(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|${MONTH}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH}\.?,?\s+\d{4})`;
/** A date after words that make it a birth date ("DOB 03/14/1959", "born on March 14, 1959"). */
const DATE_OF_BIRTH = new RegExp(
  String.raw`\b(?:date of birth|birth ?date|birthday|d\.?o\.?b\.?|born(?: on| in)?)\b[\s:#=-]*(?:is\s+|was\s+)?${DATE}`,
  'giu',
);
const STREET = String.raw`(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|circle|cir|parkway|pkwy|highway|hwy|square|sq)`;
/** "221 Baker Street", "4 Elm Ave., Apt 3B": a house number, one to three words, a street type. */
const STREET_ADDRESS = new RegExp(
  String.raw`${START}\d{1,6}[A-Za-z]?\s+(?:[\p{L}'-]+\s+){1,3}${STREET}\b\.?(?:,?\s*(?:apt|apartment|suite|ste|unit|#)\.?\s*[\w-]+)?`,
  'giu',
);
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
function replaceAfterContext(
  text: string,
  context: RegExp,
  identifier: RegExp,
  kind: PiiKind,
  counter: Counter,
  minimumDigits = 5,
): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(context)) {
    const after = m.index! + m[0].length;
    if (after < last) continue;
    const id = identifier.exec(text.slice(after));
    // Passport numbers may be mostly letters; the others need their digits.
    if (
      !id ||
      (kind === 'passport' ? id[0].length < minimumDigits || !/\d/.test(id[0]) : (id[0].match(/\d/g) ?? []).length < minimumDigits)
    )
      continue;
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
  out = replaceAll(out, EMAIL_SPOKEN, 'email', counter);
  out = replaceAll(out, DATE_OF_BIRTH, 'date_of_birth', counter);
  out = replaceAll(out, STREET_ADDRESS, 'address', counter);
  out = replaceAfterContext(out, PASSPORT_CONTEXT, PASSPORT_NUMBER, 'passport', counter, 6);
  // Spelled and spaced digits: nine are an SSN's length, ten a phone number's, others an account's.
  out = out.replace(SPELLED_DIGITS, (match) => {
    const n = match.split(/[\s,-]+/).length;
    const kind: PiiKind = n === 9 ? 'ssn' : n === 10 ? 'phone' : 'account_number';
    counter.set(kind, (counter.get(kind) ?? 0) + 1);
    return REDACTION_TOKENS[kind];
  });
  out = replaceAll(out, SSN_FORMATTED, 'ssn', counter);
  out = out.replace(DIGITS_SPACED, (match) => {
    const digits = match.replace(/\D/g, '');
    // "1.5" or "3-4" are figures and ranges; a run of single spaced digits is an identifier.
    if (digits.length < 7) return match;
    const kind: PiiKind = digits.length === 9 ? 'ssn' : digits.length === 10 ? 'phone' : 'account_number';
    counter.set(kind, (counter.get(kind) ?? 0) + 1);
    return REDACTION_TOKENS[kind];
  });
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
  out = replaceAll(out, ROUTING_BARE, 'routing_number', counter, abaValid);
  const redactions = PII_KINDS.filter((kind) => counter.has(kind)).map((kind) => ({ kind, count: counter.get(kind)! }));
  return { text: out, redactions };
}

/** True when the text still contains something `redactPii` would redact. */
export function containsPii(text: string): boolean {
  return redactPii(text).redactions.length > 0;
}
