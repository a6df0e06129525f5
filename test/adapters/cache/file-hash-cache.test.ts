import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FILE_HASH_CACHE_LOG, FileHashCache } from '../../../lambdas/adapters/cache/file-hash-cache';
import type { CacheDegradation } from '../../../lambdas/core/ports/index';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fa-file-hash-cache-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function logLines(): string[] {
  return readFileSync(join(dir, FILE_HASH_CACHE_LOG), 'utf8').split('\n').slice(0, -1);
}

describe('FileHashCache', () => {
  it('reads misses as null and its own writes back as hits', async () => {
    const cache = new FileHashCache({ directory: dir });
    expect(await cache.getMany(['a', 'b'])).toEqual([null, null]);
    await cache.setMany([['a', 'hash-a']]);
    expect(await cache.getMany(['a', 'b', 'a'])).toEqual(['hash-a', null, 'hash-a']);
    await cache.close();
  });

  it('keeps its hits across a close and reopen (a later run or another process)', async () => {
    const first = new FileHashCache({ directory: join(dir, 'nested', 'cache') });
    await first.setMany([
      ['emb:{ACME}:sec-v1:m:doc#0', 'h0'],
      ['emb:{ACME}:sec-v1:m:doc#1', 'h1'],
    ]);
    await first.setMany([['emb:{ACME}:sec-v1:m:doc#0', 'h0-new']]);
    await first.close();
    const second = new FileHashCache({ directory: join(dir, 'nested', 'cache') });
    expect(await second.getMany(['emb:{ACME}:sec-v1:m:doc#0', 'emb:{ACME}:sec-v1:m:doc#1', 'missing'])).toEqual(['h0-new', 'h1', null]);
    await second.close();
  });

  it('writes one line per changed entry and nothing for unchanged ones', async () => {
    const cache = new FileHashCache({ directory: dir });
    await cache.setMany([
      ['a', '1'],
      ['b', '2'],
    ]);
    await cache.setMany([
      ['a', '1'],
      ['b', '3'],
    ]);
    await cache.close();
    expect(logLines()).toEqual(['["a","1"]', '["b","2"]', '["b","3"]']);
  });

  it('stores keys and hashes with quotes and newlines as single lines', async () => {
    const cache = new FileHashCache({ directory: dir });
    await cache.setMany([['k"ey\nwith\nbreaks', 'v\\al"ue']]);
    await cache.close();
    expect(logLines()).toHaveLength(1);
    const reopened = new FileHashCache({ directory: dir });
    expect(await reopened.getMany(['k"ey\nwith\nbreaks'])).toEqual(['v\\al"ue']);
    await reopened.close();
  });

  it('ignores a torn last line left by a crash, and repairs the log so later appends stay readable', async () => {
    const path = join(dir, FILE_HASH_CACHE_LOG);
    writeFileSync(path, '["a","1"]\n["b","2"]\n["c","3');
    const cache = new FileHashCache({ directory: dir });
    const report = await cache.open();
    expect(report).toMatchObject({ entries: 2, unreadable: 1, compacted: true });
    expect(await cache.getMany(['a', 'b', 'c'])).toEqual(['1', '2', null]);
    await cache.setMany([['c', '3']]);
    await cache.close();
    expect(logLines()).toEqual(['["a","1"]', '["b","2"]', '["c","3"]']);
    const reopened = new FileHashCache({ directory: dir });
    expect(await reopened.getMany(['a', 'b', 'c'])).toEqual(['1', '2', '3']);
    expect((await reopened.open()).unreadable).toBe(0);
    await reopened.close();
  });

  it('skips damaged lines in the middle of the log', async () => {
    writeFileSync(join(dir, FILE_HASH_CACHE_LOG), '["a","1"]\nnot json\n{"k":"v"}\n["b","2"]\n');
    const cache = new FileHashCache({ directory: dir });
    expect(await cache.getMany(['a', 'b'])).toEqual(['1', '2']);
    expect(await cache.open()).toMatchObject({ entries: 2, unreadable: 2 });
    await cache.close();
  });

  it('compacts on open when superseded lines outnumber live ones, keeping the latest values', async () => {
    const path = join(dir, FILE_HASH_CACHE_LOG);
    const lines: string[] = [];
    for (let round = 0; round < 5; round += 1) {
      for (let k = 0; k < 10; k += 1) lines.push(JSON.stringify([`key-${k}`, `round-${round}`]));
    }
    writeFileSync(path, `${lines.join('\n')}\n`);
    const cache = new FileHashCache({ directory: dir, compactMinSuperseded: 20 });
    expect(await cache.open()).toMatchObject({ entries: 10, lines: 50, superseded: 40, compacted: true });
    expect(await cache.getMany(['key-0', 'key-9'])).toEqual(['round-4', 'round-4']);
    await cache.close();
    expect(logLines()).toHaveLength(10);
    expect(logLines().every((line) => line.endsWith('"round-4"]'))).toBe(true);
    // No temporary file is left behind.
    expect(readdirSync(dir)).toEqual([FILE_HASH_CACHE_LOG]);
  });

  it('leaves a log with few superseded lines alone', async () => {
    writeFileSync(join(dir, FILE_HASH_CACHE_LOG), '["a","1"]\n["a","2"]\n["b","3"]\n');
    const cache = new FileHashCache({ directory: dir, compactMinSuperseded: 20 });
    expect(await cache.open()).toMatchObject({ entries: 2, superseded: 1, compacted: false });
    await cache.close();
    expect(logLines()).toHaveLength(3);
  });

  it('never interleaves partial lines when many setMany calls run at once', async () => {
    const cache = new FileHashCache({ directory: dir });
    const big = 'x'.repeat(5_000);
    await Promise.all(
      Array.from({ length: 40 }, (_, call) =>
        cache.setMany(Array.from({ length: 25 }, (_, i) => [`call-${call}-key-${i}`, `${big}-${call}-${i}`] as [string, string])),
      ),
    );
    await cache.close();
    const lines = logLines();
    expect(lines).toHaveLength(1_000);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const reopened = new FileHashCache({ directory: dir });
    expect(await reopened.getMany(['call-0-key-0', 'call-39-key-24'])).toEqual([`${big}-0-0`, `${big}-39-24`]);
    await reopened.close();
  });

  it('keeps lines whole when two caches (as two processes would) append to the same log', async () => {
    const a = new FileHashCache({ directory: dir });
    const b = new FileHashCache({ directory: dir });
    await Promise.all([a.open(), b.open()]);
    const big = 'y'.repeat(10_000);
    await Promise.all(
      Array.from({ length: 20 }, (_, call) =>
        (call % 2 === 0 ? a : b).setMany(Array.from({ length: 10 }, (_, i) => [`c${call}-k${i}`, `${big}${call}`] as [string, string])),
      ),
    );
    await Promise.all([a.close(), b.close()]);
    const lines = logLines();
    expect(lines).toHaveLength(200);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('degrades to memory, reporting instead of throwing, when the directory cannot be used', async () => {
    const blocker = join(dir, 'not-a-directory');
    writeFileSync(blocker, 'a file where the cache directory should be');
    const reasons: Array<[CacheDegradation, string]> = [];
    const cache = new FileHashCache({ directory: join(blocker, 'cache'), onDegraded: (reason, detail) => reasons.push([reason, detail]) });
    expect(await cache.getMany(['a'])).toEqual([null]);
    await cache.setMany([['a', '1']]);
    expect(await cache.getMany(['a'])).toEqual(['1']);
    await cache.close();
    expect(reasons).toHaveLength(1);
    expect(reasons[0]![0]).toBe('error');
  });

  it('does nothing for empty batches and tolerates a second close', async () => {
    const cache = new FileHashCache({ directory: dir });
    expect(await cache.getMany([])).toEqual([]);
    await cache.setMany([]);
    await cache.close();
    await cache.close();
  });

  it('reports a write after close instead of throwing', async () => {
    const reasons: CacheDegradation[] = [];
    const cache = new FileHashCache({ directory: dir, onDegraded: (reason) => reasons.push(reason) });
    await cache.setMany([['a', '1']]);
    await cache.close();
    await cache.setMany([['b', '2']]);
    expect(reasons).toEqual(['error']);
    expect(logLines()).toEqual(['["a","1"]']);
  });
});
