/**
 * Text normalisation shared by the guardrails. Two forms:
 *
 * - `normaliseInput`: what we keep, log and send on — NFKC (full-width letters and digits become
 *   ASCII), every decimal digit as ASCII, invisible characters (zero-width, bidi overrides, soft
 *   hyphens) removed, control characters and runs of whitespace collapsed to one space.
 * - `skeleton`: what the pattern checks read — the normalised text lower-cased, with common
 *   Cyrillic and Greek look-alikes folded to Latin and letters spaced out one by one
 *   ("i g n o r e") joined, so a disguised phrase matches the same rule as the plain one.
 *
 * Pure: no I/O.
 */

/** Zero-width and formatting characters that change nothing a reader sees (U+00AD soft hyphen included). */
const INVISIBLE =
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/g;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;
const DIGIT = /\p{Nd}/gu;
const DECIMAL_DIGIT = /^\p{Nd}$/u;

/**
 * The ASCII digit of any Unicode decimal digit. Unicode lays out every decimal digit set as ten
 * consecutive code points starting at zero, so the value is the distance from the first code point
 * of its run (runs of several sets sit back to back, each starting on a multiple of ten from there).
 */
function asciiDigit(char: string): string {
  const code = char.codePointAt(0)!;
  if (code >= 0x30 && code <= 0x39) return char;
  let start = code;
  while (start > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
  return String((code - start) % 10);
}

/** The form of user text we keep: see the module comment. */
export function normaliseInput(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').replace(DIGIT, asciiDigit).replace(CONTROL, ' ').replace(/\s+/gu, ' ').trim();
}

/** Cyrillic and Greek letters that look like Latin ones, as used to slip words past filters. */
const CONFUSABLES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ո: 'n',
  ɡ: 'g',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ς: 's',
  '0': 'o',
  '1': 'l',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};

/**
 * Only inside words made mostly of letters: "1gn0re" reads "ignore", while "$1.5", "401k", "10-K"
 * and "FY2026" keep their digits for the other checks.
 */
function foldLeet(word: string): string {
  const letters = (word.match(/\p{L}/gu) ?? []).length;
  const others = (word.match(/[0-9@$]/g) ?? []).length;
  if (others === 0 || letters < 3 || others >= letters) return word;
  return word.replace(/[0-9@$]/g, (c) => CONFUSABLES[c] ?? c);
}

// Every check of a question reads its skeleton (injection, compliance, scope): compute it once.
const recentSkeletons = new Map<string, string>();
const SKELETON_MEMO = 256;

/** The form pattern checks read: see the module comment. */
export function skeleton(text: string): string {
  const known = recentSkeletons.get(text);
  if (known !== undefined) return known;
  const form = computeSkeleton(text);
  if (recentSkeletons.size >= SKELETON_MEMO) recentSkeletons.delete(recentSkeletons.keys().next().value!);
  recentSkeletons.set(text, form);
  return form;
}

function computeSkeleton(text: string): string {
  const lowered = normaliseInput(text).toLowerCase();
  const folded = [...lowered].map((c) => (/[a-z0-9@$]/.test(c) ? c : (CONFUSABLES[c] ?? c))).join('');
  return (
    folded
      .split(' ')
      .map(foldLeet)
      .join(' ')
      // "i g n o r e" / "i.g.n.o.r.e" → "ignore": four or more single letters in a row.
      .replace(/\b(?:[a-z][\s._\-*]){3,}[a-z]\b/g, (run) => run.replace(/[\s._\-*]/g, ''))
  );
}

/** Words of a text (letters, digits, apostrophes inside words), lower-cased. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
}
