/**
 * The batch wiring shares SEC's request budget across stock processors through the cache's Redis:
 * against an isolated redis-server on loopback (skipped, loudly, when the binary is missing).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createRateLimitRedis } from '../../lambdas/wiring/cache';
import { parseRuntimeConfig } from '../../lambdas/wiring/config';

const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasRedisServer) console.warn('redis-server is not on PATH: skipping the rate-limit Redis wiring test');

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((cleanup) => cleanup()));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the EDGAR rate-limit Redis of the batch wiring', () => {
  it('is none without REDIS_URL', async () => {
    expect(await createRateLimitRedis(parseRuntimeConfig({}))).toBeUndefined();
  });

  it.runIf(hasRedisServer)('counts on the cache’s Redis, with keys that expire', async () => {
    const port = await freePort();
    const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    cleanups.push(() => server.kill('SIGKILL'));
    const redis = (await createRateLimitRedis(parseRuntimeConfig({ REDIS_URL: `redis://127.0.0.1:${port}` })))!;
    cleanups.push(() => redis.close());
    let count: number | undefined;
    for (let attempt = 0; attempt < 100 && count === undefined; attempt += 1) {
      count = await redis.incr('edgar-test').catch(async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return undefined;
      });
    }
    expect(count).toBe(1);
    expect(await redis.incr('edgar-test')).toBe(2);
    expect(await redis.pexpire('edgar-test', 1_000)).toBe(1);
  });
});
