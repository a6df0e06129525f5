/**
 * HTTP client for SEC EDGAR: the JSON APIs on data.sec.gov and the filing documents under
 * www.sec.gov/Archives. It owns the I/O policy SEC and our batch need:
 * - a declared User-Agent on every request (SEC rejects undeclared automated tools with 403);
 * - a shared rate limiter taken before every attempt, retries included (SEC: 10 requests/s);
 * - a deadline per attempt (`AbortSignal.timeout`, which also covers reading the body);
 * - retries with exponential backoff and full jitter on 429, 5xx, timeouts and network errors,
 *   honouring `Retry-After`, within a bounded number of attempts;
 * - an optional response cache by URL: submissions and companyfacts change in place, so a cached
 *   copy is revalidated (If-None-Match / If-Modified-Since, 304 → the cached body); an Archives
 *   document never changes once filed (a correction is a new accession), so a cached one is used
 *   without asking EDGAR at all;
 * - named errors otherwise: 404 → NotFoundError, other 4xx → SourceUnavailableError (status in the
 *   message), a body that is not JSON or not the documented shape → SourceFormatError.
 */
import type { CompanyFactsJson } from '../../../core/model';
import { ConfigError, describeError, NotFoundError, SourceFormatError, SourceUnavailableError } from '../../../core/errors';
import { padCik } from './cik';
import { validateCompanyFacts } from './companyfacts';
import type { RateLimiter, Sleep } from './rate-limiter';
import { realSleep } from './rate-limiter';
import type { CachedResponse, EdgarResponseCache } from './response-cache';
import { parseSubmissions } from './submissions';
import type { Submissions } from './submissions';

export interface EdgarRetryEvent {
  path: string;
  /** The attempt that failed (1-based). */
  attempt: number;
  /** Why: `HTTP 429`, `HTTP 503`, `timed out after 10000 ms`, `network error: …`. */
  reason: string;
  delayMs: number;
}

export interface EdgarClientOptions {
  /**
   * Required by SEC: who is calling and how to reach them, e.g. `"Acme Advisors admin@acme.com"`.
   * @see https://www.sec.gov/os/accessing-edgar-data
   */
  userAgent: string | undefined;
  /**
   * One base URL for both EDGAR hosts, e.g. a replay server `http://127.0.0.1:8790`. Default: the
   * JSON APIs on `https://data.sec.gov` and the Archives on `https://www.sec.gov`.
   */
  baseUrl?: string;
  /** Responses by URL with their validators; default none (every request downloads). */
  responseCache?: EdgarResponseCache;
  /**
   * How long a 404 for an Archives document is remembered in the cache, so a nightly re-run does
   * not ask again for an exhibit a filing does not have. Default 24 h.
   */
  notFoundTtlMs?: number;
  /** The cache failed (read or write): the request went on without it. Wire a warning here. */
  onCacheError?: (detail: string) => void;
  /** Shared by every client and worker that calls EDGAR (see rate-limiter.ts). */
  rateLimiter: RateLimiter;
  fetch?: typeof globalThis.fetch;
  /** Attempts per request, the first included. Default 4. */
  maxAttempts?: number;
  /** Deadline per attempt, headers and body. Default 10 s. */
  timeoutMs?: number;
  /** Backoff before retry n is uniform in [0, min(maxDelayMs, baseDelayMs · 2^(n−1))). Default 500 ms. */
  baseDelayMs?: number;
  /** Default 10 s. */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the request fails at once. Default 30 s. */
  maxRetryAfterMs?: number;
  sleep?: Sleep;
  /** Uniform in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Wall clock, for `Retry-After` given as an HTTP date. Default `Date.now`. */
  now?: () => number;
  /** Told before each retry: wire a metric or a log line here. */
  onRetry?: (event: EdgarRetryEvent) => void;
}

/** "Name contact@domain.tld": a name and an e-mail address, as SEC's guidance asks. */
export function isDeclaredUserAgent(userAgent: string): boolean {
  const words = userAgent
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '');
  return (
    userAgent.length <= 200 && words.some((word) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(word)) && words.some((word) => !word.includes('@'))
  );
}

type AttemptOutcome =
  | { kind: 'ok'; body: string; etag: string | undefined; lastModified: string | undefined }
  | { kind: 'not-modified' }
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'fail'; error: Error };

export const SEC_DATA_URL = 'https://data.sec.gov';
export const SEC_ARCHIVES_URL = 'https://www.sec.gov';

/** How one resource is fetched. */
interface ResourcePolicy {
  accept: string;
  /** Never changes once published: a cached copy is used without a request. */
  immutable: boolean;
  /** The SEC host the path belongs to, which names it in the cache whatever `baseUrl` points at. */
  secHost: string;
}

const JSON_API: ResourcePolicy = { accept: 'application/json', immutable: false, secHost: SEC_DATA_URL };
const ARCHIVE_DOCUMENT: ResourcePolicy = {
  accept: 'text/html, application/xhtml+xml, application/json, text/plain, */*',
  immutable: true,
  secHost: SEC_ARCHIVES_URL,
};

export class EdgarClient {
  private readonly userAgent: string;
  private readonly dataBaseUrl: string;
  private readonly archivesBaseUrl: string;
  private readonly cache: EdgarResponseCache | undefined;
  private readonly onCacheError: (detail: string) => void;
  private readonly notFoundTtlMs: number;
  private readonly rateLimiter: RateLimiter;
  private readonly fetch: typeof globalThis.fetch;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly onRetry: (event: EdgarRetryEvent) => void;

  /** @throws ConfigError without a declared User-Agent or with out-of-range limits. */
  constructor(options: EdgarClientOptions) {
    const userAgent = options.userAgent?.trim() ?? '';
    if (!isDeclaredUserAgent(userAgent)) {
      throw new ConfigError(
        'EDGAR requires a declared User-Agent such as "Company Name admin@example.com" (set EDGAR_USER_AGENT); ' +
          (userAgent === '' ? 'none was given' : 'the one given has no name and e-mail address'),
      );
    }
    this.userAgent = userAgent;
    this.dataBaseUrl = options.baseUrl ?? SEC_DATA_URL;
    this.archivesBaseUrl = options.baseUrl ?? SEC_ARCHIVES_URL;
    this.cache = options.responseCache;
    this.onCacheError = options.onCacheError ?? (() => undefined);
    this.notFoundTtlMs = options.notFoundTtlMs ?? 86_400_000;
    this.rateLimiter = options.rateLimiter;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.onRetry = options.onRetry ?? (() => undefined);
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) {
      throw new ConfigError(`EDGAR maxAttempts must be an integer of at least 1, got ${this.maxAttempts}`);
    }
    if (!(this.timeoutMs > 0)) throw new ConfigError(`EDGAR timeoutMs must be positive, got ${this.timeoutMs}`);
  }

  /** All XBRL facts of a company, validated. @throws NotFoundError when EDGAR has none for the CIK. */
  async companyFacts(cik: string | number): Promise<CompanyFactsJson> {
    return validateCompanyFacts(await this.getJson(`/api/xbrl/companyfacts/CIK${padCik(cik)}.json`));
  }

  /** Company metadata and recent filings, validated. @throws NotFoundError for an unknown CIK. */
  async submissions(cik: string | number): Promise<Submissions> {
    return parseSubmissions(await this.getJson(`/submissions/CIK${padCik(cik)}.json`));
  }

  /**
   * A document under `/Archives/edgar/data/…` on www.sec.gov (a filing's primary document, an
   * exhibit, its `-index.htm`), as text. Cached copies are used as they are: filed documents are
   * immutable. @throws NotFoundError on 404.
   */
  async archiveText(path: string): Promise<string> {
    if (!path.startsWith('/Archives/')) throw new RangeError(`not an EDGAR Archives path: ${path}`);
    return this.getText(new URL(path, this.archivesBaseUrl), ARCHIVE_DOCUMENT);
  }

  private async getJson(path: string): Promise<unknown> {
    return parseJsonBody(await this.getText(new URL(path, this.dataBaseUrl), JSON_API), path);
  }

  /**
   * Cached under the SEC URL the request stands for, not the one it went to: a replay server's
   * port changes from run to run, and an Archives document is the same wherever it is served
   * from. A JSON API entry from another server is harmless: its ETag does not match, so it is
   * downloaded again.
   */
  private async getText(url: URL, policy: ResourcePolicy): Promise<string> {
    const key = `${policy.secHost}${url.pathname}`;
    const entry = await this.cachedResponse(key);
    const cached = entry?.notFoundAt === undefined ? entry : undefined;
    if (policy.immutable) {
      if (cached) return cached.body;
      if (entry?.notFoundAt !== undefined && this.now() - entry.notFoundAt < this.notFoundTtlMs) {
        throw new NotFoundError(
          `EDGAR has nothing at ${url.pathname} (HTTP 404, remembered from ${new Date(entry.notFoundAt).toISOString()})`,
        );
      }
    }
    let fresh: CachedResponse;
    try {
      fresh = await this.download(url, policy, cached);
    } catch (error) {
      if (policy.immutable && error instanceof NotFoundError) await this.store(key, { body: '', notFoundAt: this.now() });
      throw error;
    }
    if (fresh !== cached) await this.store(key, fresh);
    return fresh.body;
  }

  /** The response, or `cached` itself when EDGAR answered 304 Not Modified to its validators. */
  private async download(url: URL, policy: ResourcePolicy, cached: CachedResponse | undefined): Promise<CachedResponse> {
    const path = url.pathname;
    let lastReason = '';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      await this.rateLimiter.acquire();
      const outcome = await this.attempt(url, policy, cached);
      if (outcome.kind === 'fail') throw outcome.error;
      if (outcome.kind === 'not-modified' && cached) return cached;
      if (outcome.kind === 'ok') return withoutUndefined(outcome);
      if (outcome.kind === 'not-modified') {
        throw new SourceUnavailableError(`EDGAR ${path} answered 304 Not Modified to a request without validators`);
      }
      lastReason = outcome.reason;
      if (attempt === this.maxAttempts) break;
      if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > this.maxRetryAfterMs) {
        throw new SourceUnavailableError(
          `EDGAR ${path}: ${outcome.reason} with Retry-After ${Math.ceil(outcome.retryAfterMs / 1000)} s, longer than the ${this.maxRetryAfterMs} ms we wait`,
        );
      }
      const delayMs = outcome.retryAfterMs ?? this.backoffMs(attempt);
      this.onRetry({ path, attempt, reason: outcome.reason, delayMs });
      await this.sleep(delayMs);
    }
    throw new SourceUnavailableError(`EDGAR ${path}: gave up after ${this.maxAttempts} attempts; last: ${lastReason}`);
  }

  /** Full jitter: uniform in [0, min(cap, base · 2^(attempt−1))), so retrying workers spread out. */
  private backoffMs(attempt: number): number {
    return Math.floor(this.random() * Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1)));
  }

  private async cachedResponse(url: string): Promise<CachedResponse | undefined> {
    if (!this.cache) return undefined;
    try {
      return await this.cache.get(url);
    } catch (error) {
      this.onCacheError(`EDGAR response cache: could not read ${url} (${describeError(error)}); downloading it`);
      return undefined;
    }
  }

  private async store(url: string, response: CachedResponse): Promise<void> {
    if (!this.cache) return;
    try {
      await this.cache.put(url, response);
    } catch (error) {
      this.onCacheError(`EDGAR response cache: could not store ${url} (${describeError(error)})`);
    }
  }

  private requestHeaders(policy: ResourcePolicy, cached: CachedResponse | undefined): Record<string, string> {
    const headers: Record<string, string> = { 'User-Agent': this.userAgent, Accept: policy.accept };
    if (cached?.etag) headers['If-None-Match'] = cached.etag;
    if (cached?.lastModified) headers['If-Modified-Since'] = cached.lastModified;
    return headers;
  }

  private async attempt(url: URL, policy: ResourcePolicy, cached: CachedResponse | undefined): Promise<AttemptOutcome> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    try {
      response = await this.fetch(url, { headers: this.requestHeaders(policy, cached), signal });
    } catch (error) {
      return { kind: 'retry', reason: this.transportFailure(error, signal) };
    }
    const { status } = response;
    if (status >= 200 && status < 300) {
      try {
        const body = await response.text();
        const etag = response.headers.get('etag') ?? undefined;
        const lastModified = response.headers.get('last-modified') ?? undefined;
        return { kind: 'ok', body, etag, lastModified };
      } catch (error) {
        return { kind: 'retry', reason: this.transportFailure(error, signal) };
      }
    }
    // Free the connection: an unread body would hold the socket until it is garbage-collected.
    await response.body?.cancel().catch(() => undefined);
    if (status === 304) return { kind: 'not-modified' };
    if (status === 429 || status >= 500) {
      const retryAfterMs = this.retryAfterMs(response.headers.get('retry-after'));
      return retryAfterMs === undefined
        ? { kind: 'retry', reason: `HTTP ${status}` }
        : { kind: 'retry', reason: `HTTP ${status}`, retryAfterMs };
    }
    if (status === 404) return { kind: 'fail', error: new NotFoundError(`EDGAR has nothing at ${url.pathname} (HTTP 404)`) };
    const hint = status === 403 ? ' (SEC answers 403 to undeclared or over-limit clients)' : '';
    return { kind: 'fail', error: new SourceUnavailableError(`EDGAR ${url.pathname} answered HTTP ${status}${hint}`) };
  }

  private transportFailure(error: unknown, signal: AbortSignal): string {
    if (signal.aborted) return `timed out after ${this.timeoutMs} ms`;
    return `network error: ${describeError(error)}`;
  }

  /** `Retry-After` as delta-seconds or an HTTP date, in ms; undefined when absent or unreadable. */
  private retryAfterMs(header: string | null): number | undefined {
    if (header === null) return undefined;
    const value = header.trim();
    if (/^\d+$/.test(value)) return Number(value) * 1000;
    const at = Date.parse(value);
    return Number.isNaN(at) ? undefined : Math.max(0, at - this.now());
  }
}

/** A cache entry with only the validators EDGAR actually sent. */
function withoutUndefined(outcome: { body: string; etag?: string | undefined; lastModified?: string | undefined }): CachedResponse {
  return {
    body: outcome.body,
    ...(outcome.etag !== undefined ? { etag: outcome.etag } : {}),
    ...(outcome.lastModified !== undefined ? { lastModified: outcome.lastModified } : {}),
  };
}

function parseJsonBody(body: string, path: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new SourceFormatError(`EDGAR ${path} did not return JSON: ${describeError(error)}`);
  }
}
