/**
 * `npm run ops -- metrics NAME`: one metric of the FAAdvisorAI namespace per period, read back from
 * CloudWatch (GetMetricData) in AWS, or from the EMF lines the embedded runtime appends to the data
 * dir (`metrics.emf.jsonl`, lambdas/wiring/telemetry.ts) locally: the same documents CloudWatch
 * would have turned into the same series.
 */
import { existsSync, readFileSync } from 'node:fs';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { z } from 'zod';
import {
  BATCH_METRICS,
  DEADLINE_METRIC,
  METRICS_NAMESPACE,
  QUERY_METRICS,
  SERVICE_NAMES,
  SOURCE_METRICS,
  STOCK_METRICS,
} from '../../../lambdas/core/contracts/metrics';
import { OpsError } from './errors';

export const STATISTICS = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'] as const;
/** A statistic as CloudWatch names it: one of STATISTICS or a percentile such as p95. */
export const StatisticSchema = z.union([
  z.enum(STATISTICS),
  z.string().regex(/^p(\d{1,2}(\.\d+)?|100)$/, 'must be Average, Sum, Minimum, Maximum, SampleCount or a percentile such as p95'),
]);

export interface MetricQuery {
  readonly name: string;
  readonly since: Date;
  readonly until: Date;
  /** Seconds; CloudWatch wants a multiple of 60. */
  readonly period: number;
  readonly stat: string;
  /** The `service` dimension; default: the workload that publishes the metric. */
  readonly service?: string;
}

export interface MetricSeries {
  readonly namespace: string;
  readonly metric: string;
  readonly service: string;
  readonly stage: string;
  readonly stat: string;
  readonly period: number;
  readonly since: string;
  readonly until: string;
  /** Oldest first; periods with no data are absent, as in CloudWatch. */
  readonly datapoints: ReadonlyArray<{ readonly timestamp: string; readonly value: number; readonly samples?: number }>;
  readonly source: 'cloudwatch' | 'local-emf';
}

const QUERY_NAMES = new Set<string>(Object.values(QUERY_METRICS));

/** The workload that publishes a metric: the query API's metrics, else the batch's. */
export function defaultService(metric: string): string {
  if (QUERY_NAMES.has(metric) || metric === 'answer_flagged_rate') return SERVICE_NAMES.query;
  if (metric === DEADLINE_METRIC) return SERVICE_NAMES.deployment;
  return SERVICE_NAMES.batch;
}

/** Names an operator is likely to mean, for the "no such metric" hint. */
export const KNOWN_METRICS: readonly string[] = [
  ...Object.values(BATCH_METRICS),
  ...Object.values(STOCK_METRICS),
  ...Object.values(SOURCE_METRICS),
  ...Object.values(QUERY_METRICS),
  DEADLINE_METRIC,
  'ModelThrottled',
  'ModelFallbacks',
];

export async function awsMetric(client: CloudWatchClient, stage: string, query: MetricQuery): Promise<MetricSeries> {
  const service = query.service ?? defaultService(query.name);
  const points = new Map<number, number>();
  let nextToken: string | undefined;
  // Bounded: 100,800 points a page is far more than any --since/--period an operator types.
  for (let page = 0; page < 20; page += 1) {
    const response = await client.send(
      new GetMetricDataCommand({
        StartTime: query.since,
        EndTime: query.until,
        ScanBy: 'TimestampAscending',
        NextToken: nextToken,
        MetricDataQueries: [
          {
            Id: 'm0',
            ReturnData: true,
            MetricStat: {
              Metric: {
                Namespace: METRICS_NAMESPACE,
                MetricName: query.name,
                Dimensions: [
                  { Name: 'service', Value: service },
                  { Name: 'stage', Value: stage },
                ],
              },
              Period: query.period,
              Stat: query.stat,
            },
          },
        ],
      }),
    );
    for (const result of response.MetricDataResults ?? []) {
      (result.Timestamps ?? []).forEach((timestamp, index) => {
        const value = result.Values?.[index];
        if (value !== undefined) points.set(timestamp.getTime(), value);
      });
    }
    nextToken = response.NextToken;
    if (!nextToken) break;
  }
  return {
    namespace: METRICS_NAMESPACE,
    metric: query.name,
    service,
    stage,
    stat: query.stat,
    period: query.period,
    since: query.since.toISOString(),
    until: query.until.toISOString(),
    datapoints: [...points.entries()].sort(([a], [b]) => a - b).map(([t, value]) => ({ timestamp: new Date(t).toISOString(), value })),
    source: 'cloudwatch',
  };
}

/** The part of an EMF document we read (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html). */
const EmfSchema = z
  .object({
    _aws: z.object({
      Timestamp: z.number(),
      CloudWatchMetrics: z.array(z.object({ Namespace: z.string(), Metrics: z.array(z.object({ Name: z.string() })) })),
    }),
  })
  .passthrough();

/** The values of one metric in an EMF file, with their timestamps (ms) and dimensions. */
export function readEmfValues(file: string, metric: string): Array<{ timestamp: number; value: number; service?: string; stage?: string }> {
  if (!existsSync(file)) return [];
  const values: Array<{ timestamp: number; value: number; service?: string; stage?: string }> = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    // Cheap pre-filter: most lines are other metrics.
    if (!line.includes(`"${metric}"`)) continue;
    let document: unknown;
    try {
      document = JSON.parse(line);
    } catch {
      continue; // a line cut short by a killed process
    }
    const parsed = EmfSchema.safeParse(document);
    if (!parsed.success) continue;
    const declared = parsed.data._aws.CloudWatchMetrics.some(
      (directive) => directive.Namespace === METRICS_NAMESPACE && directive.Metrics.some((m) => m.Name === metric),
    );
    if (!declared) continue;
    const raw = (parsed.data as Record<string, unknown>)[metric];
    const service = typeof parsed.data.service === 'string' ? parsed.data.service : undefined;
    const stage = typeof parsed.data.stage === 'string' ? parsed.data.stage : undefined;
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      if (typeof value === 'number' && Number.isFinite(value)) {
        values.push({ timestamp: parsed.data._aws.Timestamp, value, ...(service ? { service } : {}), ...(stage ? { stage } : {}) });
      }
    }
  }
  return values;
}

/** A CloudWatch statistic over one period's samples. */
export function statistic(stat: string, samples: readonly number[]): number {
  if (samples.length === 0) throw new OpsError('no samples');
  switch (stat) {
    case 'Sum':
      return samples.reduce((a, b) => a + b, 0);
    case 'Average':
      return samples.reduce((a, b) => a + b, 0) / samples.length;
    case 'Minimum':
      return Math.min(...samples);
    case 'Maximum':
      return Math.max(...samples);
    case 'SampleCount':
      return samples.length;
    default: {
      // Nearest-rank percentile, as CloudWatch computes pNN over raw values.
      const p = Number(stat.slice(1));
      const sorted = [...samples].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
    }
  }
}

/** The same series from the local EMF file: samples grouped into periods aligned to the epoch, as CloudWatch does. */
export function localMetric(emfFile: string, stage: string, query: MetricQuery): MetricSeries {
  const service = query.service ?? defaultService(query.name);
  const periodMs = query.period * 1000;
  const buckets = new Map<number, number[]>();
  for (const sample of readEmfValues(emfFile, query.name)) {
    if (sample.timestamp < query.since.getTime() || sample.timestamp > query.until.getTime()) continue;
    if (sample.service && sample.service !== service) continue;
    if (sample.stage && sample.stage !== stage) continue;
    const start = Math.floor(sample.timestamp / periodMs) * periodMs;
    const bucket = buckets.get(start) ?? [];
    bucket.push(sample.value);
    buckets.set(start, bucket);
  }
  return {
    namespace: METRICS_NAMESPACE,
    metric: query.name,
    service,
    stage,
    stat: query.stat,
    period: query.period,
    since: query.since.toISOString(),
    until: query.until.toISOString(),
    datapoints: [...buckets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([start, samples]) => ({
        timestamp: new Date(start).toISOString(),
        value: statistic(query.stat, samples),
        samples: samples.length,
      })),
    source: 'local-emf',
  };
}

export function describeSeries(series: MetricSeries): string {
  const head = `${series.namespace}/${series.metric} {service=${series.service}, stage=${series.stage}} ${series.stat} per ${series.period} s, ${series.since} to ${series.until} (${series.source})`;
  if (series.datapoints.length === 0) {
    const hint = KNOWN_METRICS.includes(series.metric) ? '' : `; known metrics include ${KNOWN_METRICS.slice(0, 8).join(', ')}, …`;
    return `${head}\n  no datapoints${hint}`;
  }
  return [
    head,
    ...series.datapoints.map((p) => `  ${p.timestamp}  ${Number(p.value.toFixed(6))}${p.samples ? `  (${p.samples} samples)` : ''}`),
  ].join('\n');
}
