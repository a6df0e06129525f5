/**
 * Limits and hygiene of the real local server (lib/limits.ts): 413, 400, 414, 429 with Retry-After
 * per key and per address, security headers, clean error bodies, preflight and HEAD, HTML stripped.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkLimits } from './lib/limits';
import { startServer } from './lib/stack';
import type { SecurityServer } from './lib/stack';

const BURST = 5;
const BAD_KEYS = 4;
let server: SecurityServer;

beforeAll(async () => {
  server = await startServer(inject('securityStack'), 'limits', {
    rateLimit: { requestsPerMinute: 6, burst: BURST },
    lockout: { badKeys: BAD_KEYS, windowSeconds: 60, lockSeconds: 60 },
  });
});
afterAll(async () => server?.close());

describe('the local server', () => {
  it('refuses oversized bodies, long questions and paths, rate-limits per key, locks out key guessing, and answers with clean headers and bodies', async () => {
    const result = await checkLimits(
      server.url,
      { fa: server.newKey('fa-limits'), rateLimited: server.newKey('fa-limits-busy') },
      { burst: BURST, badKeys: BAD_KEYS },
    );
    expect(result.failures).toEqual([]);
    expect(result.checks).toBeGreaterThan(20);
  });
});
