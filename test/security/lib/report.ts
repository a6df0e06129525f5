/**
 * Where the checks leave their counts for `npm run test:security -- --json` (scripts/test-security.ts):
 * one JSON file per section in FA_SECURITY_REPORT_DIR, summed when a section records more than once.
 * Without that variable (a plain vitest run) nothing is written.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECTIONS = ['fuzz', 'authz', 'injection', 'pii', 'isolation'] as const;
export type Section = (typeof SECTIONS)[number];

export function recordCounts(section: Section, counts: Record<string, number>): void {
  const dir = process.env.FA_SECURITY_REPORT_DIR;
  if (!dir) return;
  const file = join(dir, `${section}.json`);
  const previous: Record<string, number> = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>) : {};
  const merged = { ...previous };
  for (const [k, v] of Object.entries(counts)) merged[k] = (merged[k] ?? 0) + v;
  writeFileSync(file, JSON.stringify(merged));
}
