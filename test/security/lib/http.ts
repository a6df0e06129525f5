/**
 * A raw HTTP client for the security checks: node:http, so a request can carry exactly the bytes a
 * hostile client would (invalid UTF-8, a 10,000-character path, odd methods) with no normalising.
 */
import { request as httpRequest } from 'node:http';

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON, or undefined. */
  json: unknown;
  ms: number;
}

export function send(baseUrl: string, req: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...req.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: res.statusCode ?? 0, headers, text, json, ms: performance.now() - started });
        });
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.setTimeout(60_000, () => r.destroy(new Error(`no answer to ${req.method} ${req.path.slice(0, 80)} in 60 s`)));
    if (body) r.write(body);
    r.end();
  });
}

/** POST /v1/query as an FA. */
export function ask(baseUrl: string, apiKey: string, body: Record<string, unknown>): Promise<RawResponse> {
  return send(baseUrl, {
    method: 'POST',
    path: '/v1/query',
    headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
