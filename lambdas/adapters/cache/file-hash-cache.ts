/**
 * The embedding-hash cache of the embedded default (no REDIS_URL): a file under the local data dir,
 * so hits survive between runs and processes (docs/DESIGN.md §2).
 *
 * Format: an append-only JSON Lines log, one `["key","hash"]` per line, later lines superseding
 * earlier ones. It is read once into a Map on first use; each `setMany` appends all its lines with a
 * single write to a file opened with O_APPEND, so a concurrent writer (another call here, or another
 * process on the same directory) never splits a line. A crash can leave a torn last line: it is
 * ignored on load. When the log holds at least as many superseded lines as live ones (and at least
 * `compactMinSuperseded`), or anything unreadable, it is rewritten on open — to a temporary file,
 * flushed, then renamed over the log — so a crash mid-compaction leaves the old log or the new one,
 * never a half-written one.
 *
 * Like the Redis cache it never throws: an I/O failure is reported through `onDegraded` and the
 * cache carries on in memory (reads miss, writes are lost).
 *
 * Caveat: a process that compacts while another appends can lose that other process's later
 * appends (they land in the replaced file). Lost entries are only misses: the chunks are embedded
 * again on the next run.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { CacheDegradation, EmbeddingHashCache } from '../../core/ports';
import { describeError } from '../../core/errors';

export interface FileHashCacheOptions {
  /** Directory for the log (created if missing), e.g. `<FA_DATA_DIR>/embedding-cache`. */
  directory: string;
  onDegraded?: (reason: CacheDegradation, detail: string) => void;
  /** Compaction needs at least this many superseded lines (and as many as live ones). Default 5,000. */
  compactMinSuperseded?: number;
}

/** What loading the log found; exposed for tests and diagnostics. */
export interface FileHashCacheLoadReport {
  entries: number;
  lines: number;
  superseded: number;
  /** Lines that were not a complete `[key, hash]` record (a torn tail after a crash, or damage). */
  unreadable: number;
  compacted: boolean;
}

export const FILE_HASH_CACHE_LOG = 'embedding-hashes.jsonl';

interface State {
  entries: Map<string, string>;
  /** Undefined when the log could not be opened: the cache then lives in memory only. */
  handle: FileHandle | undefined;
  report: FileHashCacheLoadReport;
}

function isRecord(value: unknown): value is [string, string] {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string';
}

export class FileHashCache implements EmbeddingHashCache {
  private readonly path: string;
  private readonly directory: string;
  private readonly compactMinSuperseded: number;
  private readonly onDegraded: (reason: CacheDegradation, detail: string) => void;
  private state: Promise<State> | undefined;
  /** Appends run one after another so this process never has two writes to the log in flight. */
  private writes: Promise<void> = Promise.resolve();
  private closed = false;

  /** No I/O here: the log is loaded by the first call (or by `open()`). */
  constructor(options: FileHashCacheOptions) {
    this.directory = options.directory;
    this.path = join(options.directory, FILE_HASH_CACHE_LOG);
    this.compactMinSuperseded = options.compactMinSuperseded ?? 5_000;
    const report = options.onDegraded ?? (() => undefined);
    this.onDegraded = (reason, detail) => {
      try {
        report(reason, detail);
      } catch {
        // A failing metrics hook must not turn a cache miss into a failed stock.
      }
    };
  }

  /** Load the log (once); later calls return the same report. */
  async open(): Promise<FileHashCacheLoadReport> {
    this.state ??= this.load();
    return (await this.state).report;
  }

  async getMany(keys: string[]): Promise<Array<string | null>> {
    this.state ??= this.load();
    const { entries } = await this.state;
    return keys.map((key) => entries.get(key) ?? null);
  }

  async setMany(entries: Array<[key: string, hash: string]>): Promise<void> {
    if (entries.length === 0) return;
    this.state ??= this.load();
    const state = await this.state;
    if (this.closed) {
      this.onDegraded('error', 'setMany: the cache is closed');
      return;
    }
    const changed = entries.filter(([key, hash]) => state.entries.get(key) !== hash);
    for (const [key, hash] of changed) state.entries.set(key, hash);
    if (changed.length === 0 || !state.handle) return;
    const handle = state.handle;
    const buffer = Buffer.from(changed.map((entry) => `${JSON.stringify(entry)}\n`).join(''), 'utf8');
    const write = this.writes.then(() => writeFully(handle, buffer));
    this.writes = write.catch(() => undefined);
    try {
      await write;
    } catch (error) {
      this.onDegraded('error', `setMany: appending to ${this.path} failed: ${describeError(error)}`);
    }
  }

  /** Wait for pending appends and close the log. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.state) return;
    const state = await this.state;
    await this.writes;
    if (!state.handle) return;
    try {
      await state.handle.close();
    } catch (error) {
      this.onDegraded('error', `close: ${describeError(error)}`);
    }
    state.handle = undefined;
  }

  private async load(): Promise<State> {
    const entries = new Map<string, string>();
    const report: FileHashCacheLoadReport = { entries: 0, lines: 0, superseded: 0, unreadable: 0, compacted: false };
    try {
      await mkdir(this.directory, { recursive: true });
      const text = await readFileIfExists(this.path);
      let tornTail = false;
      if (text !== undefined && text !== '') {
        const lines = text.split('\n');
        // The piece after the last newline is either empty or a line the writer never finished.
        const tail = lines.pop()!;
        tornTail = tail !== '';
        if (tornTail) report.unreadable += 1;
        for (const line of lines) {
          if (line === '') continue;
          let record: unknown;
          try {
            record = JSON.parse(line);
          } catch {
            record = undefined;
          }
          if (!isRecord(record)) {
            report.unreadable += 1;
            continue;
          }
          report.lines += 1;
          entries.set(record[0], record[1]);
        }
      }
      report.entries = entries.size;
      report.superseded = report.lines - entries.size;
      const bloated = report.superseded >= this.compactMinSuperseded && report.superseded >= entries.size;
      if (tornTail || report.unreadable > 0 || bloated) {
        await this.compact(entries);
        report.compacted = true;
      }
      const handle = await open(this.path, 'a');
      return { entries, handle, report: { ...report } };
    } catch (error) {
      this.onDegraded('error', `open: ${this.path} is unusable, caching in memory only: ${describeError(error)}`);
      return { entries, handle: undefined, report };
    }
  }

  /** Rewrite the log with only live entries: temp file, fsync, rename (atomic on POSIX). */
  private async compact(entries: Map<string, string>): Promise<void> {
    const temp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const handle = await open(temp, 'w');
      try {
        const lines = [...entries].map((entry) => `${JSON.stringify(entry)}\n`).join('');
        await writeFully(handle, Buffer.from(lines, 'utf8'));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
  }
}

async function readFileIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/** One write call in the normal case; loops only if the OS accepts part of the buffer. */
async function writeFully(handle: FileHandle, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
    offset += bytesWritten;
  }
}
