/**
 * `npm run ops -- alarms`: the alarms in ALARM and the runbook each names. In AWS from CloudWatch
 * (DescribeAlarms, every alarm of the stage is `fa-<stage>-…`); locally the batch alarms' rules
 * (lib/alarm-thresholds.ts) applied to the newest local run audits, since there is no CloudWatch.
 */
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { BATCH_ALARM_THRESHOLDS } from '../../../lib/alarm-thresholds';
import { resourcePrefix } from '../../../lib/config';
import type { RunAudit } from '../../../lambdas/core/model/index';

export interface FiringAlarm {
  readonly name: string;
  readonly state: string;
  readonly reason: string;
  readonly since?: string;
  /** `runbooks/<file>` from the alarm's description (every alarm names one, lib/runbooks.ts). */
  readonly runbook?: string;
}

export interface AlarmReport {
  readonly alarms: readonly FiringAlarm[];
  readonly source: 'cloudwatch' | 'local-runs';
}

export function runbookOf(description: string | undefined): string | undefined {
  return /Runbook: (runbooks\/[\w.-]+\.md)/.exec(description ?? '')?.[1];
}

export async function awsAlarms(client: CloudWatchClient, stage: string): Promise<AlarmReport> {
  const alarms: FiringAlarm[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 20; page += 1) {
    const response = await client.send(
      new DescribeAlarmsCommand({
        AlarmNamePrefix: `${resourcePrefix(stage)}-`,
        StateValue: 'ALARM',
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        MaxRecords: 100,
        NextToken: nextToken,
      }),
    );
    for (const alarm of [...(response.MetricAlarms ?? []), ...(response.CompositeAlarms ?? [])]) {
      const runbook = runbookOf(alarm.AlarmDescription);
      alarms.push({
        name: alarm.AlarmName ?? 'unnamed',
        state: alarm.StateValue ?? 'ALARM',
        reason: alarm.StateReason ?? '',
        ...(alarm.StateUpdatedTimestamp ? { since: alarm.StateUpdatedTimestamp.toISOString() } : {}),
        ...(runbook ? { runbook } : {}),
      });
    }
    nextToken = response.NextToken;
    if (!nextToken) break;
  }
  return { alarms, source: 'cloudwatch' };
}

/** The batch alarms as the newest finalised run and any interrupted run would have fired them. */
export function localAlarms(audits: readonly RunAudit[]): AlarmReport {
  const alarms: FiringAlarm[] = [];
  const t = BATCH_ALARM_THRESHOLDS;
  for (const audit of audits.filter((run) => run.status === 'interrupted')) {
    alarms.push({
      name: 'BatchExecutionFailed',
      state: 'ALARM',
      reason: `run ${audit.runId} was interrupted before it finished; redrive it with npm run ops -- redrive ${audit.runId} --local`,
      ...(audit.finishedAt ? { since: audit.finishedAt } : {}),
      runbook: 'runbooks/batch-execution-failed.md',
    });
  }
  const latest = [...audits]
    .filter((run) => run.status === 'succeeded' && run.totals)
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  const totals = latest?.totals;
  if (latest && totals) {
    const since = latest.finishedAt ? { since: latest.finishedAt } : {};
    const failedPercent = totals.stocks > 0 ? (100 * totals.failed) / totals.stocks : 0;
    if (failedPercent > t.maxStockFailurePercent) {
      alarms.push({
        name: 'StockFailureRate',
        state: 'ALARM',
        reason: `${totals.failed} of ${totals.stocks} stocks (${failedPercent.toFixed(1)} %) failed in run ${latest.runId}, above ${t.maxStockFailurePercent} %`,
        ...since,
        runbook: 'runbooks/stock-failures.md',
      });
    }
    const passPercent = totals.verification.passRate * 100;
    if (passPercent < t.minFactCheckPassPercent) {
      alarms.push({
        name: 'VerificationPassRateLow',
        state: 'ALARM',
        reason: `FactCheckPassRate ${passPercent.toFixed(1)} % in run ${latest.runId}, below ${t.minFactCheckPassPercent} %`,
        ...since,
        runbook: 'runbooks/verification-quality.md',
      });
    }
    const hitPercent = totals.embeddingCache.hitRate * 100;
    const chunks = totals.embeddingCache.hits + totals.embeddingCache.misses;
    if (chunks > 0 && hitPercent < t.minEmbeddingCacheHitPercent) {
      alarms.push({
        name: 'EmbeddingCacheHitRateLow',
        state: 'ALARM',
        reason: `embedding-cache hit rate ${hitPercent.toFixed(1)} % in run ${latest.runId}, below ${t.minEmbeddingCacheHitPercent} % (expected on a first run)`,
        ...since,
        runbook: 'runbooks/embedding-cache.md',
      });
    }
  }
  return { alarms, source: 'local-runs' };
}

export function describeAlarms(report: AlarmReport): string {
  if (report.alarms.length === 0) return `no alarm in ALARM (${report.source})`;
  return [
    `${report.alarms.length} alarm${report.alarms.length > 1 ? 's' : ''} in ALARM (${report.source}):`,
    ...report.alarms.map((a) => `  ${a.name}: ${a.reason}${a.runbook ? `\n    runbook: ${a.runbook}` : ''}`),
  ].join('\n');
}
