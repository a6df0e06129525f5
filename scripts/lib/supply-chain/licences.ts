/**
 * The licence allow-list over the production closure. The licence of each package is what its
 * installed package.json says (`license`, or the legacy `licenses` array, which meant a choice),
 * falling back to the lock file's copy when the package is not installed here. Pure.
 */
import type { Finding } from './lock-file';
import type { SupplyChainPolicy } from './policy';
import { allowedSet, parseSpdx, satisfiedBy, SpdxParseError } from './spdx';

/** A production package and the licence it declares. */
export interface DeclaredLicence {
  readonly name: string;
  readonly version: string;
  /** The SPDX expression as declared; undefined when the package declares none. */
  readonly licence: string | undefined;
}

/** The SPDX expression a package.json declares: `license` (string or `{type}`) or `licenses: [{type}]`. */
export function declaredLicence(manifest: unknown): string | undefined {
  if (!manifest || typeof manifest !== 'object') return undefined;
  const { license, licenses } = manifest as { license?: unknown; licenses?: unknown };
  const typeOf = (value: unknown): string | undefined =>
    typeof value === 'string'
      ? value
      : value && typeof value === 'object' && 'type' in value && typeof value.type === 'string'
        ? value.type
        : undefined;
  const single = typeOf(license);
  if (single) return single.trim();
  if (Array.isArray(licenses)) {
    const types = licenses.map(typeOf).filter((type): type is string => Boolean(type));
    if (types.length > 0) return types.length === 1 ? types[0] : `(${types.join(' OR ')})`;
  }
  return undefined;
}

export interface LicenceReport {
  /** How many packages declare each licence expression. */
  readonly counts: Readonly<Record<string, number>>;
  readonly findings: readonly Finding[];
}

/** Judge every production package's licence against the policy. */
export function checkLicences(packages: readonly DeclaredLicence[], policy: SupplyChainPolicy['licences']): LicenceReport {
  const allowed = allowedSet(policy.allowed);
  const counts: Record<string, number> = {};
  const findings: Finding[] = [];
  for (const pkg of packages) {
    const subject = `${pkg.name}@${pkg.version}`;
    const exception = policy.exceptions.find((candidate) => candidate.package === pkg.name);
    const licence = exception?.licence ?? pkg.licence;
    counts[licence ?? '(none)'] = (counts[licence ?? '(none)'] ?? 0) + 1;
    if (licence === undefined) {
      findings.push({ check: 'licence', subject, problem: 'declares no licence' });
      continue;
    }
    try {
      if (!satisfiedBy(parseSpdx(licence), allowed)) {
        findings.push({ check: 'licence', subject, problem: `is licensed ${licence}, which the allow-list does not admit` });
      }
    } catch (error) {
      if (!(error instanceof SpdxParseError)) throw error;
      findings.push({
        check: 'licence',
        subject,
        problem: `declares "${licence}", not an SPDX expression; review it and add an exception`,
      });
    }
  }
  return { counts, findings };
}
