/**
 * Decoded readings of user text, so an instruction cannot pass the checks by being encoded: base64
 * runs, URL percent-escapes, HTML character references and the look-alike letters the skeleton
 * already folds (text.ts). The checks run on the text and on every form this returns; a form is
 * kept only when it decodes to mostly readable text, so a ticker or an ordinary word is never
 * "decoded" into noise that trips a rule.
 *
 * Pure: no I/O.
 */

/** Runs of base64 long enough to hide a phrase (16 characters ≈ 12 bytes). */
const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
const PERCENT = /%[0-9a-fA-F]{2}/;
const HTML_REFERENCE = /&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/;

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  sol: '/',
  colon: ':',
  lpar: '(',
  rpar: ')',
};

function readable(text: string): boolean {
  if (text.length === 0) return false;
  const printable = (text.match(/[\p{L}\p{N}\p{P}\p{Zs}]/gu) ?? []).length;
  return printable / [...text].length >= 0.9 && /\p{L}{3,}/u.test(text);
}

function fromBase64(run: string): string | undefined {
  const standard = run.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  const padded = standard.padEnd(standard.length + ((4 - (standard.length % 4)) % 4), '=');
  try {
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    const decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return readable(decoded) ? decoded : undefined;
  } catch {
    return undefined;
  }
}

/** Every base64 run replaced by what it decodes to (runs that do not decode to text are left). */
export function decodeBase64Runs(text: string): string | undefined {
  let changed = false;
  const out = text.replace(BASE64_RUN, (run) => {
    // A long run of letters only is a word or a ticker list, not an encoding.
    if (!/[0-9+/=_-]/.test(run) && !/[a-z][A-Z]|[A-Z]{2}[a-z]/.test(run)) return run;
    const decoded = fromBase64(run);
    if (decoded === undefined) return run;
    changed = true;
    return ` ${decoded} `;
  });
  return changed ? out : undefined;
}

export function decodePercent(text: string): string | undefined {
  if (!PERCENT.test(text)) return undefined;
  const out = text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
  return out === text ? undefined : out.replace(/\+/g, ' ');
}

export function decodeHtmlReferences(text: string): string | undefined {
  if (!HTML_REFERENCE.test(text)) return undefined;
  const out = text.replace(/&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g, (whole, ref: string) => {
    if (ref.startsWith('#x') || ref.startsWith('#X')) return safeCodePoint(Number.parseInt(ref.slice(2), 16)) ?? whole;
    if (ref.startsWith('#')) return safeCodePoint(Number.parseInt(ref.slice(1), 10)) ?? whole;
    return NAMED[ref.toLowerCase()] ?? whole;
  });
  return out === text ? undefined : out;
}

function safeCodePoint(code: number): string | undefined {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
    ? String.fromCodePoint(code)
    : undefined;
}

/**
 * The text's decoded forms (not the text itself), up to two layers deep (base64 inside a URL
 * escape, an entity inside base64), without repeats.
 */
export function decodedForms(text: string): string[] {
  const forms: string[] = [];
  let frontier = [text];
  for (let depth = 0; depth < 2 && frontier.length > 0; depth += 1) {
    const next: string[] = [];
    for (const form of frontier) {
      for (const decode of [decodeBase64Runs, decodePercent, decodeHtmlReferences]) {
        const decoded = decode(form);
        if (decoded !== undefined && decoded !== text && !forms.includes(decoded)) {
          forms.push(decoded);
          next.push(decoded);
        }
      }
    }
    frontier = next;
  }
  return forms;
}
