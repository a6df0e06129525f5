/**
 * EDGAR responses cached by URL with their validators (ETag, Last-Modified), so a re-run with
 * nothing changed downloads nothing: the client sends If-None-Match / If-Modified-Since and takes
 * the cached body on 304. A cache is an optimisation, never a dependency: the client treats every
 * cache error as a miss (read) or as nothing stored (write).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { z } from 'zod';

export interface CachedResponse {
  body: string;
  /** The `ETag` header EDGAR sent with the body, sent back as `If-None-Match`. */
  etag?: string;
  /** The `Last-Modified` header, sent back as `If-Modified-Since`. */
  lastModified?: string;
  /** Set (epoch ms) when EDGAR answered 404: the client remembers the absence for a while. */
  notFoundAt?: number;
}

/** Responses by full request URL. */
export interface EdgarResponseCache {
  get(url: string): Promise<CachedResponse | undefined>;
  put(url: string, response: CachedResponse): Promise<void>;
}

/** For one process (tests, a single Lambda invocation's warm container). */
export class MemoryResponseCache implements EdgarResponseCache {
  private readonly entries = new Map<string, CachedResponse>();

  get(url: string): Promise<CachedResponse | undefined> {
    return Promise.resolve(this.entries.get(url));
  }

  put(url: string, response: CachedResponse): Promise<void> {
    this.entries.set(url, { ...response });
    return Promise.resolve();
  }

  get size(): number {
    return this.entries.size;
  }
}

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

const CacheFileSchema = z.object({
  url: z.string(),
  body: z.string(),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  notFoundAt: z.number().optional(),
});

/**
 * One gzipped JSON file per URL in a folder (named by the URL's sha256, so any URL is a safe file
 * name; gzip because a 10-K's HTML is 1–2 MB and shrinks about tenfold), kept between runs: the local data dir, or /tmp in a Lambda. Writes go to a temporary file that is
 * renamed into place, so a crash or a concurrent writer never leaves a half-written entry; an
 * unreadable or foreign entry is a miss.
 */
export class FileResponseCache implements EdgarResponseCache {
  constructor(private readonly directory: string) {}

  async get(url: string): Promise<CachedResponse | undefined> {
    let raw: string;
    try {
      raw = (await gunzipAsync(await readFile(this.fileOf(url)))).toString('utf8');
    } catch {
      return undefined;
    }
    const parsed = CacheFileSchema.safeParse(safeJson(raw));
    if (!parsed.success || parsed.data.url !== url) return undefined;
    const { body, etag, lastModified, notFoundAt } = parsed.data;
    return {
      body,
      ...(etag !== undefined ? { etag } : {}),
      ...(lastModified !== undefined ? { lastModified } : {}),
      ...(notFoundAt !== undefined ? { notFoundAt } : {}),
    };
  }

  async put(url: string, response: CachedResponse): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const file = this.fileOf(url);
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temporary, await gzipAsync(JSON.stringify({ url, ...response })));
    await rename(temporary, file);
  }

  private fileOf(url: string): string {
    return join(this.directory, `${createHash('sha256').update(url).digest('hex')}.json.gz`);
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
