/**
 * The FA query API: one Lambda handler for API Gateway REST proxy events (the local server,
 * local/http-api.ts, builds the same events). Thin: identity from the authorizer, zod at the edge,
 * one core call per route, results and errors mapped to HTTP with reason codes.
 *
 * Routes: POST /v1/query · GET /v1/stocks/{ticker}/summary · GET /v1/sessions/{id} · GET /health ·
 * GET /openapi.json. Every route but /health needs an FA identity, which comes only from the
 * authorizer context — Cognito's `claims.sub` in AWS, the local key store's FA id locally — never
 * from the request. Bad input is always a 4xx with a reason, never a 5xx.
 *
 * Logs and metrics carry no question text: only the redacted question ever leaves the core, and it
 * is returned to its FA and stored in their session, never logged.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';
import { answerQuery } from '../core/query/query-service';
import type { QueryTelemetry } from '../core/query/query-service';
import { sessionView, summaryView } from '../core/query/views';
import {
  API_VERSION,
  MAX_BODY_BYTES,
  MAX_PATH_CHARS,
  openApiDocument,
  OPERATOR_GROUP,
  QueryRequestSchema,
  SECURITY_HEADERS,
  SessionIdSchema,
  SummaryQuerySchema,
  TickerParamSchema,
  StockSearchQuerySchema,
  OpsRangeQuerySchema,
  RunIdParamSchema,
  MAX_RANGE_DAYS,
} from '../core/contracts/api';
import { costOf, listRuns, qualityOf, runDetail } from '../core/operations/service';
import type { DateRange } from '../core/operations/runs';
import type { ErrorCode } from '../core/contracts/api';
import { describeError } from '../core/errors';
import { firstIssue } from '../core/validation';
import type { QueryApiDeps } from '../wiring/query';
import { logger, metrics, MetricUnit, tracer } from '../wiring/telemetry';
import { createRouter } from './http/router';

export type { QueryApiDeps };

/** An FA id as Cognito (`sub`, a UUID) or the local key store issues them. */
const FaIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/);

const StringMap = z.record(z.string(), z.string().nullable().optional()).nullable().optional();

// Only the parts of the proxy event the handler reads; anything else is ignored.
const ProxyEventSchema = z.object({
  httpMethod: z.string().min(1).max(16),
  path: z.string(),
  headers: StringMap,
  queryStringParameters: StringMap,
  body: z.string().nullable().optional(),
  isBase64Encoded: z.boolean().nullable().optional(),
  requestContext: z
    .object({
      requestId: z.string().optional(),
      authorizer: z
        .object({
          claims: z.object({ sub: z.unknown().optional(), 'cognito:groups': z.unknown().optional() }).loose().nullable().optional(),
          faId: z.unknown().optional(),
          principalId: z.unknown().optional(),
        })
        .loose()
        .nullable()
        .optional(),
    })
    .loose()
    .nullable()
    .optional(),
});
type ProxyEvent = z.infer<typeof ProxyEventSchema>;

interface Response {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The routes of the OpenAPI document (core/contracts/api.ts), by the same path templates. */
const routeOf = createRouter([
  { name: 'query', method: 'POST', path: '/v1/query' },
  { name: 'summary', method: 'GET', path: '/v1/stocks/{ticker}/summary' },
  { name: 'session', method: 'GET', path: '/v1/sessions/{id}' },
  { name: 'searchStocks', method: 'GET', path: '/v1/stocks' },
  { name: 'opsRuns', method: 'GET', path: '/v1/ops/runs' },
  { name: 'opsRun', method: 'GET', path: '/v1/ops/runs/{id}' },
  { name: 'opsCost', method: 'GET', path: '/v1/ops/cost' },
  { name: 'opsQuality', method: 'GET', path: '/v1/ops/quality' },
  { name: 'health', method: 'GET', path: '/health' },
  { name: 'openapi', method: 'GET', path: '/openapi.json' },
]);

function header(event: ProxyEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name && typeof value === 'string') return value;
  return undefined;
}

function error(
  status: number,
  code: ErrorCode,
  message: string,
  extra: { rule?: string; field?: string; headers?: Record<string, string> } = {},
): Response {
  const { headers, ...details } = extra;
  return { status, body: { error: { code, message: message.split('\n')[0]!.slice(0, 500), ...details } }, headers };
}

interface Caller {
  faId: string;
  /** A member of the Cognito operators group (locally: an operator key), who may read the operator routes. */
  operator: boolean;
}

/**
 * Cognito's groups claim as API Gateway hands it over: a REST authorizer passes `"a,b"`, an HTTP API
 * JWT authorizer `"[a b]"`, a direct invocation may pass an array.
 */
function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === 'string');
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[,\s]+/)
    .filter(Boolean);
}

/** The FA behind the request, from the authorizer context only. */
function identityOf(event: ProxyEvent): Caller | { status: 401 | 403 } {
  const authorizer = event.requestContext?.authorizer;
  const candidate = authorizer?.claims?.sub ?? authorizer?.faId ?? authorizer?.principalId;
  if (candidate === undefined || candidate === null || candidate === '') return { status: 401 };
  const parsed = FaIdSchema.safeParse(candidate);
  if (!parsed.success) return { status: 403 };
  return { faId: parsed.data, operator: groupsOf(authorizer?.claims?.['cognito:groups']).includes(OPERATOR_GROUP) };
}

/** A 400 naming the first invalid field. */
function invalid(zodError: z.ZodError, field?: string): Response {
  const { path, message } = firstIssue(zodError);
  const where = field ?? path;
  return error(400, 'invalid_request', where ? `${where}: ${message}` : message, where ? { field: where } : {});
}

function queryOf(event: ProxyEvent): Record<string, string> {
  return Object.fromEntries(
    Object.entries(event.queryStringParameters ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

const DEFAULT_RANGE_DAYS = 30;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The operator routes' date range: defaults to the 30 days up to today, at most MAX_RANGE_DAYS long. */
function rangeOf(event: ProxyEvent, now: number): DateRange | Response {
  const parsed = OpsRangeQuerySchema.safeParse(queryOf(event));
  if (!parsed.success) return invalid(parsed.error);
  const to = parsed.data.to ?? isoDay(now);
  const from = parsed.data.from ?? isoDay(Date.parse(`${to}T00:00:00Z`) - DEFAULT_RANGE_DAYS * 86_400_000);
  if (Number.isNaN(Date.parse(`${from}T00:00:00Z`)) || Number.isNaN(Date.parse(`${to}T00:00:00Z`)))
    return error(400, 'invalid_request', 'from and to must be real dates', { field: 'from' });
  if (from > to) return error(400, 'invalid_request', 'from: must not be after to', { field: 'from' });
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_RANGE_DAYS)
    return error(400, 'invalid_request', `from: the range may span at most ${MAX_RANGE_DAYS} days`, { field: 'from' });
  return { from, to };
}

/** The read-only operator routes; the caller is already known to be an operator. */
async function operatorRoute(
  name: 'opsRuns' | 'opsRun' | 'opsCost' | 'opsQuality',
  event: ProxyEvent,
  params: Record<string, string>,
  deps: QueryApiDeps,
): Promise<Response> {
  const operations = deps.operations;
  if (!operations) return error(404, 'not_found', 'the operator routes are not configured here');
  if (name === 'opsRun') {
    const id = RunIdParamSchema.safeParse(params.id);
    if (!id.success) return invalid(id.error, 'id');
    const detail = await runDetail(id.data, operations);
    return detail ? { status: 200, body: detail } : error(404, 'not_found', `no run ${id.data}`);
  }
  const range = rangeOf(event, deps.now());
  if ('status' in range) return range;
  if (name === 'opsRuns') return { status: 200, body: { range, runs: await listRuns(range, operations) } };
  if (name === 'opsCost') return { status: 200, body: await costOf(range, operations) };
  return { status: 200, body: await qualityOf(range, operations) };
}

function decodedBody(event: ProxyEvent): string {
  const body = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
}

async function queryRoute(
  event: ProxyEvent,
  faId: string,
  requestId: string,
  deps: QueryApiDeps,
  telemetry: { value?: QueryTelemetry },
): Promise<Response> {
  const contentType = header(event, 'content-type');
  if (contentType !== undefined && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType.trim())) {
    return error(415, 'unsupported_media_type', 'send the request body as application/json');
  }
  const raw = decodedBody(event);
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES)
    return error(413, 'payload_too_large', `the request body is larger than ${MAX_BODY_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return error(400, 'invalid_json', 'the request body is not valid JSON');
  }
  const parsed = QueryRequestSchema.safeParse(json);
  if (!parsed.success) return invalid(parsed.error);
  const outcome = await answerQuery(faId, parsed.data, deps, requestId);
  telemetry.value = outcome.telemetry;
  if (outcome.kind === 'rejected') return error(outcome.status, outcome.code, outcome.message, outcome.rule ? { rule: outcome.rule } : {});
  if (outcome.kind === 'unavailable')
    return error(outcome.status, outcome.code, outcome.message, { headers: { 'retry-after': String(outcome.retryAfterSeconds) } });
  const answer = outcome.answer;
  return {
    status: 200,
    body: answer,
    headers: {
      'server-timing': `total;dur=${answer.latency.totalMs}, llm;dur=${answer.latency.llmMs}, store;dur=${answer.latency.storeMs}`,
      'x-fa-answer-cache': answer.cache.hit ? 'hit' : 'miss',
      'x-fa-cost-usd': String(answer.cost.usd),
      'x-fa-llm-ms': String(answer.latency.llmMs),
    },
  };
}

function health(deps: QueryApiDeps): Response {
  return { status: 200, body: { status: 'ok', version: API_VERSION, stage: deps.stage } };
}

async function route(event: ProxyEvent, requestId: string, deps: QueryApiDeps, telemetry: { value?: QueryTelemetry }): Promise<Response> {
  // A path no route could match is refused by its length alone, before anything reads it.
  if (event.path.length > MAX_PATH_CHARS) return error(414, 'uri_too_long', `the request path is longer than ${MAX_PATH_CHARS} characters`);
  // CORS preflight carries no credentials by design (browsers never send them on OPTIONS).
  if (event.httpMethod.toUpperCase() === 'OPTIONS') return { status: 204, body: undefined, headers: PREFLIGHT_HEADERS };
  const found = routeOf(event.httpMethod.toUpperCase() === 'HEAD' ? 'GET' : event.httpMethod, event.path);
  if (found.kind === 'matched' && found.name === 'health') return health(deps);

  // Identity before anything else: an unauthenticated caller learns nothing, not even which routes exist.
  const identity = identityOf(event);
  if ('status' in identity) {
    return identity.status === 401
      ? error(401, 'unauthorized', 'authentication required: send your API key (x-api-key) or ID token', {
          headers: { 'www-authenticate': 'ApiKey' },
        })
      : error(403, 'forbidden', 'the credentials do not identify a financial advisor');
  }
  if (found.kind === 'method_not_allowed')
    return error(405, 'method_not_allowed', `use ${found.allow.join(' or ')} here`, { headers: { allow: found.allow.join(', ') } });
  if (found.kind === 'not_found') return error(404, 'not_found', 'no such route; see /openapi.json');
  switch (found.name) {
    case 'health':
      return health(deps);
    case 'openapi':
      return { status: 200, body: openApiDocument() };
    case 'query':
      return queryRoute(event, identity.faId, requestId, deps, telemetry);
    case 'summary': {
      const ticker = TickerParamSchema.safeParse(found.params.ticker);
      if (!ticker.success) return invalid(ticker.error, 'ticker');
      const query = SummaryQuerySchema.safeParse(
        Object.fromEntries(Object.entries(event.queryStringParameters ?? {}).filter(([, v]) => v !== undefined && v !== null)),
      );
      if (!query.success) return invalid(query.error);
      const lookup = await summaryView(ticker.data, query.data.length, deps);
      return lookup.kind === 'found' ? { status: 200, body: lookup.view } : error(404, lookup.kind, lookup.message);
    }
    case 'searchStocks': {
      const query = StockSearchQuerySchema.safeParse(queryOf(event));
      if (!query.success) return invalid(query.error);
      const results = deps.resolver
        .search(query.data.q, query.data.limit)
        .map((p) => ({ ticker: p.ticker, name: p.name, sector: p.sector, industry: p.industry }));
      return { status: 200, body: { results } };
    }
    case 'opsRuns':
    case 'opsRun':
    case 'opsCost':
    case 'opsQuality':
      // Operators only (x-fa-roles in the OpenAPI document): an FA learns the route exists, nothing more.
      if (!identity.operator) return error(403, 'forbidden', 'this route is for operators (the operators group)');
      return operatorRoute(found.name, event, found.params, deps);
    case 'session': {
      const id = SessionIdSchema.safeParse(found.params.id);
      if (!id.success) return invalid(id.error, 'id');
      const view = await sessionView(identity.faId, id.data, deps);
      // The same answer whether the session never existed, expired or belongs to another FA.
      return view
        ? { status: 200, body: view }
        : error(404, 'session_not_found', 'no such session for this advisor (sessions expire a day after their last turn)');
    }
  }
}

/**
 * Query metrics (core/contracts/metrics.ts QUERY_METRICS) as one EMF document per request, published
 * under {service, stage}, {service, stage, functionVersion} (the canary's alarms) and, for answers,
 * {service, stage, depth}. Added and published in one synchronous stretch, so requests served
 * concurrently by one process (the local server) never mix their values in the shared Metrics.
 */
function emitQueryMetrics(deps: QueryApiDeps, status: number, telemetry: QueryTelemetry | undefined): void {
  const m = metrics;
  m.addDimensions({});
  if (deps.functionVersion) m.addDimensions({ functionVersion: deps.functionVersion });
  if (telemetry?.depth && status === 200) m.addDimensions({ depth: telemetry.depth });
  m.addMetric('QueryCount', MetricUnit.Count, 1);
  if (status >= 500) m.addMetric('QueryErrors', MetricUnit.Count, 1);
  if (telemetry?.blockedCode && status === 422) m.addMetric('GuardrailBlocked', MetricUnit.Count, 1);
  if (telemetry && status === 200) {
    m.addMetric('QueryLatencyMs', MetricUnit.Milliseconds, telemetry.totalMs);
    m.addMetric('QueryCostUsd', MetricUnit.NoUnit, telemetry.costUsd);
    m.addMetric('HallucinationFlagged', MetricUnit.Count, telemetry.hallucinationFlagged ? 1 : 0);
    m.addMetric(telemetry.cacheHit ? 'AnswerCacheHits' : 'AnswerCacheMisses', MetricUnit.Count, 1);
    m.addMetric('QueryLlmLatencyMs', MetricUnit.Milliseconds, telemetry.llmMs);
    if (telemetry.redactions.length > 0) m.addMetric('PiiRedacted', MetricUnit.Count, 1);
  }
  if (telemetry) m.addMetadata('requestId', telemetry.requestId);
  m.publishStoredMetrics();
}

const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, POST, HEAD, OPTIONS',
  'access-control-allow-headers': 'content-type, x-api-key, authorization',
  'access-control-max-age': '600',
};

function corsHeaders(event: ProxyEvent, deps: QueryApiDeps): Record<string, string> {
  const origin = header(event, 'origin');
  if (!origin || !deps.corsOrigins.includes(origin)) return {};
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}

/**
 * The raw handler over a dependency provider (tests pass their own). Never throws: an unexpected
 * failure is a 500 with a reason code and a log line.
 */
export function createQueryApiHandler(dependencies: () => Promise<QueryApiDeps>): (event: unknown) => Promise<APIGatewayProxyResult> {
  return async (event: unknown) => {
    const deps = await dependencies();
    const parsed = ProxyEventSchema.safeParse(event);
    const requestId = (parsed.success ? parsed.data.requestContext?.requestId : undefined) ?? deps.newId();
    const telemetry: { value?: QueryTelemetry } = {};
    let response: Response;
    let routeName = 'unknown';
    if (!parsed.success) {
      response = error(400, 'invalid_request', 'the event is not an API Gateway proxy request');
    } else {
      routeName = `${parsed.data.httpMethod.toUpperCase().slice(0, 16)} ${parsed.data.path
        .slice(0, 200)
        .replace(/\/v1\/(stocks|sessions|ops\/runs)\/[^/]+/, '/v1/$1/{id}')
        .slice(0, 80)}`;
      try {
        response = await route(parsed.data, requestId, deps, telemetry);
      } catch (caught) {
        logger.error('query API request failed', { requestId, route: routeName, error: describeError(caught) });
        response = error(
          500,
          'internal_error',
          'the request could not be completed; try again, and quote the request id if it keeps failing',
        );
      }
    }
    const t = telemetry.value;
    logger.info('query API request', {
      requestId,
      route: routeName,
      status: response.status,
      ...(t
        ? {
            depth: t.depth,
            tickers: t.tickers,
            cacheHit: t.cacheHit,
            costUsd: t.costUsd,
            totalMs: Math.round(t.totalMs),
            llmMs: Math.round(t.llmMs),
            blockedCode: t.blockedCode,
            blockedRule: t.blockedRule,
            redactions: t.redactions.map((r) => r.kind),
            hallucinationFlagged: t.hallucinationFlagged,
            removedSentences: t.removedSentences,
            flags: t.flags,
            modelErrors: t.modelErrors,
          }
        : {}),
    });
    if (routeName.startsWith('POST /v1/query')) emitQueryMetrics(deps, response.status, t);
    const body =
      response.status >= 400 && response.body && typeof response.body === 'object' ? { ...response.body, requestId } : response.body;
    const head = parsed.success && parsed.data.httpMethod.toUpperCase() === 'HEAD';
    return {
      statusCode: response.status,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        ...SECURITY_HEADERS,
        'x-request-id': requestId,
        ...(parsed.success ? corsHeaders(parsed.data, deps) : {}),
        ...response.headers,
      },
      // HEAD and 204 carry no body (HEAD /health is a liveness probe).
      body: head || response.status === 204 ? '' : JSON.stringify(body),
    };
  };
}

let cachedDeps: Promise<QueryApiDeps> | undefined;

/** The deployed handler: dependencies built once per execution environment, on first use. */
const wrapped = middy(
  createQueryApiHandler(async () => {
    cachedDeps ??= import('../wiring/query').then((m) => m.queryDependencies());
    return cachedDeps;
  }),
).use(injectLambdaContext(logger));
export const handler = tracer ? wrapped.use(captureLambdaHandler(tracer)) : wrapped;
