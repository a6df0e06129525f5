/**
 * The EDGAR replay server as a client meets it: SEC's paths and headers over a folder, 403 without
 * a User-Agent, 429 over the rate and when injected, ETag and Last-Modified answered with 304,
 * 404 for what is not there, and every request counted.
 */
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { archiveRequestsOf, startEdgarReplay } from '../../local/edgar-replay';
import type { EdgarReplay, EdgarReplayOptions } from '../../local/edgar-replay';

const UA = { 'user-agent': 'FA Advisor AI Tests tests@example.com' };
const SUBMISSIONS = '/submissions/CIK0000000042.json';
const DOCUMENT = '/Archives/edgar/data/42/000000004225000001/exh-20250927.htm';

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'edgar-replay-test-'));
  const put = (path: string, body: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), body);
  };
  put(SUBMISSIONS, JSON.stringify({ cik: '0000000042', name: 'Example Holdings' }));
  put(DOCUMENT, '<html><body><p>Item 1. Business</p></body></html>');
  utimesSync(join(dir, SUBMISSIONS), new Date('2026-01-15T10:00:00Z'), new Date('2026-01-15T10:00:00Z'));
  return dir;
}

let replay: EdgarReplay | undefined;
afterEach(async () => {
  await replay?.close();
  replay = undefined;
});

async function start(options: Partial<EdgarReplayOptions> = {}): Promise<EdgarReplay> {
  replay = await startEdgarReplay({ dir: folder(), ratePerSecond: 0, ...options });
  return replay;
}

describe('edgar-replay', () => {
  it('serves both hosts’ paths from one base URL with SEC’s content types and validators', async () => {
    const { url } = await start();
    const json = await fetch(`${url}${SUBMISSIONS}`, { headers: UA });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(json.headers.get('etag')).toMatch(/^"[0-9a-f]{40}"$/);
    expect(json.headers.get('last-modified')).toBe('Thu, 15 Jan 2026 10:00:00 GMT');
    expect(await json.json()).toEqual({ cik: '0000000042', name: 'Example Holdings' });
    const html = await fetch(`${url}${DOCUMENT}`, { headers: UA });
    expect(html.headers.get('content-type')).toBe('text/html');
    expect(await html.text()).toContain('Item 1. Business');
  });

  it('refuses a request without a User-Agent with 403, as SEC does', async () => {
    const { url } = await start();
    const response = await fetch(`${url}${SUBMISSIONS}`, { headers: { 'user-agent': '' } });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Undeclared Automated Tool');
  });

  it('answers 304 to a matching If-None-Match or an If-Modified-Since at or after the file’s date', async () => {
    const { url } = await start();
    const first = await fetch(`${url}${SUBMISSIONS}`, { headers: UA });
    const etag = first.headers.get('etag')!;
    const byTag = await fetch(`${url}${SUBMISSIONS}`, { headers: { ...UA, 'if-none-match': etag } });
    expect(byTag.status).toBe(304);
    expect(byTag.headers.get('etag')).toBe(etag);
    expect(await byTag.text()).toBe('');
    const byDate = await fetch(`${url}${SUBMISSIONS}`, { headers: { ...UA, 'if-modified-since': 'Thu, 15 Jan 2026 10:00:00 GMT' } });
    expect(byDate.status).toBe(304);
    const stale = await fetch(`${url}${SUBMISSIONS}`, { headers: { ...UA, 'if-none-match': '"something-else"' } });
    expect(stale.status).toBe(200);
    const older = await fetch(`${url}${SUBMISSIONS}`, { headers: { ...UA, 'if-modified-since': 'Wed, 14 Jan 2026 10:00:00 GMT' } });
    expect(older.status).toBe(200);
  });

  it('answers 404 for a missing file and for a path that tries to leave the folder', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/submissions/CIK0000009999.json`, { headers: UA })).status).toBe(404);
    expect((await fetch(`${url}/Archives/%2e%2e/%2e%2e/etc/passwd`, { headers: UA })).status).toBe(404);
  });

  it('lists a filing folder as EDGAR’s index.json when the folder has no such file', async () => {
    const { url } = await start();
    const response = await fetch(`${url}/Archives/edgar/data/42/000000004225000001/index.json`, { headers: UA });
    expect(response.status).toBe(200);
    const listing = (await response.json()) as { directory: { item: Array<{ name: string }> } };
    expect(listing.directory.item.map((item) => item.name)).toEqual(['exh-20250927.htm']);
  });

  it('answers 429 beyond the rate within one second, and admits again once the window has passed', async () => {
    let now = 0;
    const { url } = await start({ ratePerSecond: 3, now: () => now });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await fetch(`${url}${SUBMISSIONS}`, { headers: UA })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    now = 1_000;
    expect((await fetch(`${url}${SUBMISSIONS}`, { headers: UA })).status).toBe(200);
  });

  it('injects 429s into the first N requests and every k-th, with Retry-After when asked', async () => {
    const { url } = await start({ inject429First: 2, inject429Every: 4, retryAfterSeconds: 1 });
    const responses = [];
    for (let i = 0; i < 8; i += 1) responses.push(await fetch(`${url}${SUBMISSIONS}`, { headers: UA }));
    expect(responses.map((r) => r.status)).toEqual([429, 429, 200, 429, 200, 200, 200, 429]);
    expect(responses[0]!.headers.get('retry-after')).toBe('1');
  });

  it('counts requests by path and status, in stats() and at /__replay/stats, which it does not count', async () => {
    const server = await start({ inject429First: 1 });
    await fetch(`${server.url}${SUBMISSIONS}`, { headers: UA });
    await fetch(`${server.url}${SUBMISSIONS}`, { headers: UA });
    await fetch(`${server.url}${DOCUMENT}`, { headers: UA });
    // Node's fetch sends "node" unless told otherwise; an empty header is how a client sends none.
    await fetch(`${server.url}${DOCUMENT}`, { headers: { 'user-agent': '' } });
    const expected = {
      requests: 4,
      byStatus: { '200': 2, '403': 1, '429': 1 },
      byPath: { [SUBMISSIONS]: { '200': 1, '429': 1 }, [DOCUMENT]: { '200': 1, '403': 1 } },
    };
    expect(server.stats()).toEqual(expected);
    expect(await (await fetch(`${server.url}/__replay/stats`)).json()).toEqual(expected);
    expect(archiveRequestsOf(server.stats())).toBe(2);
    server.resetStats();
    expect(server.stats().requests).toBe(0);
  });
});
