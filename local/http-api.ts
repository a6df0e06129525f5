/**
 * The local stand-in for API Gateway (docs/DESIGN.md §2): an HTTP server on 127.0.0.1 that turns each request
 * into a REST proxy event for the same Lambda handler that runs in AWS. Like API Gateway it
 * authenticates before the handler runs — here with an API key checked against the local key store
 * — and hands the FA's identity to the handler only through the authorizer context, shaped as
 * Cognito's (`requestContext.authorizer.claims.sub`). The key itself never reaches the handler.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { MAX_PATH_CHARS, OPERATOR_GROUP, SECURITY_HEADERS } from '../lambdas/core/contracts/api';
import { BadKeyLockout, TokenBuckets } from './rate-limit';
import type { LockoutOptions, RateLimitOptions } from './rate-limit';

export interface LocalIdentity {
  faId: string;
  keyId: string;
  role: 'fa' | 'operator';
}

export type LocalAuthentication = LocalIdentity | 'missing' | 'invalid';

export interface HttpApiOptions {
  /** 0 picks a free port. */
  port: number;
  handler: (event: unknown) => Promise<APIGatewayProxyResult>;
  authenticate: (apiKey: string | undefined) => LocalAuthentication;
  /** Paths served without authentication (API Gateway methods with no authorizer). */
  publicPaths: readonly string[];
  /** Larger bodies are refused with 413 before the handler runs. */
  maxBodyBytes: number;
  stage?: string;
  /** The FA console (local/console-site.ts): paths it handles are served without the key check, like the public site in AWS. */
  site?: {
    handles(method: string, path: string): boolean;
    serve(method: string, path: string, body: string): { status: number; headers: Record<string, string>; body: Buffer };
  };
  /** Requests per API key (API Gateway's usage plan throttle); none when absent. */
  rateLimit?: RateLimitOptions;
  /** Refusal of a source address after repeated bad keys (WAF's rate rule); none when absent. */
  lockout?: LockoutOptions;
  /** Origins a browser may call from (CORS preflight answers name them). */
  corsOrigins?: readonly string[];
  /** Epoch milliseconds (tests move time on). */
  now?: () => number;
}

export interface HttpApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    ...SECURITY_HEADERS,
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function gatewayError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  reply(res, status, { error: { code, message }, requestId }, { 'x-request-id': requestId, ...headers });
}

/** The path of a request target, or undefined when it cannot be parsed as one. */
function pathOf(target: string): string | undefined {
  try {
    return new URL(target, 'http://127.0.0.1').pathname.replace(/(.)\/+$/, '$1');
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | 'too_large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return 'too_large';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) return 'too_large';
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Build the REST proxy event API Gateway would send for this request. */
export function proxyEventOf(
  req: IncomingMessage,
  body: string,
  identity: LocalIdentity | undefined,
  requestId: string,
  stage: string,
): Record<string, unknown> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'x-api-key' || name === 'authorization' || value === undefined) continue; // secrets stay at the gateway
    const values = Array.isArray(value) ? value : [value];
    headers[name] = values.join(',');
    multiValueHeaders[name] = values;
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] ??= value;
    (multiQuery[name] ??= []).push(value);
  }
  const hasQuery = Object.keys(query).length > 0;
  const method = (req.method ?? 'GET').toUpperCase();
  return {
    resource: url.pathname,
    path: url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: null,
    stageVariables: null,
    body: body === '' ? null : body,
    isBase64Encoded: false,
    requestContext: {
      requestId,
      stage,
      httpMethod: method,
      path: `/${stage}${url.pathname}`,
      resourcePath: url.pathname,
      requestTimeEpoch: Date.now(),
      identity: {
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: req.headers['user-agent'] ?? null,
        apiKeyId: identity?.keyId ?? null,
      },
      // Shaped as a Cognito user pool authorizer's claims: operators are members of the operators group.
      ...(identity
        ? { authorizer: { claims: { sub: identity.faId, ...(identity.role === 'operator' ? { 'cognito:groups': OPERATOR_GROUP } : {}) } } }
        : {}),
    },
  };
}

/** Start the local API on 127.0.0.1. */
export async function startHttpApi(options: HttpApiOptions): Promise<HttpApi> {
  const stage = options.stage ?? 'local';
  const now = options.now ?? Date.now;
  const buckets = options.rateLimit ? new TokenBuckets(options.rateLimit, now) : undefined;
  const lockout = options.lockout ? new BadKeyLockout(options.lockout, now) : undefined;
  const server = createServer((req, res) => {
    void (async () => {
      const requestId = randomUUID();
      try {
        const target = req.url ?? '/';
        if (target.length > MAX_PATH_CHARS) {
          req.resume();
          return gatewayError(res, 414, 'uri_too_long', `the request path is longer than ${MAX_PATH_CHARS} characters`, requestId);
        }
        const path = pathOf(target);
        if (path === undefined) {
          req.resume();
          return gatewayError(res, 400, 'invalid_request', 'the request target is not a valid path', requestId);
        }
        const method = (req.method ?? 'GET').toUpperCase();
        if (options.site?.handles(method, path)) {
          const body = await readBody(req, options.maxBodyBytes);
          if (body === 'too_large') {
            gatewayError(res, 413, 'payload_too_large', `the request body is larger than ${options.maxBodyBytes} bytes`, requestId);
            req.destroy();
            return;
          }
          const page = options.site.serve(method, path, body);
          res.writeHead(page.status, { ...page.headers, 'content-length': page.body.length, 'x-request-id': requestId });
          res.end(method === 'HEAD' ? undefined : page.body);
          return;
        }
        // CORS preflight: browsers send it without credentials, so it is answered before authentication.
        if (method === 'OPTIONS') {
          req.resume();
          const origin = req.headers.origin;
          res.writeHead(204, {
            ...SECURITY_HEADERS,
            'access-control-allow-methods': 'GET, POST, HEAD, OPTIONS',
            'access-control-allow-headers': 'content-type, x-api-key, authorization',
            'access-control-max-age': '600',
            ...(origin && options.corsOrigins?.includes(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {}),
            'x-request-id': requestId,
          });
          return res.end();
        }
        let identity: LocalIdentity | undefined;
        if (!options.publicPaths.includes(path)) {
          const source = req.socket.remoteAddress ?? 'unknown';
          const locked = lockout?.retryAfterSeconds(source);
          if (locked) {
            req.resume();
            return gatewayError(res, 429, 'rate_limited', 'too many invalid API keys from this address; wait and retry', requestId, {
              'retry-after': String(locked),
            });
          }
          const header = req.headers['x-api-key'];
          const auth = options.authenticate(Array.isArray(header) ? header[0] : header);
          if (auth === 'missing') {
            req.resume();
            return gatewayError(res, 401, 'unauthorized', 'authentication required: send your API key in the x-api-key header', requestId);
          }
          if (auth === 'invalid') {
            req.resume();
            lockout?.recordFailure(source);
            return gatewayError(res, 403, 'forbidden', 'the API key is not valid', requestId);
          }
          const wait = buckets?.take(auth.keyId);
          if (wait) {
            req.resume();
            return gatewayError(res, 429, 'rate_limited', 'too many requests for this API key; slow down and retry', requestId, {
              'retry-after': String(wait),
            });
          }
          identity = auth;
        }
        const body = await readBody(req, options.maxBodyBytes);
        if (body === 'too_large') {
          gatewayError(res, 413, 'payload_too_large', `the request body is larger than ${options.maxBodyBytes} bytes`, requestId);
          req.destroy();
          return;
        }
        const result = await options.handler(proxyEventOf(req, body, identity, requestId, stage));
        const headers: Record<string, string> = { ...SECURITY_HEADERS };
        for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
        const text = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body, 'utf8');
        res.writeHead(result.statusCode, { ...headers, 'content-length': text.length });
        // Node sends no body for HEAD on its own; the length says what GET would return.
        res.end(text);
      } catch {
        // What API Gateway answers when the integration fails.
        if (!res.headersSent) gatewayError(res, 502, 'internal_error', 'the query function failed', requestId);
        else res.destroy();
      }
    })();
  });
  // Keep-alive longer than clients' idle time, so load tests and FA tools reuse connections.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
