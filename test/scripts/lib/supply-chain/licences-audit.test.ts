import { describe, expect, it } from 'vitest';
import { auditUnavailableReason, AuditReportSchema, judgeAudit } from '../../../../scripts/lib/supply-chain/audit';
import { checkLicences, declaredLicence } from '../../../../scripts/lib/supply-chain/licences';
import { checkAllowances, SupplyChainPolicySchema } from '../../../../scripts/lib/supply-chain/policy';
import type { AuditAllowance } from '../../../../scripts/lib/supply-chain/policy';

const LICENCES = { allowed: ['MIT', 'Apache-2.0', 'ISC'], exceptions: [] };
const TODAY = '2026-12-05';

describe('the licence allow-list', () => {
  it('passes permissive licences, an OR with one allowed side, and counts each expression', () => {
    const report = checkLicences(
      [
        { name: 'a', version: '1.0.0', licence: 'MIT' },
        { name: 'b', version: '1.0.0', licence: 'MIT' },
        { name: 'c', version: '1.0.0', licence: '(MIT OR GPL-3.0-or-later)' },
      ],
      LICENCES,
    );
    expect(report.findings).toEqual([]);
    expect(report.counts).toEqual({ MIT: 2, '(MIT OR GPL-3.0-or-later)': 1 });
  });

  it('fails a GPL production dependency, one without a licence and one that is not SPDX', () => {
    const report = checkLicences(
      [
        { name: 'copyleft', version: '2.0.0', licence: 'GPL-3.0-only' },
        { name: 'silent', version: '1.0.0', licence: undefined },
        { name: 'prose', version: '1.0.0', licence: 'SEE LICENSE IN LICENSE.txt' },
      ],
      LICENCES,
    );
    expect(report.findings.map((f) => `${f.subject} ${f.problem}`)).toEqual([
      'copyleft@2.0.0 is licensed GPL-3.0-only, which the allow-list does not admit',
      'silent@1.0.0 declares no licence',
      expect.stringMatching(/^prose@1.0.0 declares "SEE LICENSE IN LICENSE.txt", not an SPDX expression/),
    ]);
  });

  it('uses a reviewed exception instead of what the package declares', () => {
    const report = checkLicences([{ name: 'prose', version: '1.0.0', licence: 'SEE LICENSE IN LICENSE.txt' }], {
      ...LICENCES,
      exceptions: [{ package: 'prose', licence: 'MIT', reason: 'LICENSE.txt is the MIT licence text, reviewed 2026-12-01.' }],
    });
    expect(report.findings).toEqual([]);
  });

  it('reads the license field, its object form and the legacy licenses array', () => {
    expect(declaredLicence({ license: 'ISC' })).toBe('ISC');
    expect(declaredLicence({ license: { type: 'MIT' } })).toBe('MIT');
    expect(declaredLicence({ licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] })).toBe('(MIT OR Apache-2.0)');
    expect(declaredLicence({ name: 'x' })).toBeUndefined();
  });
});

const report = (severity: string, url = 'https://github.com/advisories/GHSA-2222-3333-4444') =>
  AuditReportSchema.parse({
    auditReportVersion: 2,
    vulnerabilities: {
      vulnerable: {
        name: 'vulnerable',
        severity,
        via: [{ source: 1, name: 'vulnerable', title: 'Prototype pollution', url, severity, range: '<1.2.3' }],
      },
      dependent: { name: 'dependent', severity, via: ['vulnerable'] },
    },
    metadata: {},
  });

const allowance = (expires: string): AuditAllowance => ({
  id: 'GHSA-2222-3333-4444',
  package: 'vulnerable',
  reason: 'Reachable only from the build, never from a deployed function.',
  expires,
});

describe('the npm audit judgement', () => {
  const policy = (allow: AuditAllowance[] = []) =>
    ({ failOn: ['high', 'critical'] as const, allow }) as { failOn: ('high' | 'critical')[]; allow: AuditAllowance[] };

  it('fails on a high or critical advisory, once per advisory (not per dependent)', () => {
    for (const severity of ['high', 'critical']) {
      const judged = judgeAudit(report(severity), policy(), TODAY);
      expect(judged.advisories).toHaveLength(1);
      expect(judged.findings.map((f) => f.problem)[0]).toMatch(new RegExp(`^has the ${severity} advisory GHSA-2222-3333-4444`));
    }
  });

  it('passes a moderate advisory, and a high one accepted until a future date', () => {
    expect(judgeAudit(report('moderate'), policy(), TODAY).findings).toEqual([]);
    const accepted = judgeAudit(report('high'), policy([allowance('2027-01-31')]), TODAY);
    expect(accepted.findings).toEqual([]);
    expect(accepted.advisories[0]?.accepted).toBe(true);
  });

  it('fails a high advisory whose acceptance has expired, and the expired entry itself', () => {
    const expired = [allowance('2026-11-30')];
    expect(judgeAudit(report('high'), policy(expired), TODAY).findings).toHaveLength(1);
    expect(checkAllowances(expired, TODAY).map((f) => f.problem)).toEqual([
      'expired on 2026-11-30: fix it, or review and extend the acceptance',
    ]);
  });

  it('refuses an acceptance more than a year ahead', () => {
    expect(checkAllowances([allowance('2028-06-01')], TODAY)[0]?.problem).toMatch(/more than 366 days ahead/);
    expect(checkAllowances([allowance(TODAY)], TODAY)).toEqual([]);
  });

  it('says in one line why a refusal from the endpoint is not a report', () => {
    expect(AuditReportSchema.safeParse({ message: '405 Method Not Allowed', statusCode: 405 }).success).toBe(false);
    expect(auditUnavailableReason({ message: '405 Method Not Allowed - POST …/advisories/bulk\nmore', statusCode: 405 })).toBe(
      'HTTP 405: 405 Method Not Allowed - POST …/advisories/bulk',
    );
  });
});

describe('the policy file', () => {
  it('refuses an acceptance without a reason or with a malformed id', () => {
    const base = { registry: 'https://registry.npmjs.org/', licences: LICENCES, audit: { failOn: ['high'], allow: [] as unknown[] } };
    expect(SupplyChainPolicySchema.safeParse(base).success).toBe(true);
    const noReason = { ...base, audit: { failOn: ['high'], allow: [{ ...allowance('2027-01-01'), reason: 'ok' }] } };
    expect(SupplyChainPolicySchema.safeParse(noReason).success).toBe(false);
    const badId = { ...base, audit: { failOn: ['high'], allow: [{ ...allowance('2027-01-01'), id: 'CVE-2026-1' }] } };
    expect(SupplyChainPolicySchema.safeParse(badId).success).toBe(false);
    expect(SupplyChainPolicySchema.safeParse({ ...base, registry: 'http://registry.npmjs.org/' }).success).toBe(false);
  });
});
