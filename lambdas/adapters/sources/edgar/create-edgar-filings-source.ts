/**
 * Wiring for the composition root: an EDGAR filings source whose requests all go through one rate
 * limiter, process-wide by default or fleet-wide when a Redis client is given, with an optional
 * response cache so a re-run downloads only what changed.
 */
import type { FilingsSource } from '../../../core/ports';
import { EdgarClient } from './edgar-client';
import type { EdgarRetryEvent } from './edgar-client';
import { EdgarFilingsSource } from './edgar-filings-source';
import type { FilingTextSkip } from './edgar-filings-source';
import { RedisWindowRateLimiter, TokenBucketRateLimiter } from './rate-limiter';
import type { RateLimiter, RateLimitRedis } from './rate-limiter';
import { FileResponseCache } from './response-cache';
import type { EdgarResponseCache } from './response-cache';

let processLimiter: RateLimiter | undefined;

/** The one in-process bucket (10 requests/s) that every EDGAR client in this process shares. */
export function processRateLimiter(): RateLimiter {
  processLimiter ??= new TokenBucketRateLimiter();
  return processLimiter;
}

export interface EdgarFilingsSourceOptions {
  /** `EDGAR_USER_AGENT`, e.g. "Acme Advisors admin@acme.com". Missing or undeclared: ConfigError. */
  userAgent: string | undefined;
  /** A fail-fast Redis client shared by the fleet (ElastiCache); without it the limit is per process. */
  redis?: RateLimitRedis;
  /**
   * One base URL for both EDGAR hosts (data.sec.gov and www.sec.gov), e.g. `npm run edgar-replay`'s
   * `http://127.0.0.1:P`. Default: the real hosts.
   */
  baseUrl?: string;
  /** Responses by URL with their validators (ETag / Last-Modified). Wins over `responseCacheDir`. */
  responseCache?: EdgarResponseCache;
  /** A folder for a file-backed response cache kept between runs, e.g. `<FA_DATA_DIR>/edgar-cache`. */
  responseCacheDir?: string;
  /** Redis limiter fell back to the in-process limit: log a warning and count a metric. */
  onLimiterDegraded?: (detail: string) => void;
  /** Before each retry: count a metric. */
  onRetry?: (event: EdgarRetryEvent) => void;
  /** The response cache failed and the request went on without it: log a warning. */
  onCacheError?: (detail: string) => void;
  /** A filing's document could not be fetched or read, so it has no text: log a warning, count a metric. */
  onFilingTextSkipped?: (skip: FilingTextSkip) => void;
}

function responseCacheOf(options: EdgarFilingsSourceOptions): EdgarResponseCache | undefined {
  if (options.responseCache) return options.responseCache;
  return options.responseCacheDir ? new FileResponseCache(options.responseCacheDir) : undefined;
}

/** @throws ConfigError without a declared User-Agent. */
export function createEdgarFilingsSource(options: EdgarFilingsSourceOptions): FilingsSource {
  const rateLimiter = options.redis
    ? new RedisWindowRateLimiter({
        redis: options.redis,
        fallback: processRateLimiter(),
        ...(options.onLimiterDegraded ? { onDegraded: options.onLimiterDegraded } : {}),
      })
    : processRateLimiter();
  const responseCache = responseCacheOf(options);
  const client = new EdgarClient({
    userAgent: options.userAgent,
    rateLimiter,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(responseCache ? { responseCache } : {}),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    ...(options.onCacheError ? { onCacheError: options.onCacheError } : {}),
  });
  return new EdgarFilingsSource(client, options.onFilingTextSkipped ? { onFilingTextSkipped: options.onFilingTextSkipped } : {});
}
