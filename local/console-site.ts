/**
 * The FA console served by the local API (npm run serve): the built bundle (web/dist) as static
 * files with a strict Content-Security-Policy — the same headers CloudFront's response-headers
 * policy sets in AWS (lib/constructs/web-console.ts) — the console's run-time config, and the
 * local-only dev sign-in that mints an API key for an FA id and role. Static files and the config
 * need no key, like the public site in AWS; everything under /v1 stays behind the key check.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { z } from 'zod';
import { CONSOLE_CSP } from '../lib/console-headers';
import type { ApiKeyRole } from './api-keys';

export const WEB_DIST = resolve('web/dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Headers of every console response (static files and the config). */
export const SITE_HEADERS: Record<string, string> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

export interface SiteResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Paths the site answers, leaving /v1, /health and /openapi.json to the API. */
export function isSitePath(method: string, path: string): boolean {
  if (method !== 'GET' && method !== 'HEAD' && !(method === 'POST' && path === '/dev/sign-in')) return false;
  return !path.startsWith('/v1/') && path !== '/v1' && path !== '/health' && path !== '/openapi.json';
}

const json = (status: number, value: unknown): SiteResponse => ({
  status,
  headers: { ...SITE_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: Buffer.from(JSON.stringify(value)),
});

const SignInSchema = z.strictObject({
  faId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$/, 'must be 1–64 letters, digits or . _ : @ -'),
  role: z.enum(['fa', 'operator']).default('fa'),
});

export interface ConsoleSiteOptions {
  dir: string;
  stage: string;
  /** Mints a key for the dev sign-in; only ever given on the local stage. */
  mintKey?: (faId: string, role: ApiKeyRole) => string;
}

/** A file of the bundle, or index.html for the console's own routes (#/… and paths without an extension). */
function staticFile(dir: string, path: string): SiteResponse {
  const root = resolve(dir);
  const wanted = normalize(join(root, decodeURIComponent(path)));
  if (wanted !== root && !wanted.startsWith(root + sep)) return json(404, { error: { code: 'not_found', message: 'no such file' } });
  let file = wanted;
  if (!existsSync(file) || statSync(file).isDirectory()) {
    if (extname(path) !== '') return json(404, { error: { code: 'not_found', message: 'no such file' } });
    file = join(root, 'index.html');
  }
  if (!existsSync(file)) return json(503, { error: { code: 'not_found', message: 'the console is not built: npm run build:web' } });
  const immutable = file.includes(`${sep}assets${sep}`);
  return {
    status: 200,
    headers: {
      ...SITE_HEADERS,
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      // Hashed asset names never change content; index.html must be re-read to pick up a new build.
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    },
    body: readFileSync(file),
  };
}

export function createConsoleSite(options: ConsoleSiteOptions): (method: string, path: string, body: string) => SiteResponse {
  return (method, path, body) => {
    if (path === '/config.json')
      return json(200, { stage: options.stage, auth: options.stage === 'local' && options.mintKey ? { mode: 'dev' } : { mode: 'none' } });
    if (path === '/dev/sign-in') {
      // Refused everywhere but the local stage: in AWS the console signs in through Cognito only.
      if (method !== 'POST') return json(405, { error: { code: 'method_not_allowed', message: 'use POST here' } });
      if (options.stage !== 'local' || !options.mintKey)
        return json(403, { error: { code: 'forbidden', message: 'dev sign-in exists only on the local stage' } });
      let input: unknown;
      try {
        input = JSON.parse(body || '{}');
      } catch {
        return json(400, { error: { code: 'invalid_json', message: 'the request body is not valid JSON' } });
      }
      const parsed = SignInSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return json(400, { error: { code: 'invalid_request', message: `${issue.path.join('.') || 'body'}: ${issue.message}` } });
      }
      return json(200, { faId: parsed.data.faId, role: parsed.data.role, apiKey: options.mintKey(parsed.data.faId, parsed.data.role) });
    }
    return staticFile(options.dir, path);
  };
}
