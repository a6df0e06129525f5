import { describe, expect, it } from 'vitest';
import { RedisHashCache, hashTagOf, redisConnectionOptions } from '../../../lambdas/adapters/cache/redis-hash-cache';
import { ConfigError } from '../../../lambdas/core/errors';

describe('redisConnectionOptions', () => {
  it('reads host, port and no TLS from a redis:// URL', () => {
    expect(redisConnectionOptions('redis://127.0.0.1:6380')).toEqual({ host: '127.0.0.1', port: 6380 });
    expect(redisConnectionOptions('redis://cache.local')).toEqual({ host: 'cache.local', port: 6379 });
  });

  it('turns on TLS with SNI for rediss:// (ElastiCache Serverless requires it)', () => {
    const options = redisConnectionOptions('rediss://fa-cache-abc123.serverless.use1.cache.amazonaws.com:6379');
    expect(options.tls).toEqual({ servername: 'fa-cache-abc123.serverless.use1.cache.amazonaws.com' });
    expect(options.port).toBe(6379);
  });

  it('takes decoded credentials from the URL, and lets options override them', () => {
    expect(redisConnectionOptions('redis://app%40fa:p%2Fw@h:1')).toMatchObject({ username: 'app@fa', password: 'p/w' });
    expect(redisConnectionOptions('redis://:only-pass@h:1')).toMatchObject({ password: 'only-pass' });
    expect(redisConnectionOptions('redis://:only-pass@h:1').username).toBeUndefined();
    expect(redisConnectionOptions('redis://u:p@h:1', { username: 'iam-user', password: 'token' })).toMatchObject({
      username: 'iam-user',
      password: 'token',
    });
  });

  it('selects a database only when the URL names one (cluster-mode servers reject SELECT)', () => {
    expect(redisConnectionOptions('redis://h:1/2').db).toBe(2);
    expect(redisConnectionOptions('redis://h:1/').db).toBeUndefined();
    expect(() => redisConnectionOptions('redis://h:1/cache')).toThrow(ConfigError);
  });

  it('rejects other schemes and garbage with a ConfigError that does not echo the password', () => {
    expect(() => redisConnectionOptions('http://h:1')).toThrow(ConfigError);
    expect(() => redisConnectionOptions('not a url :secret@')).toThrow(ConfigError);
    try {
      redisConnectionOptions('//user:hunter2@:bad');
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });
});

describe('RedisHashCache construction', () => {
  it('does no I/O and validates its settings', async () => {
    const cache = new RedisHashCache({ url: 'redis://127.0.0.1:1' });
    await cache.close();
    expect(() => new RedisHashCache({ url: 'redis://h:1', deadlineMs: 0 })).toThrow(ConfigError);
    expect(() => new RedisHashCache({ url: 'redis://h:1', ttlSeconds: 1.5 })).toThrow(ConfigError);
    expect(() => new RedisHashCache({ url: 'memcached://h:1' })).toThrow(ConfigError);
  });

  it('returns nothing for no keys without touching Redis', async () => {
    const cache = new RedisHashCache({ url: 'redis://127.0.0.1:1', onDegraded: () => expect.unreachable() });
    expect(await cache.getMany([])).toEqual([]);
    await cache.setMany([]);
    await cache.close();
  });
});

describe('hashTagOf', () => {
  it('follows the Redis Cluster rule: first {…} with content, else the whole key', () => {
    expect(hashTagOf('emb:{ACME}:x')).toBe('ACME');
    expect(hashTagOf('{a}{b}')).toBe('a');
    expect(hashTagOf('x{}y{z}')).toBe('x{}y{z}');
    expect(hashTagOf('x{y')).toBe('x{y');
    expect(hashTagOf('plain')).toBe('plain');
  });
});
