import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { luhnValid, redactPii } from '../../../lambdas/core/guardrails/pii';
import { normaliseInput } from '../../../lambdas/core/guardrails/text';

/** A Luhn-valid card number of `length` digits starting with `prefix`. */
function luhnComplete(partial: string): string {
  for (let check = 0; check <= 9; check += 1) if (luhnValid(`${partial}${check}`)) return `${partial}${check}`;
  throw new Error('unreachable');
}

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const cardArb = fc
  .tuple(fc.constantFrom('4', '51', '37', '6011'), fc.integer({ min: 13, max: 19 }))
  .chain(([prefix, length]) => digits(length - prefix.length - 1).map((body) => luhnComplete(prefix + body)))
  .chain((card) => fc.constantFrom(card, card.replace(/(\d{4})(?=\d)/g, '$1 '), card.replace(/(\d{4})(?=\d)/g, '$1-')));
const ssnArb = fc.tuple(digits(3), digits(2), digits(4), fc.constantFrom('-', ' ')).map(([a, b, c, sep]) => `${a}${sep}${b}${sep}${c}`);
const emailArb = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9._]{0,12}[a-z0-9]$/),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/),
    fc.constantFrom('com', 'org', 'co.uk', 'io'),
  )
  .map(([user, domain, tld]) => `${user}@${domain}.${tld}`);
const phoneArb = fc
  .tuple(digits(3), digits(3), digits(4))
  .chain(([a, b, c]) => fc.constantFrom(`(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `${a}.${b}.${c}`, `+1 ${a} ${b} ${c}`, `1-${a}-${b}-${c}`));
const accountArb = fc
  .tuple(fc.constantFrom('account', 'acct', 'account number', 'brokerage account #', 'IRA', 'routing number'), digits(8))
  .map(([label, number]) => ({ text: `${label} ${number}`, secret: number }));

const finance = fc.constantFrom(
  'What drove KQRV revenue of $1,234.5 million in the third quarter of fiscal 2026',
  'Is the 12.5% margin in FY2026 sustainable versus 11.9% in FY2025',
  'Compare HJLN and KQRV price targets of $55.00 and $61.25 as of November 24, 2026',
  'Net income fell to $92.4 million on 2026-09-30',
);

describe('PII redaction', () => {
  it('redacts every SSN, card, email, phone and account number wherever it appears in a question', () => {
    const secret = fc.oneof(
      ssnArb.map((s) => ({ text: `my SSN is ${s}`, secret: s.replace(/\D/g, '') })),
      cardArb.map((c) => ({ text: `card ${c}`, secret: c.replace(/\D/g, '') })),
      emailArb.map((e) => ({ text: `email me at ${e}`, secret: e })),
      phoneArb.map((p) => ({ text: `call ${p}`, secret: p.replace(/\D/g, '').slice(-10) })),
      accountArb,
    );
    fc.assert(
      fc.property(finance, secret, fc.boolean(), (question, pii, before) => {
        const text = before ? `${pii.text}. ${question}?` : `${question}? ${pii.text}.`;
        const { text: redacted, redactions } = redactPii(normaliseInput(text));
        expect(redactions.length).toBeGreaterThan(0);
        // The question survives whole; what is left besides it carries no digit and no address.
        expect(redacted).toContain(question);
        const rest = redacted.replace(question, '');
        expect(rest).not.toMatch(/\d/);
        expect(rest).not.toContain('@');
      }),
      { numRuns: 1500 },
    );
  });

  it('leaves the figures, dates and periods of a finance question untouched', () => {
    fc.assert(
      fc.property(finance, (question) => {
        expect(redactPii(question)).toEqual({ text: question, redactions: [] });
      }),
    );
    for (const text of [
      'Revenue was $1,234,567,890 in fiscal 2025',
      'EPS of $3.45 versus 3.12 in Q3',
      'Shares outstanding 1234567890 shares',
      'the 10-K filed 2026-02-20',
    ]) {
      expect(redactPii(text).text).toBe(text);
    }
  });

  it('is idempotent: redacting a redacted question changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const once = redactPii(normaliseInput(text)).text;
        expect(redactPii(once).text).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('catches numbers written in full-width or other Unicode digits once normalised', () => {
    const { text, redactions } = redactPii(normaliseInput('SSN １２３-４５-６７８９ and card ٤١١١ ١١١١ ١١١١ ١١١١'));
    expect(redactions.map((r) => r.kind).sort()).toEqual(['card_number', 'ssn']);
    expect(text).not.toMatch(/\d{4}/);
  });

  it('reports each kind with its count and replaces it with a digit-free token', () => {
    const result = redactPii('Reach jane.doe@example.com or john@example.org, SSN 123-45-6789, phone (555) 123-4567');
    expect(result.redactions).toEqual([
      { kind: 'ssn', count: 1 },
      { kind: 'email', count: 2 },
      { kind: 'phone', count: 1 },
    ]);
    expect(result.text).toBe('Reach [redacted-email] or [redacted-email], SSN [redacted-ssn], phone [redacted-phone]');
  });

  it('checks card numbers with the Luhn sum', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('12a4')).toBe(false);
  });
});
