/**
 * A loopback stand-in for SEC EDGAR's two hosts, serving a folder that mirrors their URL paths:
 *
 *   DIR/submissions/CIK##########.json                  (data.sec.gov)
 *   DIR/api/xbrl/companyfacts/CIK##########.json        (data.sec.gov)
 *   DIR/Archives/edgar/data/<cik>/<accession>/<file>    (www.sec.gov; accession without dashes)
 *
 * The paths of the two hosts never collide, so one base URL serves both (the client's `baseUrl`).
 * It behaves as SEC does where our client's policy depends on it: a request without a User-Agent
 * is refused with 403; more than `ratePerSecond` requests in any 1-second window are answered 429;
 * every file carries a strong ETag and a Last-Modified and a matching If-None-Match or
 * If-Modified-Since is answered 304; a missing file is 404; content types follow the file type.
 * A filing folder's `index.json` is generated from the folder when the file itself is absent.
 * For tests it can answer 429 to the first N requests or to every k-th, and it counts every
 * request by path and status (`stats()`, or `GET /__replay/stats`, which is itself not counted).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

export interface EdgarReplayOptions {
  /** The folder that mirrors EDGAR's URL paths. */
  dir: string;
  /** Port on 127.0.0.1; default 0 (any free port). */
  port?: number;
  /** Requests admitted per sliding 1-second window before 429; default 10 (SEC's limit); 0 turns the limit off. */
  ratePerSecond?: number;
  /** Answer 429 to the first this many requests (after the User-Agent check). */
  inject429First?: number;
  /** Answer 429 to every k-th request (the k-th, 2k-th, …). */
  inject429Every?: number;
  /** Sent as `Retry-After` with every 429; default none, as SEC often sends none. */
  retryAfterSeconds?: number;
  /** Monotonic milliseconds for the rate window; default `performance.now`. */
  now?: () => number;
}

export interface EdgarReplayStats {
  /** Every request except the stats endpoint's own. */
  requests: number;
  /** Requests by status, e.g. `{ "200": 3, "304": 2, "429": 1 }`. */
  byStatus: Record<string, number>;
  /** Requests by URL path, each by status. */
  byPath: Record<string, Record<string, number>>;
}

export interface EdgarReplay {
  /** `http://127.0.0.1:<port>`: the one base URL for both hosts. */
  url: string;
  stats(): EdgarReplayStats;
  /** Forget the counts (between the runs a test compares). */
  resetStats(): void;
  close(): Promise<void>;
}

const STATS_PATH = '/__replay/stats';

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.htm': 'text/html',
  '.html': 'text/html',
  '.txt': 'text/plain',
  '.xml': 'application/xml',
  '.xsd': 'application/xml',
  '.pdf': 'application/pdf',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.png': 'image/png',
  '.zip': 'application/zip',
};

/** SEC's answer to an undeclared client, shortened. */
const UNDECLARED_AGENT_PAGE =
  '<html><body><h1>Your Request Originates from an Undeclared Automated Tool</h1>' +
  '<p>Please declare your traffic by updating your user agent to include company specific information.</p></body></html>';

const TOO_MANY_REQUESTS_PAGE =
  '<html><body><h1>Request Rate Threshold Exceeded</h1>' +
  '<p>To allow for equitable access to all users, SEC reserves the right to limit requests originating from a single IP address.</p></body></html>';

interface Representation {
  body: Buffer;
  etag: string;
  lastModified: string;
  /** Whole seconds, as HTTP dates carry them. */
  modifiedSeconds: number;
  contentType: string;
}

class RequestCounter {
  private counts: EdgarReplayStats = { requests: 0, byStatus: {}, byPath: {} };

  record(path: string, status: number): void {
    const key = String(status);
    this.counts.requests += 1;
    this.counts.byStatus[key] = (this.counts.byStatus[key] ?? 0) + 1;
    const perPath = (this.counts.byPath[path] ??= {});
    perPath[key] = (perPath[key] ?? 0) + 1;
  }

  snapshot(): EdgarReplayStats {
    return structuredClone(this.counts);
  }

  reset(): void {
    this.counts = { requests: 0, byStatus: {}, byPath: {} };
  }
}

/** Admits at most `limit` requests in any sliding 1-second window. */
class SlidingWindow {
  private admitted: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly now: () => number,
  ) {}

  tryAdmit(): boolean {
    if (this.limit <= 0) return true;
    const now = this.now();
    this.admitted = this.admitted.filter((at) => now - at < 1000);
    if (this.admitted.length >= this.limit) return false;
    this.admitted.push(now);
    return true;
  }
}

/** The file under `dir` for a URL path, or undefined for a path that tries to leave it. */
function fileOf(dir: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = normalize(decoded).replace(/^[/\\]+/, '');
  if (relative === '' || relative.split(sep).includes('..')) return undefined;
  return join(dir, relative);
}

function representationOf(body: Buffer, modified: Date, contentType: string): Representation {
  const modifiedSeconds = Math.floor(modified.getTime() / 1000);
  return {
    body,
    etag: `"${createHash('sha1').update(body).digest('hex')}"`,
    lastModified: new Date(modifiedSeconds * 1000).toUTCString(),
    modifiedSeconds,
    contentType,
  };
}

/** EDGAR's directory listing JSON for a filing folder, from the files in it. */
async function folderIndexOf(folder: string, urlFolder: string): Promise<Representation | undefined> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    const info = await stat(folder);
    const item = await Promise.all(
      entries.map(async (entry) => {
        const entryStat = await stat(join(folder, entry.name));
        return {
          'last-modified': entryStat.mtime.toISOString().replace('T', ' ').slice(0, 19),
          name: entry.name,
          type: entry.isDirectory() ? 'folder.gif' : 'text.gif',
          size: entry.isDirectory() ? '' : String(entryStat.size),
        };
      }),
    );
    const listing = { directory: { item, name: urlFolder, 'parent-dir': urlFolder.replace(/\/[^/]+\/?$/, '/') } };
    return representationOf(Buffer.from(JSON.stringify(listing)), info.mtime, 'application/json');
  } catch {
    return undefined;
  }
}

async function representationAt(dir: string, pathname: string): Promise<Representation | undefined> {
  const file = fileOf(dir, pathname);
  if (!file) return undefined;
  try {
    const info = await stat(file);
    if (!info.isFile()) return undefined;
    const contentType = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    return representationOf(await readFile(file), info.mtime, contentType);
  } catch {
    if (pathname.startsWith('/Archives/') && pathname.endsWith('/index.json')) {
      return folderIndexOf(file.slice(0, -'/index.json'.length), pathname.slice(0, -'index.json'.length));
    }
    return undefined;
  }
}

/** Does a conditional request already hold this representation? If-None-Match wins over If-Modified-Since. */
function isNotModified(req: IncomingMessage, representation: Representation): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    const tags = ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(representation.etag);
  }
  const ifModifiedSince = req.headers['if-modified-since'];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && representation.modifiedSeconds <= Math.floor(since / 1000);
}

function hasUserAgent(req: IncomingMessage): boolean {
  return (req.headers['user-agent'] ?? '').trim() !== '';
}

/** Start the replay server on 127.0.0.1. */
export async function startEdgarReplay(options: EdgarReplayOptions): Promise<EdgarReplay> {
  const counter = new RequestCounter();
  const window = new SlidingWindow(options.ratePerSecond ?? 10, options.now ?? (() => performance.now()));
  let sequence = 0;

  const isInjected429 = (n: number): boolean =>
    n <= (options.inject429First ?? 0) ||
    (options.inject429Every !== undefined && options.inject429Every > 0 && n % options.inject429Every === 0);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://replay').pathname;
    if (pathname === STATS_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(counter.snapshot()));
      return;
    }
    const send = (status: number, headers: Record<string, string | number>, body?: Buffer | string): void => {
      counter.record(pathname, status);
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { allow: 'GET, HEAD' });
    if (!hasUserAgent(req)) return send(403, { 'content-type': 'text/html' }, UNDECLARED_AGENT_PAGE);
    sequence += 1;
    if (isInjected429(sequence) || !window.tryAdmit()) {
      const headers: Record<string, string | number> = { 'content-type': 'text/html' };
      if (options.retryAfterSeconds !== undefined) headers['retry-after'] = options.retryAfterSeconds;
      return send(429, headers, TOO_MANY_REQUESTS_PAGE);
    }
    const representation = await representationAt(options.dir, pathname);
    if (!representation) return send(404, { 'content-type': 'text/html' }, '<html><body><h1>File Not Found</h1></body></html>');
    const validators = { etag: representation.etag, 'last-modified': representation.lastModified };
    if (isNotModified(req, representation)) return send(304, validators);
    send(
      200,
      { ...validators, 'content-type': representation.contentType, 'content-length': representation.body.length },
      representation.body,
    );
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => counter.snapshot(),
    resetStats: () => counter.reset(),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Requests under `/Archives/` in a stats snapshot, all statuses together. */
export function archiveRequestsOf(stats: EdgarReplayStats): number {
  return Object.entries(stats.byPath)
    .filter(([path]) => path.startsWith('/Archives/'))
    .reduce((sum, [, byStatus]) => sum + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
}
