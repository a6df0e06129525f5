/**
 * The embedding-hash cache on Redis/Valkey (ElastiCache Serverless in AWS, any Redis locally when
 * REDIS_URL is set). The cache only saves work, so it must never cost a stock: every call has a
 * hard deadline (default 150 ms), every error or timeout reads as a miss and is reported through
 * `onDegraded`, and a circuit breaker stops calling a Redis that keeps failing, so a dead cache costs
 * three deadlines per cooldown rather than one per call.
 *
 * The ioredis client is configured to fail fast rather than be helpful: no offline queue (a command
 * sent while disconnected fails at once instead of waiting), no per-request retries, short connect,
 * command and socket timeouts, and a capped reconnect backoff that keeps trying in the background so
 * the half-open probe finds the connection back when Redis returns.
 */
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { CacheDegradation, EmbeddingHashCache } from '../../core/ports';
import { ConfigError, describeError } from '../../core/errors';
import { CircuitBreaker } from './breaker';
import { DeadlineExceededError, withDeadline } from './deadline';

export interface RedisHashCacheOptions {
  /** `redis://[user:pass@]host[:port][/db]` or `rediss://…` (TLS, required by ElastiCache Serverless). */
  url: string;
  /** Overrides the URL's user name (Redis 6 ACL / ElastiCache RBAC user). */
  username?: string;
  /** Overrides the URL's password. */
  password?: string;
  onDegraded?: (reason: CacheDegradation, detail: string) => void;
  /** Hard limit on every getMany/setMany, connecting included. Default 150 ms. */
  deadlineMs?: number;
  /** TCP (and TLS) connect timeout. Default 1,000 ms. */
  connectTimeoutMs?: number;
  /** A connection with outstanding commands and no data for this long is dropped and re-made. Default 2,000 ms. */
  socketTimeoutMs?: number;
  /** Consecutive failures that open the breaker. Default 3. */
  failureThreshold?: number;
  /** How long the open breaker answers misses without touching Redis. Default 5,000 ms. */
  cooldownMs?: number;
  /** Expiry of written hashes in seconds; 0 for none. Default 30 days, so abandoned keys age out. */
  ttlSeconds?: number;
  /** Clock for the breaker; defaults to `Date.now`. */
  now?: () => number;
}

const DEFAULT_TTL_SECONDS = 30 * 24 * 60 * 60;
/** Reconnect backoff: 50 ms doubling, capped, forever (the breaker, not the client, decides when to give up). */
const RECONNECT_CAP_MS = 2_000;
const CLOSE_DEADLINE_MS = 500;

/**
 * The hash tag that decides a key's cluster slot: the text between the first `{` and the next `}`
 * when it is non-empty, otherwise the whole key (Redis Cluster specification).
 */
export function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.slice(open + 1, close);
}

/** Connection options from a redis:// or rediss:// URL. @throws ConfigError for anything else. */
export function redisConnectionOptions(url: string, credentials: { username?: string; password?: string } = {}): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`REDIS_URL is not a URL: ${url.replace(/\/\/[^@]*@/, '//***@')}`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigError(`REDIS_URL must start with redis:// or rediss://, not ${parsed.protocol}//`);
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (host === '') throw new ConfigError('REDIS_URL has no host');
  const options: RedisOptions = { host, port: parsed.port === '' ? 6379 : Number(parsed.port) };
  const username = credentials.username ?? (parsed.username === '' ? undefined : decodeURIComponent(parsed.username));
  const password = credentials.password ?? (parsed.password === '' ? undefined : decodeURIComponent(parsed.password));
  if (username !== undefined) options.username = username;
  if (password !== undefined) options.password = password;
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '') {
    // Cluster-mode servers (ElastiCache Serverless) reject SELECT, so only ask for a db when told to.
    if (!/^\d+$/.test(db)) throw new ConfigError(`REDIS_URL database must be a number, not ${db}`);
    options.db = Number(db);
  }
  if (parsed.protocol === 'rediss:') options.tls = { servername: host };
  return options;
}

export class RedisHashCache implements EmbeddingHashCache {
  private readonly redis: Redis;
  private readonly breaker: CircuitBreaker;
  private readonly deadlineMs: number;
  private readonly ttlSeconds: number;
  private readonly onDegraded: (reason: CacheDegradation, detail: string) => void;
  private readyWaiter: Promise<void> | undefined;
  private closed = false;

  /** No I/O here: the connection is made by the first call. @throws ConfigError for a bad URL or option. */
  constructor(options: RedisHashCacheOptions) {
    this.deadlineMs = options.deadlineMs ?? 150;
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    if (!(this.deadlineMs > 0)) throw new ConfigError(`cache deadline must be positive, not ${this.deadlineMs}`);
    if (!Number.isInteger(this.ttlSeconds) || this.ttlSeconds < 0) {
      throw new ConfigError(`cache TTL must be a whole number of seconds, not ${this.ttlSeconds}`);
    }
    const report = options.onDegraded ?? (() => undefined);
    this.onDegraded = (reason, detail) => {
      try {
        report(reason, detail);
      } catch {
        // A failing metrics hook must not turn a cache miss into a failed stock.
      }
    };
    this.breaker = new CircuitBreaker({
      failureThreshold: options.failureThreshold ?? 3,
      cooldownMs: options.cooldownMs ?? 5_000,
      now: options.now ?? Date.now,
    });
    this.redis = new Redis({
      ...redisConnectionOptions(options.url, { username: options.username, password: options.password }),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: options.connectTimeoutMs ?? 1_000,
      commandTimeout: this.deadlineMs,
      socketTimeout: options.socketTimeoutMs ?? 2_000,
      retryStrategy: (attempt: number) => Math.min(50 * 2 ** Math.min(attempt - 1, 10), RECONNECT_CAP_MS),
      reconnectOnError: null,
      autoResubscribe: false,
      autoResendUnfulfilledCommands: false,
      // One round trip fewer on connect, and servers that restrict CLIENT SETINFO stay quiet.
      disableClientInfo: true,
    });
    // Without a listener ioredis prints every connection error; failures are reported per call instead.
    this.redis.on('error', () => undefined);
  }

  /** The stored hash for each key, or null for a miss, an error, a timeout or an open breaker. */
  async getMany(keys: string[]): Promise<Array<string | null>> {
    const misses = (): Array<string | null> => keys.map(() => null);
    if (keys.length === 0) return [];
    return this.guarded('getMany', misses, async () => {
      const groups = groupByHashTag(keys);
      if (groups.length === 1) return normalise(await this.redis.mget(keys), keys.length);
      // Keys in different slots: one MGET per slot, sent together as one pipeline.
      const results = await this.redis.pipeline(groups.map((group) => ['mget', ...group.keys])).exec();
      const values: Array<string | null> = misses();
      groups.forEach((group, g) => {
        const [error, reply] = results?.[g] ?? [new Error('pipeline returned no result'), null];
        if (error) throw error;
        normalise(reply, group.keys.length).forEach((value, i) => {
          values[group.positions[i]!] = value;
        });
      });
      return values;
    });
  }

  /** Write the hashes (one pipeline of SET … EX). Failures are reported and swallowed. */
  async setMany(entries: Array<[key: string, hash: string]>): Promise<void> {
    if (entries.length === 0) return;
    await this.guarded(
      'setMany',
      () => undefined,
      async () => {
        const pipeline = this.redis.pipeline();
        for (const [key, hash] of entries) {
          if (this.ttlSeconds > 0) pipeline.set(key, hash, 'EX', this.ttlSeconds);
          else pipeline.set(key, hash);
        }
        const results = await pipeline.exec();
        if (!results) throw new Error('pipeline returned no result');
        const failed = results.find(([error]) => error);
        if (failed) throw failed[0];
      },
    );
  }

  /** QUIT politely within 500 ms, then drop the connection regardless. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.redis.status === 'ready') {
      try {
        await withDeadline(() => this.redis.quit(), CLOSE_DEADLINE_MS);
      } catch {
        // Fall through to disconnect: closing must never hang or throw.
      }
    }
    this.redis.disconnect();
  }

  private async guarded<T>(operation: string, fallback: () => T, work: () => Promise<T>): Promise<T> {
    if (this.closed) {
      this.onDegraded('error', `${operation}: the cache is closed`);
      return fallback();
    }
    if (!this.breaker.tryAcquire()) {
      this.onDegraded('breaker_open', `${operation}: breaker open after repeated failures`);
      return fallback();
    }
    try {
      const result = await withDeadline(async () => {
        await this.whenReady();
        return work();
      }, this.deadlineMs);
      this.breaker.recordSuccess();
      return result;
    } catch (error) {
      this.breaker.recordFailure();
      this.onDegraded(isTimeout(error) ? 'timeout' : 'error', `${operation}: ${describeError(error)}`);
      return fallback();
    }
  }

  /**
   * Resolves when the connection is ready. A first connection is waited for (within the caller's
   * deadline); a connection being re-made after a loss fails at once, because the reconnect backoff
   * can be far longer than any deadline.
   */
  private whenReady(): Promise<void> {
    const status = this.redis.status;
    if (status === 'ready') return Promise.resolve();
    if (status === 'reconnecting') return Promise.reject(new Error('Redis connection lost; reconnecting'));
    this.readyWaiter ??= this.nextReady();
    if (status === 'wait' || status === 'end') {
      // Lazy first connect (or a client that gave up): a failure surfaces as this call's timeout or
      // the next call's "reconnecting", and the client keeps retrying in the background.
      this.redis.connect().catch(() => undefined);
    }
    return this.readyWaiter;
  }

  /**
   * One shared wait for the connection: resolves on `ready`, rejects when the attempt ends without
   * it (refused, reset, auth failure), so such calls fail at once instead of waiting out the deadline.
   */
  private nextReady(): Promise<void> {
    const waiter = new Promise<void>((resolve, reject) => {
      const onReady = (): void => {
        this.redis.off('close', onClose);
        this.readyWaiter = undefined;
        resolve();
      };
      const onClose = (): void => {
        this.redis.off('ready', onReady);
        this.readyWaiter = undefined;
        reject(new Error('Redis connection closed before it was ready'));
      };
      this.redis.once('ready', onReady);
      this.redis.once('close', onClose);
    });
    // Nobody may be waiting when the attempt fails; that must not be an unhandled rejection.
    waiter.catch(() => undefined);
    return waiter;
  }
}

function isTimeout(error: unknown): boolean {
  if (error instanceof DeadlineExceededError) return true;
  return error instanceof Error && /timed out|timeout|ETIMEDOUT/i.test(error.message);
}

function groupByHashTag(keys: string[]): Array<{ keys: string[]; positions: number[] }> {
  const groups = new Map<string, { keys: string[]; positions: number[] }>();
  keys.forEach((key, position) => {
    const tag = hashTagOf(key);
    let group = groups.get(tag);
    if (!group) {
      group = { keys: [], positions: [] };
      groups.set(tag, group);
    }
    group.keys.push(key);
    group.positions.push(position);
  });
  return [...groups.values()];
}

/** An MGET reply as strings and nulls; anything else (a proxy's odd reply) is a miss. */
function normalise(reply: unknown, expected: number): Array<string | null> {
  if (!Array.isArray(reply) || reply.length !== expected)
    throw new Error(`MGET returned ${Array.isArray(reply) ? reply.length : typeof reply} values for ${expected} keys`);
  return reply.map((value: unknown) => (typeof value === 'string' ? value : null));
}
