/**
 * The golden checks the pre-traffic hook runs against a new version before it gets traffic
 * (lambdas/core/contracts/golden-checks.ts is their contract; the pre-traffic hook runs them).
 */
import type { GoldenCheck } from '../lambdas/core/contracts/golden-checks';

/** The run id of golden stock runs: their audit records are recognisable and never a real run's. */
export const GOLDEN_RUN_ID = 'pre-traffic-check';

/**
 * Stock processor: a malformed item must be rejected by name (the bundle loads, validation works);
 * with a golden stock configured, one real stock goes through the whole pipeline at a fixed past
 * as-of date (so the LATEST summary, which only moves forward, is never replaced by it).
 */
export function stockProcessorGoldenChecks(goldenStock?: { ticker: string; asOf: string }): GoldenCheck[] {
  const checks: GoldenCheck[] = [
    { name: 'rejects a malformed stock item', event: { runId: GOLDEN_RUN_ID }, expect: { errorType: 'InputValidationError' } },
  ];
  if (goldenStock) {
    checks.push({
      name: `processes golden stock ${goldenStock.ticker} as of ${goldenStock.asOf}`,
      event: { runId: GOLDEN_RUN_ID, asOf: goldenStock.asOf, ticker: goldenStock.ticker },
      expect: { fieldOneOf: { ticker: [goldenStock.ticker], status: ['verified', 'regenerated', 'facts_only'] } },
    });
  }
  return checks;
}

/** An API Gateway REST proxy event as the query alias receives it, from a synthetic FA. */
function proxyEvent(method: 'GET' | 'POST', path: string, body?: unknown): Record<string, unknown> {
  return {
    resource: path,
    path,
    httpMethod: method,
    headers: { 'content-type': 'application/json' },
    queryStringParameters: null,
    pathParameters: null,
    isBase64Encoded: false,
    body: body === undefined ? null : JSON.stringify(body),
    requestContext: {
      requestId: 'pre-traffic-check',
      stage: 'live',
      httpMethod: method,
      resourcePath: path,
      identity: { sourceIp: '127.0.0.1', apiKeyId: 'pre-traffic-check' },
      authorizer: { claims: { sub: 'pre-traffic-check', 'cognito:username': 'pre-traffic-check' } },
    },
  };
}

/**
 * Query API: a golden question must come back 200 with citations, and an empty question must be
 * refused with 400 (validation at the edge). The golden question names the golden stock when one is
 * configured.
 */
export function queryGoldenChecks(goldenStock?: { ticker: string }): GoldenCheck[] {
  // Without a golden stock the question names no ticker; the handler must still answer it with citations.
  const question = goldenStock
    ? `What drove ${goldenStock.ticker}'s most recent quarter?`
    : 'Which covered stocks had new filings this week?';
  return [
    {
      name: 'answers a golden question with citations',
      event: proxyEvent('POST', '/v1/query', { question, sessionId: 'pre-traffic-check' }),
      expect: { statusCode: 200, bodyIncludes: ['"citations"'], grounded: true },
    },
    {
      name: 'refuses an empty question',
      event: proxyEvent('POST', '/v1/query', { question: '' }),
      expect: { statusCode: 400 },
    },
  ];
}
