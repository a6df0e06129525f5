/** The EDGAR response caches: what is put is got back by URL, and a damaged entry is a miss, never an error. */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileResponseCache, MemoryResponseCache } from '../../../../lambdas/adapters/sources/edgar/response-cache';

const URL_A = 'https://data.sec.gov/submissions/CIK0000320193.json';
const URL_B = 'https://www.sec.gov/Archives/edgar/data/320193/000032019325000079/aapl-20250927.htm';

describe.each([
  ['MemoryResponseCache', () => new MemoryResponseCache()],
  ['FileResponseCache', () => new FileResponseCache(join(mkdtempSync(join(tmpdir(), 'edgar-cache-')), 'nested'))],
])('%s', (_, makeCache) => {
  it('returns what was put for the same URL only, validators included', async () => {
    const cache = makeCache();
    await cache.put(URL_A, { body: '{"cik":"0000320193"}', etag: '"abc"', lastModified: 'Thu, 15 Jan 2026 10:00:00 GMT' });
    await cache.put(URL_B, { body: '<html></html>' });
    expect(await cache.get(URL_A)).toEqual({ body: '{"cik":"0000320193"}', etag: '"abc"', lastModified: 'Thu, 15 Jan 2026 10:00:00 GMT' });
    expect(await cache.get(URL_B)).toEqual({ body: '<html></html>' });
    expect(await cache.get(`${URL_A}?x=1`)).toBeUndefined();
  });

  it('replaces an entry and remembers an absence', async () => {
    const cache = makeCache();
    await cache.put(URL_B, { body: 'old' });
    await cache.put(URL_B, { body: '', notFoundAt: 1_700_000_000_000 });
    expect(await cache.get(URL_B)).toEqual({ body: '', notFoundAt: 1_700_000_000_000 });
  });
});

describe('FileResponseCache', () => {
  it('keeps entries between instances over the same folder (between runs)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgar-cache-'));
    await new FileResponseCache(dir).put(URL_A, { body: 'kept', etag: '"v1"' });
    expect(await new FileResponseCache(dir).get(URL_A)).toEqual({ body: 'kept', etag: '"v1"' });
  });

  it('treats an unreadable entry as a miss', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgar-cache-'));
    const cache = new FileResponseCache(dir);
    await cache.put(URL_A, { body: 'kept' });
    const [file] = readdirSync(dir);
    writeFileSync(join(dir, file!), 'not gzip');
    expect(await cache.get(URL_A)).toBeUndefined();
  });
});
