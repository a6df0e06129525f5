/**
 * `npm audit --json` judged against the policy: every advisory at a failing severity (high and
 * critical) fails unless an unexpired acceptance names it. Only advisories count (npm lists the
 * packages that merely depend on a vulnerable one as well, with `via` naming it by string). Pure.
 */
import { z } from 'zod';
import type { Finding } from './lock-file';
import type { SupplyChainPolicy } from './policy';
import { isAccepted } from './policy';

const Severity = z.enum(['info', 'low', 'moderate', 'high', 'critical']);

const AdvisorySchema = z.looseObject({
  source: z.union([z.number(), z.string()]).optional(),
  name: z.string(),
  title: z.string().default(''),
  url: z.string().default(''),
  severity: Severity,
  range: z.string().optional(),
});

/** npm audit's report (auditReportVersion 2, npm 7 and later). */
export const AuditReportSchema = z.looseObject({
  auditReportVersion: z.literal(2),
  vulnerabilities: z.record(
    z.string(),
    z.looseObject({ name: z.string(), severity: Severity, via: z.array(z.union([z.string(), AdvisorySchema])) }),
  ),
});
export type AuditReport = z.infer<typeof AuditReportSchema>;

export interface AuditAdvisory {
  readonly id: string;
  readonly package: string;
  readonly severity: z.infer<typeof Severity>;
  readonly title: string;
  readonly accepted: boolean;
}

export interface AuditJudgement {
  readonly advisories: readonly AuditAdvisory[];
  readonly findings: readonly Finding[];
}

/** The advisory id: the GHSA id at the end of its URL, else npm's numeric source. */
function advisoryId(advisory: z.infer<typeof AdvisorySchema>): string {
  const ghsa = /GHSA(-[a-z0-9]{4}){3}/i.exec(advisory.url);
  return ghsa ? ghsa[0] : String(advisory.source ?? advisory.url);
}

export function judgeAudit(report: AuditReport, policy: SupplyChainPolicy['audit'], today: string): AuditJudgement {
  const byId = new Map<string, AuditAdvisory>();
  for (const vulnerability of Object.values(report.vulnerabilities)) {
    for (const via of vulnerability.via) {
      if (typeof via === 'string') continue;
      const id = advisoryId(via);
      const key = `${id} ${via.name}`;
      if (byId.has(key)) continue;
      byId.set(key, {
        id,
        package: via.name,
        severity: via.severity,
        title: via.title,
        accepted: isAccepted(policy.allow, id, via.name, today),
      });
    }
  }
  const failOn = new Set<string>(policy.failOn);
  const advisories = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  const findings = advisories
    .filter((advisory) => failOn.has(advisory.severity) && !advisory.accepted)
    .map((advisory): Finding => ({
      check: 'audit',
      subject: advisory.package,
      problem: `has the ${advisory.severity} advisory ${advisory.id} (${advisory.title}); upgrade, or accept it in config/supply-chain.yaml with a reason and an expiry`,
    }));
  return { advisories, findings };
}

/** Why npm's output is not an audit report (the endpoint refused or failed), in one line. */
export function auditUnavailableReason(output: unknown): string {
  if (output && typeof output === 'object') {
    const { message, statusCode } = output as { message?: unknown; statusCode?: unknown };
    if (typeof message === 'string') return `${statusCode ? `HTTP ${String(statusCode)}: ` : ''}${message.split('\n')[0]}`;
  }
  return 'npm audit printed no audit report';
}
