/**
 * Wiring for the composition root: an EDGAR filings source whose requests all go through one rate
 * limiter, process-wide by default or fleet-wide when a Redis client is given.
 */
import type { FilingsSource } from '../../../core/ports';
import { EdgarClient } from './edgar-client';
import type { EdgarRetryEvent } from './edgar-client';
import { EdgarFilingsSource } from './edgar-filings-source';
import { RedisWindowRateLimiter, TokenBucketRateLimiter } from './rate-limiter';
import type { RateLimiter, RateLimitRedis } from './rate-limiter';

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
  baseUrl?: string;
  /** Redis limiter fell back to the in-process limit: log a warning and count a metric. */
  onLimiterDegraded?: (detail: string) => void;
  /** Before each retry: count a metric. */
  onRetry?: (event: EdgarRetryEvent) => void;
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
  const client = new EdgarClient({
    userAgent: options.userAgent,
    rateLimiter,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  });
  return new EdgarFilingsSource(client);
}
