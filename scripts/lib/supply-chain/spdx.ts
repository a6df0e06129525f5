/**
 * SPDX licence expressions (`MIT`, `(MIT OR GPL-3.0-or-later)`, `Apache-2.0 AND BSL-1.0`,
 * `GPL-2.0-only WITH Classpath-exception-2.0`), parsed and judged against an allow-list. Pure: no
 * I/O. A package is acceptable when the expression can be satisfied with allowed licences only: an
 * `OR` needs one allowed side (we may choose it), an `AND` needs both, and `WITH` an exception
 * counts as the licence it modifies together with that exception (both must be allowed by name).
 */

/** The parsed form of an SPDX expression. */
export type SpdxExpression =
  | { readonly kind: 'licence'; readonly id: string }
  | { readonly kind: 'with'; readonly licence: string; readonly exception: string }
  | { readonly kind: 'and' | 'or'; readonly left: SpdxExpression; readonly right: SpdxExpression };

export class SpdxParseError extends Error {
  override readonly name = 'SpdxParseError';
}

const TOKEN = /\s*(\(|\)|[A-Za-z0-9.+:-]+)/y;

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let position = 0;
  while (position < expression.length) {
    if (/^\s*$/.test(expression.slice(position))) break;
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(expression);
    if (!match) throw new SpdxParseError(`"${expression}" is not an SPDX expression (unexpected "${expression.slice(position).trim()}")`);
    tokens.push(match[1]!);
    position = TOKEN.lastIndex;
  }
  if (tokens.length === 0) throw new SpdxParseError('an empty licence is not an SPDX expression');
  return tokens;
}

/**
 * Parse an SPDX expression. Operators are case-insensitive (`or` is seen in the wild); `AND` binds
 * tighter than `OR`, as the SPDX specification says.
 * @throws SpdxParseError with a one-line reason when the text is not an expression.
 */
export function parseSpdx(expression: string): SpdxExpression {
  const tokens = tokenize(expression);
  let index = 0;
  const peek = (): string | undefined => tokens[index];
  const isOperator = (token: string | undefined, operator: string): boolean => token?.toUpperCase() === operator;
  const fail = (what: string): never => {
    throw new SpdxParseError(`"${expression}" is not an SPDX expression (${what})`);
  };

  const parseOr = (): SpdxExpression => {
    let left = parseAnd();
    while (isOperator(peek(), 'OR')) {
      index += 1;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): SpdxExpression => {
    let left = parseTerm();
    while (isOperator(peek(), 'AND')) {
      index += 1;
      left = { kind: 'and', left, right: parseTerm() };
    }
    return left;
  };
  const parseTerm = (): SpdxExpression => {
    const token = peek();
    if (token === undefined) return fail('it ends where a licence was expected');
    if (token === '(') {
      index += 1;
      const inner = parseOr();
      if (peek() !== ')') fail('a "(" is not closed');
      index += 1;
      return inner;
    }
    if (token === ')' || ['AND', 'OR', 'WITH'].includes(token.toUpperCase())) return fail(`"${token}" where a licence was expected`);
    index += 1;
    if (isOperator(peek(), 'WITH')) {
      index += 1;
      const exception = peek();
      if (exception === undefined || exception === '(' || exception === ')') return fail('WITH is not followed by an exception');
      index += 1;
      return { kind: 'with', licence: token, exception };
    }
    return { kind: 'licence', id: token };
  };

  const parsed = parseOr();
  if (index !== tokens.length) fail(`"${tokens[index]}" after a complete expression`);
  return parsed;
}

/**
 * Whether the expression can be met with allowed licences only. Ids compare case-insensitively
 * (SPDX ids are case-insensitive); a trailing `+` ("or later") is its own id and must be listed.
 */
export function satisfiedBy(expression: SpdxExpression, allowed: ReadonlySet<string>): boolean {
  const ok = (id: string): boolean => allowed.has(id.toLowerCase());
  switch (expression.kind) {
    case 'licence':
      return ok(expression.id);
    case 'with':
      return ok(expression.licence) && ok(expression.exception);
    case 'and':
      return satisfiedBy(expression.left, allowed) && satisfiedBy(expression.right, allowed);
    case 'or':
      return satisfiedBy(expression.left, allowed) || satisfiedBy(expression.right, allowed);
  }
}

/** The allow-list as satisfiedBy wants it (lower-cased ids). */
export function allowedSet(ids: readonly string[]): ReadonlySet<string> {
  return new Set(ids.map((id) => id.toLowerCase()));
}
