/**
 * The embedding hash cache, chosen from config: ElastiCache Redis in AWS (RBAC credentials from
 * Secrets Manager), a file cache in the data dir locally, or none (the naive cost baseline).
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import type { CacheDegradation, EmbeddingHashCache } from '../core/ports';
import { ConfigError } from '../core/errors';
import { FileHashCache } from '../adapters/cache/file-hash-cache';
import type { RuntimeConfig } from './config';
import { logger, metrics, MetricUnit, traced } from './telemetry';
import { currentUnitScope } from './unit-scope';
import { withCacheBlackhole } from '../adapters/faults/cache-faults';
import { faultPlanOf } from './faults';

function onCacheDegraded(reason: CacheDegradation, detail: string): void {
  const scope = currentUnitScope();
  if (scope) scope.degraded += 1;
  metrics.addMetric('EmbeddingCacheDegraded', MetricUnit.Count, 1);
  // The breaker makes most of these `breaker_open`, which need no log line of their own.
  if (reason !== 'breaker_open') logger.warn('embedding cache degraded; treating as a miss', { reason, detail });
}

const RedisSecretSchema = z.object({ username: z.string().min(1), password: z.string().min(1) });

let credentials: Promise<{ username?: string; password?: string }> | undefined;

/** ElastiCache RBAC credentials live in Secrets Manager as `{username, password}`; read once per process. */
function redisCredentials(secretArn: string | undefined): Promise<{ username?: string; password?: string }> {
  credentials ??= readRedisCredentials(secretArn);
  credentials.catch(() => (credentials = undefined));
  return credentials;
}

async function readRedisCredentials(secretArn: string | undefined): Promise<{ username?: string; password?: string }> {
  if (!secretArn) return {};
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = traced(new SecretsManagerClient({}));
  try {
    const secret = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const parsed = RedisSecretSchema.safeParse(JSON.parse(secret.SecretString ?? '{}'));
    if (!parsed.success) throw new ConfigError(`the secret ${secretArn} is not {"username", "password"}`);
    return parsed.data;
  } finally {
    client.destroy();
  }
}

export async function createHashCache(config: RuntimeConfig): Promise<EmbeddingHashCache> {
  const cache = await createConfiguredHashCache(config);
  const faults = faultPlanOf(config);
  return faults ? withCacheBlackhole(cache, faults, onCacheDegraded) : cache;
}

async function createConfiguredHashCache(config: RuntimeConfig): Promise<EmbeddingHashCache> {
  // The naive cost baseline: every lookup misses, so every chunk is embedded again.
  if (config.FA_EMBEDDING_CACHE === 'off') {
    return { getMany: async (keys) => keys.map(() => null), setMany: async () => {}, close: async () => {} };
  }
  if (config.REDIS_URL) {
    const { RedisHashCache } = await import('../adapters/cache/redis-hash-cache');
    const credentials = await redisCredentials(config.REDIS_SECRET_ARN);
    return new RedisHashCache({ url: config.REDIS_URL, ...credentials, onDegraded: onCacheDegraded });
  }
  return new FileHashCache({ directory: resolve(config.FA_DATA_DIR, 'embedding-cache'), onDegraded: onCacheDegraded });
}

/** What the fleet-wide EDGAR rate limiter needs from Redis, and a way to let go of it. */
export interface RateLimitRedisClient {
  incr(key: string): Promise<number>;
  pexpire(key: string, milliseconds: number): Promise<number>;
  close(): void;
}

/**
 * A fail-fast Redis client for the fleet-wide EDGAR rate limit (SEC: 10 requests/s across every
 * concurrent stock processor), on the same cache as the embedding hashes; undefined without Redis.
 * It connects at once, so the first stock does not find it still connecting; until it is ready
 * the limiter falls back to its per-process limit.
 */
export async function createRateLimitRedis(config: RuntimeConfig): Promise<RateLimitRedisClient | undefined> {
  if (!config.REDIS_URL) return undefined;
  const [{ Redis }, { redisConnectionOptions }] = await Promise.all([import('ioredis'), import('../adapters/cache/redis-hash-cache')]);
  const redis = new Redis({
    ...redisConnectionOptions(config.REDIS_URL, await redisCredentials(config.REDIS_SECRET_ARN)),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    commandTimeout: 200,
    disableClientInfo: true,
  });
  // Failures are reported per call by the limiter (it falls back), not printed by ioredis.
  redis.on('error', () => undefined);
  return {
    incr: (key) => redis.incr(key),
    pexpire: (key, ms) => redis.pexpire(key, ms),
    close: () => redis.disconnect(),
  };
}
