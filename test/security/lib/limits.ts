/**
 * Limits and hygiene of the served API: body size (413), question length (400), per-key rate limit
 * and per-address lockout after bad keys (429 with Retry-After), security headers on every response,
 * error bodies without stacks or paths, CORS preflight and HEAD /health without credentials, and HTML
 * in a question never echoed raw.
 */
import { ErrorResponseSchema, QUESTION_MAX_CHARS, MAX_BODY_BYTES } from '../../../lambdas/core/contracts/api';
import { ask, send } from './http';
import type { RawResponse } from './http';
import { PLANTED_TICKER } from './stack';

export interface CheckResult {
  checks: number;
  failures: string[];
}

export const REQUIRED_HEADERS: Record<string, RegExp> = {
  'x-content-type-options': /^nosniff$/,
  'cache-control': /no-store/,
  'strict-transport-security': /max-age=\d+/,
  'content-security-policy': /default-src 'none'/,
  'referrer-policy': /^no-referrer$/,
};

/** What a response must never show: a stack frame, a source path, a machine path. */
const LEAKS = /\bat [\w.<>]+ \(|\.ts:\d+|\.js:\d+|node_modules|\/home\/|\/tmp\/|\/work\/|[A-Z]:\\\\|Error: /;

/** Problems with one response's hygiene (headers, leaks, error shape); empty when clean. */
export function hygieneProblems(label: string, response: RawResponse): string[] {
  const problems: string[] = [];
  for (const [name, pattern] of Object.entries(REQUIRED_HEADERS)) {
    if (!pattern.test(response.headers[name] ?? '')) problems.push(`${label}: header ${name} is "${response.headers[name] ?? ''}"`);
  }
  if (response.status >= 400) {
    if (!ErrorResponseSchema.safeParse(response.json).success)
      problems.push(`${label}: ${response.status} body is not the error shape: ${response.text.slice(0, 160)}`);
    if (LEAKS.test(response.text))
      problems.push(`${label}: ${response.status} body leaks a stack or a path: ${response.text.slice(0, 160)}`);
  }
  return problems;
}

export async function checkLimits(
  url: string,
  keys: { fa: string; rateLimited: string },
  limits: { burst: number; badKeys: number },
): Promise<CheckResult> {
  const failures: string[] = [];
  let checks = 0;
  const expect = (ok: boolean, message: string) => {
    checks += 1;
    if (!ok) failures.push(message);
  };
  const hygiene = (label: string, r: RawResponse) => {
    checks += 1;
    failures.push(...hygieneProblems(label, r));
  };

  const big = await send(url, {
    method: 'POST',
    path: '/v1/query',
    headers: { 'x-api-key': keys.fa, 'content-type': 'application/json' },
    body: JSON.stringify({ question: 'x'.repeat(MAX_BODY_BYTES + 10) }),
  });
  expect(big.status === 413, `a body over ${MAX_BODY_BYTES} bytes got ${big.status}, not 413`);
  hygiene('413', big);

  const long = await ask(url, keys.fa, { question: `What drove ${PLANTED_TICKER} revenue? ${'a'.repeat(QUESTION_MAX_CHARS)}` });
  expect(long.status === 400, `a question over ${QUESTION_MAX_CHARS} characters got ${long.status}, not 400`);
  hygiene('400 long question', long);

  const longPath = await send(url, { method: 'GET', path: `/${'a'.repeat(10_000)}`, headers: { 'x-api-key': keys.fa } });
  expect([400, 404, 414].includes(longPath.status), `a 10,000-character path got ${longPath.status}`);
  expect(!/not an API Gateway proxy request/.test(longPath.text), 'a 10,000-character path is answered as a malformed event');
  hygiene('long path', longPath);

  // Per-key rate limit: the burst goes through, the next request is refused with Retry-After.
  const statuses: RawResponse[] = [];
  for (let i = 0; i < limits.burst + 2; i += 1)
    statuses.push(await send(url, { method: 'GET', path: '/openapi.json', headers: { 'x-api-key': keys.rateLimited } }));
  const limited = statuses.find((r) => r.status === 429);
  expect(
    statuses.slice(0, limits.burst).every((r) => r.status === 200),
    'requests within the burst were refused',
  );
  expect(limited !== undefined, `${limits.burst + 2} requests at once on one key were never refused with 429`);
  if (limited) {
    expect(
      /^\d+$/.test(limited.headers['retry-after'] ?? '') && Number(limited.headers['retry-after']) >= 1,
      '429 without a Retry-After in seconds',
    );
    hygiene('429 rate limit', limited);
  }
  // Another key is not slowed by the first one's limit.
  const other = await send(url, { method: 'GET', path: '/openapi.json', headers: { 'x-api-key': keys.fa } });
  expect(other.status === 200, `another key got ${other.status} while the first was rate limited`);

  // CORS preflight and HEAD /health need no credentials.
  const preflight = await send(url, {
    method: 'OPTIONS',
    path: '/v1/query',
    headers: { origin: 'https://fa-tool.example', 'access-control-request-method': 'POST' },
  });
  expect(preflight.status === 204, `OPTIONS got ${preflight.status}, not 204`);
  expect(/x-api-key/.test(preflight.headers['access-control-allow-headers'] ?? ''), 'preflight does not allow the x-api-key header');
  expect(/POST/.test(preflight.headers['access-control-allow-methods'] ?? ''), 'preflight does not allow POST');
  hygiene('OPTIONS', preflight);
  const head = await send(url, { method: 'HEAD', path: '/health' });
  expect(head.status === 200 && head.text === '', `HEAD /health got ${head.status} with ${head.text.length} body bytes`);
  hygiene('HEAD /health', head);

  // HTML in a question is neither stored nor echoed as markup.
  const html = await ask(url, keys.fa, {
    question: `<script>alert(1)</script><img src=x onerror=alert(2)> What drove ${PLANTED_TICKER} revenue?`,
  });
  expect(html.status === 200, `a question with HTML got ${html.status}: ${html.text.slice(0, 160)}`);
  expect(!/<script|<img|onerror=alert\(2\)>/i.test(html.text), 'the answer echoes the HTML of the question');
  const sessionId = (html.json as { sessionId?: string } | undefined)?.sessionId;
  if (sessionId) {
    const session = await send(url, { method: 'GET', path: `/v1/sessions/${sessionId}`, headers: { 'x-api-key': keys.fa } });
    expect(session.status === 200 && !/<script|<img/i.test(session.text), 'the stored session holds the HTML of the question');
  }

  // Lockout: repeated bad keys from one address are refused outright, with Retry-After, even with a good key after.
  let lockedOut: RawResponse | undefined;
  for (let i = 0; i < limits.badKeys + 1; i += 1) {
    const r = await send(url, { method: 'GET', path: '/openapi.json', headers: { 'x-api-key': `faak_guess_${i}` } });
    if (r.status === 429) lockedOut = r;
  }
  expect(lockedOut !== undefined, `${limits.badKeys + 1} bad keys from one address were never locked out`);
  const afterLock = await send(url, { method: 'GET', path: '/openapi.json', headers: { 'x-api-key': keys.fa } });
  expect(afterLock.status === 429 && /^\d+$/.test(afterLock.headers['retry-after'] ?? ''), `a locked-out address got ${afterLock.status}`);
  hygiene('429 lockout', afterLock);
  const health = await send(url, { method: 'GET', path: '/health' });
  expect(health.status === 200, 'the health check is refused during a lockout');
  hygiene('health', health);
  return { checks, failures };
}
