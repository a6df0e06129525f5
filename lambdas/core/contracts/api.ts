/**
 * The query API's contract, once: zod schemas that validate requests at the edge and describe
 * responses, and the OpenAPI 3 document generated from them (served at /openapi.json and kept in
 * docs/openapi.json; a test fails when the two drift). zod v4's own JSON Schema output does the
 * conversion, with the `openapi-3.0` target.
 */
import { z } from 'zod';
import { SUMMARY_LENGTHS, SUMMARY_SECTIONS } from '../model/index';
import { INPUT_BLOCK_CODES } from '../guardrails/input-guardrails';
import { PII_KINDS } from '../guardrails/pii';

export const API_VERSION = '1.0.0';

/** Limits shared with API Gateway's request model (lib/constructs/query-api.ts). */
export const QUESTION_MAX_CHARS = 2000;
export const MAX_REQUEST_TICKERS = 10;
/** A request body larger than this is refused before it is parsed. */
export const MAX_BODY_BYTES = 16 * 1024;
/** A longer request path (with its query string) is refused with 414, as API Gateway refuses long URLs. */
export const MAX_PATH_CHARS = 2048;

/**
 * Headers on every response, errors included: JSON only, never cached, never framed or sniffed,
 * HTTPS only, no referrer leaked. API Gateway adds the same through its gateway responses.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

export const TickerParamSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9.\-]{0,9}$/, 'must be a stock symbol such as ABC')
  .describe('A stock symbol of the covered universe (any case).');

export const SessionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, hyphens or underscores')
  .describe('A conversation id. Sessions belong to the FA who created them.');

export const DepthSchema = z
  .enum(['simple', 'deep', 'auto'])
  .describe(
    'simple: one call on the small model; deep: specialist steps and a synthesis on the strong model; auto (default): decided from the question.',
  );

export const QueryRequestSchema = z
  .strictObject({
    question: z
      .string()
      .min(1)
      .max(QUESTION_MAX_CHARS)
      .describe("The FA's question. PII is redacted before it is logged, stored or sent to a model."),
    tickers: z
      .array(TickerParamSchema)
      .max(MAX_REQUEST_TICKERS)
      .optional()
      .describe('Stocks the question is about, in addition to those it names.'),
    sessionId: SessionIdSchema.optional().describe('Continue this conversation; a new one is started when absent.'),
    depth: DepthSchema.optional(),
  })
  .describe('A question about covered stocks.');
export type QueryRequest = z.infer<typeof QueryRequestSchema>;

export const SummaryQuerySchema = z.strictObject({ length: z.enum(SUMMARY_LENGTHS).default('medium') });

const SourceKindSchema = z.enum(['filings', 'fundamentals', 'research', 'news']);

export const CitationSchema = z
  .object({
    n: z.number().int().positive().describe('The number the answer shows as [n].'),
    sourceId: z.string().describe('Source document id: an accession number, vendor record, research note or news item id.'),
    ticker: z.string(),
    kind: SourceKindSchema,
    title: z.string(),
    date: z.string().describe('ISO date of the source.'),
    quote: z.string().describe('The passage or data line of the source that the cited sentences rest on.'),
  })
  .describe('A numbered citation.');

const RiskSchema = z
  .object({
    score: z.number().min(0).max(1).describe('Risk that the text holds a hallucination, its worst claim dominating.'),
    decision: z.enum(['publish', 'hedge', 'regenerate', 'facts_only']).describe("What the risk decided, by the detector's thresholds."),
  })
  .describe("The hallucination detector's risk over the sentences shown (docs/DETECTION.md).");

const SentenceSchema = z.object({ text: z.string(), citations: z.array(z.number().int().positive()) });

export const AnswerPayloadSchema = z.object({
  answer: z.string().describe('The answer as prose, each sentence followed by its citation markers.'),
  sentences: z.array(SentenceSchema),
  citations: z.array(CitationSchema),
  tickers: z.array(z.string()),
  depth: z.enum(['simple', 'deep']),
  confidence: z.number().min(0).max(1),
  confidenceLabel: z.enum(['high', 'medium', 'low']),
  flags: z.array(z.string()).describe('Codes for what lowered confidence or what the guardrails changed (see docs/API.md).'),
  risk: RiskSchema.optional(),
  disclaimer: z.string(),
  asOf: z.string().describe('The newest as-of date of the briefs the answer rests on.'),
  modelIds: z.array(z.string()),
  promptVersion: z.string(),
  promptVariant: z.string(),
});

const RedactionSchema = z.object({ kind: z.enum(PII_KINDS), count: z.number().int().positive() });

export const QueryResponseSchema = AnswerPayloadSchema.extend({
  requestId: z.string(),
  sessionId: SessionIdSchema,
  question: z.string().describe('The question as stored: normalised, PII redacted.'),
  cache: z.object({ hit: z.boolean(), cachedAt: z.string().optional() }).describe('Whether the answer came from the answer cache.'),
  cost: z
    .object({
      usd: z.number().nonnegative(),
      estimated: z.boolean().describe('True when token counts are estimates (the local provider).'),
      embeddingUsd: z.number().nonnegative(),
      calls: z.array(
        z.object({
          step: z.string(),
          modelId: z.string(),
          inputTokens: z.number().int().nonnegative(),
          outputTokens: z.number().int().nonnegative(),
          cacheReadInputTokens: z.number().int().nonnegative(),
          cacheWriteInputTokens: z.number().int().nonnegative(),
          costUsd: z.number().nonnegative(),
          latencyMs: z.number().nonnegative(),
        }),
      ),
    })
    .describe('Model and embedding cost of this request (zero on a cache hit).'),
  latency: z
    .object({
      totalMs: z.number().nonnegative(),
      llmMs: z.number().nonnegative(),
      overheadMs: z.number().nonnegative(),
      storeMs: z.number().nonnegative(),
    })
    .describe('Milliseconds: total in the handler, waiting on models, everything else (overhead), and of that, waiting on storage.'),
  guardrails: z.object({
    input: z.object({ redactions: z.array(RedactionSchema) }),
    output: z.object({ removedSentences: z.number().int().nonnegative(), claimsChecked: z.number().int().nonnegative() }),
  }),
}).describe('A cited, guard-railed answer.');

export const SummaryResponseSchema = z
  .object({
    ticker: z.string(),
    companyName: z.string(),
    sector: z.string(),
    asOf: z.string(),
    length: z.enum(SUMMARY_LENGTHS),
    status: z.enum(['verified', 'regenerated', 'facts_only']),
    confidence: z.number(),
    text: z.string(),
    sections: z.array(
      z.object({
        section: z.enum(SUMMARY_SECTIONS),
        sentences: z.array(
          SentenceSchema.extend({
            status: z
              .enum(['supported', 'hedged'])
              .describe('supported: its claims were found in the sources; hedged: worded with a hedge, or only weakly supported.'),
          }),
        ),
      }),
    ),
    citations: z.array(
      z.object({
        n: z.number().int().positive(),
        sourceId: z.string(),
        kind: z.string(),
        title: z.string(),
        date: z.string(),
        form: z.string().optional(),
        accession: z.string().optional().describe('The EDGAR accession number, when the source is a filing.'),
        url: z.string().optional().describe("The filing's EDGAR index, where the filings are real."),
        passage: z.string().optional().describe('The stored passage of the source most like the sentences that cite it.'),
        facts: z
          .array(z.object({ metric: z.string(), value: z.number(), unit: z.string(), period: z.string(), filed: z.string() }))
          .describe('Facts of the snapshot taken from this source.'),
      }),
    ),
    verification: z.object({
      passed: z.boolean(),
      claimsChecked: z.number().int(),
      findings: z.number().int(),
      risk: RiskSchema.optional(),
    }),
    removed: z
      .array(z.object({ section: z.string(), sentence: z.string(), reason: z.string() }))
      .describe('Sentences of this length the verifier removed.'),
    freshness: z.object({
      ageDays: z.number().int().nonnegative(),
      stale: z.boolean(),
      missingSources: z.array(z.string()),
      staleSources: z.array(z.object({ source: z.string(), newest: z.string() })),
    }),
    sourceHash: z.string(),
    promptVersion: z.string(),
    modelId: z.string(),
    generatedAt: z.string(),
  })
  .describe('The latest stored brief of a stock in one length.');

export const SessionResponseSchema = z
  .object({
    sessionId: SessionIdSchema,
    expiresAt: z.number().int().describe('Epoch seconds.'),
    turns: z.array(
      z.object({
        turnId: z.string(),
        question: z.string(),
        answer: z.string(),
        tickers: z.array(z.string()),
        depth: z.enum(['simple', 'deep']),
        citations: z.array(z.object({ n: z.number().int(), sourceId: z.string(), title: z.string() })),
        confidence: z.number(),
        createdAt: z.string(),
      }),
    ),
  })
  .describe("One of the calling FA's own conversations.");

// ---------------------------------------------------------------------------------------------
// The universe search and the operator routes (read-only).

export const StockSearchQuerySchema = z.strictObject({
  q: z.string().trim().min(1).max(64).describe('A symbol or part of a company name.'),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const StockSearchResponseSchema = z
  .object({ results: z.array(z.object({ ticker: z.string(), name: z.string(), sector: z.string(), industry: z.string() })) })
  .describe('Covered companies matching a search, best first.');

const IsoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
/** The longest range an operator route reads at once. */
export const MAX_RANGE_DAYS = 366;

export const OpsRangeQuerySchema = z
  .strictObject({
    from: IsoDateSchema.optional().describe('First as-of date (default: 30 days before `to`).'),
    to: IsoDateSchema.optional().describe('Last as-of date (default: today, UTC).'),
  })
  .describe('An inclusive range of as-of dates.');

export const RunIdParamSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'must be a run id such as run-2026-12-01-abc123')
  .describe('A batch run id.');

const RangeSchema = z.object({ from: z.string(), to: z.string() });
const RunRowSchema = z.object({
  runId: z.string(),
  asOf: z.string(),
  status: z.enum(['running', 'succeeded', 'interrupted']),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  stocks: z.number().int(),
  succeeded: z.number().int(),
  regenerated: z.number().int(),
  factsOnly: z.number().int(),
  failed: z.number().int(),
  skippedUnchanged: z.number().int(),
  durationMs: z.number(),
  costUsd: z.number(),
  costEstimated: z.boolean(),
  embeddingHitRate: z.number(),
  verificationPassRate: z.number(),
  findings: z.number().int(),
});

export const OpsRunsResponseSchema = z.object({ range: RangeSchema, runs: z.array(RunRowSchema) }).describe('Batch runs in a range.');

export const OpsRunDetailResponseSchema = z
  .object({
    run: RunRowSchema,
    failed: z.array(z.object({ ticker: z.string(), error: z.string(), durationMs: z.number(), completedAt: z.string() })),
    missing: z.array(z.string()),
    stocks: z.array(
      z.object({
        ticker: z.string(),
        status: z.string(),
        skippedUnchanged: z.boolean(),
        durationMs: z.number(),
        costUsd: z.number(),
        sourceFailures: z.array(z.string()),
        error: z.string().optional(),
      }),
    ),
    timings: z.object({ p50Ms: z.number(), p95Ms: z.number(), maxMs: z.number() }),
  })
  .describe('One run: its failed stocks with their errors, and every stock with its timing, slowest first.');

const CostPointSchema = z.object({
  date: z.string(),
  runId: z.string(),
  perUnitUsd: z.number(),
  units: z.number().int(),
  totalUsd: z.number(),
});
const StackedBarSchema = z.object({ date: z.string(), runId: z.string(), parts: z.record(z.string(), z.number()) });
const BurnSchema = z.object({ period: z.string(), spentUsd: z.number(), budgetUsd: z.number().optional(), share: z.number().optional() });

export const OpsCostResponseSchema = z
  .object({
    range: RangeSchema,
    targets: z.object({ stockUsd: z.number(), stockCapUsd: z.number(), queryUsd: z.number(), queryCapUsd: z.number() }),
    baseline: z.object({ naiveStockUsd: z.number(), measured: z.string() }).optional(),
    stockNights: z.array(CostPointSchema),
    queries: z.array(CostPointSchema),
    byAgent: z.array(StackedBarSchema),
    byModel: z.array(StackedBarSchema),
    agents: z.array(z.string()),
    models: z.array(z.string()),
    burn: z.object({ day: BurnSchema, month: BurnSchema }),
    totalUsd: z.number(),
  })
  .describe('Cost over a range, from the cost ledger: per stock-night and per query against targets, by agent and model, budget burn.');

export const OpsQualityResponseSchema = z
  .object({
    range: RangeSchema,
    runs: z.array(
      z.object({
        date: z.string(),
        runId: z.string(),
        stocks: z.number().int(),
        passRate: z.number(),
        flagged: z.number().int(),
        regenerated: z.number().int(),
        factsOnly: z.number().int(),
        findings: z.number().int(),
        claimsChecked: z.number().int(),
      }),
    ),
    evaluation: z
      .object({
        pass: z.boolean(),
        startedAt: z.string(),
        llm: z.string(),
        seconds: z.number(),
        suites: z.array(z.object({ name: z.string(), pass: z.boolean() })),
      })
      .optional(),
    experiments: z.array(
      z.object({
        key: z.string(),
        status: z.string(),
        arms: z.array(z.object({ key: z.string(), weight: z.number(), exposures: z.number().int() })),
      }),
    ),
  })
  .describe('Verification pass rate and hallucination flags per run, the latest evaluation, the experiments.');

export const HealthResponseSchema = z.object({ status: z.literal('ok'), version: z.string(), stage: z.string() });

/** Every error code the API returns, with the HTTP status it comes with. */
export const ERROR_CODES = [
  'invalid_json',
  'invalid_request',
  'unsupported_media_type',
  'payload_too_large',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'uri_too_long',
  'rate_limited',
  'session_not_found',
  'brief_not_found',
  ...INPUT_BLOCK_CODES,
  'model_unavailable',
  'internal_error',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorResponseSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string().describe('One sentence saying what was wrong and what to do.'),
      rule: z.string().optional().describe('For guardrail blocks: the id of the rule that fired.'),
      field: z.string().optional().describe('For validation errors: the path of the first bad field.'),
    }),
    requestId: z.string(),
  })
  .describe('An error with a reason code.');

// ---------------------------------------------------------------------------------------------
// OpenAPI.

const registry = z.registry<{ id: string }>();
registry.add(QueryRequestSchema, { id: 'QueryRequest' });
registry.add(CitationSchema, { id: 'Citation' });
registry.add(QueryResponseSchema, { id: 'QueryResponse' });
registry.add(SummaryResponseSchema, { id: 'SummaryResponse' });
registry.add(SessionResponseSchema, { id: 'SessionResponse' });
registry.add(HealthResponseSchema, { id: 'HealthResponse' });
registry.add(StockSearchResponseSchema, { id: 'StockSearchResponse' });
registry.add(OpsRunsResponseSchema, { id: 'OpsRunsResponse' });
registry.add(OpsRunDetailResponseSchema, { id: 'OpsRunDetailResponse' });
registry.add(OpsCostResponseSchema, { id: 'OpsCostResponse' });
registry.add(OpsQualityResponseSchema, { id: 'OpsQualityResponse' });
registry.add(ErrorResponseSchema, { id: 'Error' });

type JsonObject = { [key: string]: unknown };

function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== '$id')
        .map(([k, v]) => [k, withoutIds(v)]),
    );
  }
  return value;
}

/**
 * The Cognito group whose members may call the operator routes. An operator-only route says so in the
 * OpenAPI document with `x-fa-roles: ["operator"]`, so tests can derive who may call what.
 */
export const OPERATOR_GROUP = 'operators';
export const ROLES_EXTENSION = 'x-fa-roles';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string) => ({ 'application/json': { schema: ref(id) } });
/** `Retry-After` on a 429: whole seconds until a retry can succeed. */
const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 1 } },
};
const errors = (statuses: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(statuses).map(([status, description]) => [
      status,
      { description, content: json('Error'), ...(status === '429' ? { headers: RETRY_AFTER } : {}) },
    ]),
  );
const AUTH_ERRORS = {
  '401': 'No credentials (missing API key or token).',
  '403': 'Credentials not accepted.',
  '414': 'Request path longer than the limit (uri_too_long).',
  '429': 'Too many requests for this key, or too many bad keys from this address (rate_limited); retry after Retry-After seconds.',
};
// Locally the API key alone; in AWS the Cognito ID token and the FA tool's API key together.
const SECURED = [{ ApiKey: [] }, { ApiKey: [], CognitoIdToken: [] }];
const RANGE_PARAMETERS = [
  { name: 'from', in: 'query', required: false, schema: { type: 'string', format: 'date' } },
  { name: 'to', in: 'query', required: false, schema: { type: 'string', format: 'date' } },
];
const OPERATOR_ERRORS = {
  '400': 'Bad range or id (invalid_request).',
  '401': 'No credentials (missing API key or token).',
  '403': 'Credentials not accepted, or the caller is not in the operators group (forbidden).',
};
/** A read-only operator route: members of the operators group only. */
const operatorRoute = (
  operationId: string,
  summary: string,
  response: string,
  extra: JsonObject = {},
  more: Record<string, string> = {},
) => ({
  get: {
    operationId,
    summary,
    [ROLES_EXTENSION]: ['operator'],
    ...extra,
    responses: { '200': { description: summary, content: json(response) }, ...errors({ ...OPERATOR_ERRORS, ...more }) },
  },
});

/** The OpenAPI 3.0 document of the query API. Deterministic: same schemas, same bytes. */
export function openApiDocument(): JsonObject {
  const generated = z.toJSONSchema(registry, { target: 'openapi-3.0', io: 'output', uri: (id) => `#/components/schemas/${id}` });
  const schemas = withoutIds(generated.schemas) as JsonObject;
  // Requests are described as clients send them (defaults optional), not as parsed.
  const requestSchemas = withoutIds(
    z.toJSONSchema(registry, { target: 'openapi-3.0', io: 'input', uri: (id) => `#/components/schemas/${id}` }).schemas,
  ) as JsonObject;
  schemas.QueryRequest = requestSchemas.QueryRequest;
  return {
    openapi: '3.0.3',
    info: {
      title: 'FA Advisor AI query API',
      version: API_VERSION,
      description:
        "Cited, guard-railed answers about covered stocks for financial advisors. Every route but /health needs an authenticated FA: in AWS a Cognito ID token (Authorization header) plus the FA tool's API key; locally an API key (x-api-key) from the local key store. The FA id always comes from the authorizer, never from the request.",
    },
    servers: [
      { url: 'http://127.0.0.1:8787', description: 'npm run serve (local)' },
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com/live',
        description: 'AWS',
        variables: { apiId: { default: 'api-id' }, region: { default: 'us-east-1' } },
      },
    ],
    security: SECURED,
    paths: {
      '/v1/query': {
        post: {
          operationId: 'askQuestion',
          summary: 'Ask a question about covered stocks',
          requestBody: { required: true, content: json('QueryRequest') },
          responses: {
            '200': { description: 'A cited answer.', content: json('QueryResponse') },
            ...errors({
              '400': 'Malformed request (invalid_json, invalid_request).',
              ...AUTH_ERRORS,
              '404': 'No brief stored yet for the stocks asked about (brief_not_found).',
              '413': 'Request body too large (payload_too_large).',
              '415': 'Body is not JSON (unsupported_media_type).',
              '422': 'Blocked by an input guardrail: prompt_injection, out_of_scope, no_covered_ticker, unknown_ticker, compliance_*.',
            }),
            '503': {
              description:
                'No model could answer: every model and fallback was throttled past its retries, timed out, was down or replied unusably (model_unavailable). Nothing was stored; retry after Retry-After seconds.',
              headers: {
                'Retry-After': { description: 'Seconds to wait before asking again.', schema: { type: 'integer', minimum: 1 } },
              },
              content: json('Error'),
            },
          },
        },
      },
      '/v1/stocks/{ticker}/summary': {
        get: {
          operationId: 'getSummary',
          summary: "A stock's latest brief",
          parameters: [
            { name: 'ticker', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9.\\-]{0,9}$' } },
            { name: 'length', in: 'query', required: false, schema: { type: 'string', enum: [...SUMMARY_LENGTHS], default: 'medium' } },
          ],
          responses: {
            '200': { description: 'The brief.', content: json('SummaryResponse') },
            ...errors({
              '400': 'Bad ticker or length (invalid_request).',
              ...AUTH_ERRORS,
              '404': 'Unknown ticker or no brief yet (unknown_ticker, brief_not_found).',
            }),
          },
        },
      },
      '/v1/stocks': {
        get: {
          operationId: 'searchStocks',
          summary: 'Find covered stocks by symbol or name',
          parameters: [
            { name: 'q', in: 'query', required: true, schema: { type: 'string', minLength: 1, maxLength: 64 } },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 50, default: 10 } },
          ],
          responses: {
            '200': { description: 'Matches, best first.', content: json('StockSearchResponse') },
            ...errors({ '400': 'Missing or bad q (invalid_request).', ...AUTH_ERRORS }),
          },
        },
      },
      '/v1/ops/runs': operatorRoute('listRuns', 'Batch runs with an as-of date in the range', 'OpsRunsResponse', {
        parameters: RANGE_PARAMETERS,
      }),
      '/v1/ops/runs/{id}': operatorRoute(
        'getRun',
        'One batch run: failed stocks and per-stock timings',
        'OpsRunDetailResponse',
        {
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$' } },
          ],
        },
        { '404': 'No such run (not_found).' },
      ),
      '/v1/ops/cost': operatorRoute('getCost', 'Cost over the range from the cost ledger', 'OpsCostResponse', {
        parameters: RANGE_PARAMETERS,
      }),
      '/v1/ops/quality': operatorRoute('getQuality', 'Verification and hallucination flags over the range', 'OpsQualityResponse', {
        parameters: RANGE_PARAMETERS,
      }),
      '/v1/sessions/{id}': {
        get: {
          operationId: 'getSession',
          summary: "One of the caller's conversations",
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } }],
          responses: {
            '200': { description: 'The session, oldest turn first.', content: json('SessionResponse') },
            ...errors({
              '400': 'Bad session id (invalid_request).',
              ...AUTH_ERRORS,
              '404': 'No such session for this FA, or expired (session_not_found).',
            }),
          },
        },
      },
      '/health': {
        get: {
          operationId: 'health',
          summary: 'Liveness',
          security: [],
          responses: { '200': { description: 'Up.', content: json('HealthResponse') } },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openApi',
          summary: 'This document',
          responses: { '200': { description: 'The OpenAPI document.' }, ...errors(AUTH_ERRORS) },
        },
      },
    },
    components: {
      securitySchemes: {
        ApiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'x-api-key',
          description: "Locally: a key from the local key store (stored as a sha256 hash). In AWS: the FA tool's API Gateway key.",
        },
        CognitoIdToken: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: "In AWS: the FA's Cognito ID token; the FA id is its `sub` claim.",
        },
      },
      schemas,
    },
  };
}
