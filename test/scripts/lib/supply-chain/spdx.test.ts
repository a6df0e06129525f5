import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowedSet, parseSpdx, satisfiedBy, SpdxParseError } from '../../../../scripts/lib/supply-chain/spdx';

const ALLOWED = allowedSet(['MIT', 'Apache-2.0', 'BSL-1.0', 'Classpath-exception-2.0']);
const ok = (expression: string) => satisfiedBy(parseSpdx(expression), ALLOWED);

describe('SPDX expressions against an allow-list', () => {
  it('admits a single allowed licence and refuses a copyleft one', () => {
    expect(ok('MIT')).toBe(true);
    expect(ok('GPL-3.0-only')).toBe(false);
  });

  it('takes the allowed side of an OR and needs both sides of an AND', () => {
    expect(ok('(MIT OR GPL-3.0-or-later)')).toBe(true);
    expect(ok('Apache-2.0 AND BSL-1.0')).toBe(true);
    expect(ok('Apache-2.0 AND GPL-2.0-only')).toBe(false);
  });

  it('binds AND tighter than OR, as the specification says', () => {
    // GPL-2.0-only OR (MIT AND LGPL-2.1-only): neither side is allowed.
    expect(ok('GPL-2.0-only OR MIT AND LGPL-2.1-only')).toBe(false);
    expect(ok('(GPL-2.0-only OR MIT) AND Apache-2.0')).toBe(true);
  });

  it('needs both the licence and the exception of a WITH to be allowed', () => {
    expect(ok('Apache-2.0 WITH Classpath-exception-2.0')).toBe(true);
    expect(ok('GPL-2.0-only WITH Classpath-exception-2.0')).toBe(false);
  });

  it('compares ids case-insensitively and accepts lower-case operators', () => {
    expect(ok('mit or gpl-3.0')).toBe(true);
  });

  it.each(['', 'MIT OR', '(MIT', 'MIT)', 'SEE LICENSE IN LICENSE.md', 'MIT WITH', 'AND MIT'])(
    'refuses "%s" as not an expression, with a one-line reason',
    (text) => {
      expect(() => parseSpdx(text)).toThrowError(SpdxParseError);
      try {
        parseSpdx(text);
      } catch (error) {
        expect((error as Error).message.split('\n')).toHaveLength(1);
      }
    },
  );

  it('judges any printed expression tree exactly as evaluating the tree does', () => {
    type Tree = { id: string } | { op: 'AND' | 'OR'; left: Tree; right: Tree };
    const ids = fc.constantFrom('MIT', 'Apache-2.0', 'GPL-3.0-only', 'AGPL-3.0-only', 'BSL-1.0', 'SSPL-1.0');
    const { tree } = fc.letrec<{ tree: Tree }>((recurse) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        ids.map((id) => ({ id })),
        fc.record({ op: fc.constantFrom('AND' as const, 'OR' as const), left: recurse('tree'), right: recurse('tree') }),
      ),
    }));
    const print = (t: Tree): string => ('id' in t ? t.id : `(${print(t.left)} ${t.op} ${print(t.right)})`);
    const evaluate = (t: Tree): boolean =>
      'id' in t
        ? ALLOWED.has(t.id.toLowerCase())
        : t.op === 'AND'
          ? evaluate(t.left) && evaluate(t.right)
          : evaluate(t.left) || evaluate(t.right);
    fc.assert(fc.property(tree, (t) => ok(print(t)) === evaluate(t)));
  });
});
