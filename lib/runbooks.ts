/**
 * Every alarm names the runbook an operator opens when it fires (docs/DESIGN.md §7). The files live in
 * runbooks/; a test checks that each one named here exists and that every alarm names one.
 */
export const RUNBOOKS = [
  'batch-missed-deadline.md',
  'batch-execution-failed.md',
  'stock-failures.md',
  'schedule-dead-letter.md',
  'cost-overrun.md',
  'verification-quality.md',
  'embedding-cache.md',
  'lambda-errors.md',
  'api-errors.md',
  'query-latency.md',
  'query-quality.md',
  'bedrock-throttling.md',
  'dynamodb-throttling.md',
  'deployment-rollback.md',
  'ab-guardrail.md',
] as const;
export type Runbook = (typeof RUNBOOKS)[number];

/** An alarm description: what happened, then `Runbook: runbooks/<file>`. */
export function runbookDescription(summary: string, runbook: string): string {
  if (!(RUNBOOKS as readonly string[]).includes(runbook)) {
    throw new Error(`runbook "${runbook}" is not one of runbooks/: ${RUNBOOKS.join(', ')}.`);
  }
  return `${summary.trim()} Runbook: runbooks/${runbook}`;
}
