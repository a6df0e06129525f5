/**
 * The sources the batch reads and the universe the query path resolves tickers from, chosen per
 * source kind by FA_SOURCES (demo, CSV universe, EDGAR, vendor feeds). Every choice is made here,
 * so the batch and the query path of one process always see the same universe.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { Sources } from '../core/ports';
import { ConfigError } from '../core/errors';
import { SOURCE_METRICS } from '../core/contracts/metrics';
import { createDemoSources } from '../adapters/sources/demo';
import type { DemoSources } from '../adapters/sources/demo';
import { createEdgarFilingsSource } from '../adapters/sources/edgar/create-edgar-filings-source';
import type { EdgarFilingsSourceOptions } from '../adapters/sources/edgar/create-edgar-filings-source';
import { blobReader, s3BlobReader } from '../adapters/sources/blob-reader';
import type { BlobReader } from '../adapters/sources/blob-reader';
import { createCsvUniverseSource } from '../adapters/sources/universe-csv';
import { createFeedSources, unconfiguredFeedSources } from '../adapters/sources/feeds/feed-sources';
import type { FeedSources } from '../adapters/sources/feeds/feed-sources';
import type { MalformedLine } from '../adapters/sources/feeds/feed-deliveries';
import { join } from 'node:path';
import type { RuntimeConfig } from './config';
import { logger, metrics, MetricUnit, traced } from './telemetry';
import { withVendorOutage } from '../adapters/faults/source-faults';
import { faultPlanOf } from './faults';

export interface SourceWiringOptions {
  /** Fleet-wide EDGAR rate limit (ElastiCache); without it the limit is per process. */
  edgarRedis?: NonNullable<EdgarFilingsSourceOptions['redis']>;
}

function required(value: string | undefined, variable: string): string {
  if (!value) throw new ConfigError(`${variable} is not set, and FA_SOURCES needs it`);
  return value;
}

/** Files locally, S3 for `s3://` locations; the S3 client is made on first use only. */
function operatorFiles(config: RuntimeConfig): BlobReader {
  let s3: BlobReader | undefined;
  return blobReader(() => (s3 ??= s3BlobReader(traced(new S3Client({ region: config.AWS_REGION })))));
}

function onMalformedFeedLine(line: MalformedLine): void {
  metrics.addMetric(SOURCE_METRICS.feedLinesMalformed, MetricUnit.Count, 1);
  logger.warn(`skipped malformed ${line.kind} feed line ${line.file}:${line.line}: ${line.reason}`, { ...line });
}

function feedSources(config: RuntimeConfig, files: BlobReader): FeedSources {
  if (!config.FA_FEEDS) return unconfiguredFeedSources('FA_FEEDS is not set');
  return createFeedSources({
    blobs: files,
    root: config.FA_FEEDS,
    maxAgeDays: { fundamentals: config.FA_FEED_MAX_AGE_DAYS, research: config.FA_FEED_MAX_AGE_DAYS, news: config.FA_FEED_MAX_AGE_DAYS },
    onMalformed: onMalformedFeedLine,
  });
}

function edgarFilings(config: RuntimeConfig, options: SourceWiringOptions): Sources['filings'] {
  return createEdgarFilingsSource({
    userAgent: config.EDGAR_USER_AGENT,
    ...(config.FA_EDGAR_URL ? { baseUrl: config.FA_EDGAR_URL } : {}),
    ...(options.edgarRedis ? { redis: options.edgarRedis } : {}),
    responseCacheDir:
      config.FA_EDGAR_CACHE_DIR ?? (process.env.AWS_EXECUTION_ENV ? '/tmp/edgar-cache' : join(config.FA_DATA_DIR, 'edgar-cache')),
    onFilingTextSkipped: (skipped) => {
      metrics.addMetric(SOURCE_METRICS.edgarFilingTextSkipped, MetricUnit.Count, 1);
      logger.warn('EDGAR filing text skipped; the filing keeps its XBRL facts', { ...skipped });
    },
    onRetry: () => metrics.addMetric(SOURCE_METRICS.edgarRetries, MetricUnit.Count, 1),
    onLimiterDegraded: (detail) => {
      metrics.addMetric(SOURCE_METRICS.edgarLimiterDegraded, MetricUnit.Count, 1);
      logger.warn('EDGAR rate limiter fell back to the per-process limit', { detail });
    },
  });
}

export function createSources(config: RuntimeConfig, options: SourceWiringOptions = {}): Sources {
  const choice = config.FA_SOURCES;
  // Built only when a kind uses it: the demo universe costs a second of start-up.
  let demo: DemoSources | undefined;
  const demoSources = () => (demo ??= createDemoSources({ seed: config.FA_DEMO_SEED }));
  const files = operatorFiles(config);
  let feeds: FeedSources | undefined;
  const vendorFeeds = () => (feeds ??= feedSources(config, files));
  const sources: Sources = {
    universe:
      choice.universe === 'csv'
        ? createCsvUniverseSource({ blobs: files, location: required(config.FA_UNIVERSE, 'FA_UNIVERSE') })
        : demoSources().universe,
    filings: choice.filings === 'edgar' ? edgarFilings(config, options) : demoSources().filings,
    fundamentals: choice.fundamentals === 'feed' ? vendorFeeds().fundamentals : demoSources().fundamentals,
    research: choice.research === 'feed' ? vendorFeeds().research : demoSources().research,
    news: choice.news === 'feed' ? vendorFeeds().news : demoSources().news,
  };
  const faults = faultPlanOf(config);
  return faults ? withVendorOutage(sources, faults) : sources;
}
