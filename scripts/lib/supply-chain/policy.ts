/**
 * The supply-chain policy (config/supply-chain.yaml): the registry, the licences production
 * dependencies may carry, and the audit advisories accepted for a while, each with a reason and an
 * expiry date. Parsed with zod; an expired or open-ended acceptance fails the check, so nothing is
 * accepted forever by forgetting it.
 */
import { z } from 'zod';
import type { Finding } from './lock-file';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');
const Reason = z.string().trim().min(20, 'must say why in at least a sentence');

/** The longest an advisory may be accepted for, counted from the day of the check. */
export const MAX_ACCEPTANCE_DAYS = 366;

export const AuditAllowanceSchema = z
  .object({
    /** The advisory: its GHSA id (the last segment of the advisory URL npm audit reports). */
    id: z.string().regex(/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/, 'must be a GitHub advisory id such as GHSA-xxxx-xxxx-xxxx'),
    package: z.string().min(1),
    reason: Reason,
    expires: IsoDate,
  })
  .strict();
export type AuditAllowance = z.infer<typeof AuditAllowanceSchema>;

export const LicenceExceptionSchema = z
  .object({
    /** A production package whose licence field is missing or not SPDX, reviewed by hand. */
    package: z.string().min(1),
    /** The SPDX licence the package's licence text was found to be. */
    licence: z.string().min(1),
    reason: Reason,
  })
  .strict();

export const SupplyChainPolicySchema = z
  .object({
    registry: z.url().refine((url) => url.startsWith('https://'), 'must be an https:// registry'),
    licences: z
      .object({
        /** SPDX ids production dependencies may use. */
        allowed: z.array(z.string().min(1)).min(1),
        exceptions: z.array(LicenceExceptionSchema).default([]),
      })
      .strict(),
    audit: z
      .object({
        /** Severities that fail the check unless accepted below. */
        failOn: z.array(z.enum(['low', 'moderate', 'high', 'critical'])).min(1),
        allow: z.array(AuditAllowanceSchema).default([]),
      })
      .strict(),
  })
  .strict();
export type SupplyChainPolicy = z.infer<typeof SupplyChainPolicySchema>;

const DAY_MS = 24 * 3600 * 1000;

/** Acceptances past their expiry date (the check fails on them), or set too far ahead. */
export function checkAllowances(allow: readonly AuditAllowance[], today: string): Finding[] {
  const findings: Finding[] = [];
  const todayMs = Date.parse(`${today}T00:00:00Z`);
  for (const entry of allow) {
    const expiresMs = Date.parse(`${entry.expires}T00:00:00Z`);
    const subject = `${entry.id} (${entry.package})`;
    if (Number.isNaN(expiresMs))
      findings.push({ check: 'allow-list', subject, problem: `expires on ${entry.expires}, which is not a date` });
    else if (expiresMs < todayMs)
      findings.push({ check: 'allow-list', subject, problem: `expired on ${entry.expires}: fix it, or review and extend the acceptance` });
    else if (expiresMs - todayMs > MAX_ACCEPTANCE_DAYS * DAY_MS) {
      findings.push({ check: 'allow-list', subject, problem: `expires on ${entry.expires}, more than ${MAX_ACCEPTANCE_DAYS} days ahead` });
    }
  }
  return findings;
}

/** Whether an acceptance covers the advisory on `today` (expired ones never do). */
export function isAccepted(allow: readonly AuditAllowance[], id: string, packageName: string, today: string): boolean {
  return allow.some((entry) => entry.id.toLowerCase() === id.toLowerCase() && entry.package === packageName && entry.expires >= today);
}
