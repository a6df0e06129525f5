/**
 * The golden-check contract: what the pre-traffic hook invokes a new version with and how it judges
 * the answer. Pure, so the CDK app (lib/golden-checks.ts) and the hook handler share one schema.
 */
import { z } from 'zod';
import { ConfigError, describeError } from '../errors';
import { firstIssue } from '../validation';
import { detect } from '../grounding';

const AnswerBodySchema = z.object({
  sentences: z.array(z.object({ text: z.string(), citations: z.array(z.number()) })),
  citations: z.array(z.object({ n: z.number(), sourceId: z.string(), title: z.string(), date: z.string(), quote: z.string() })),
});

type AnswerBody = z.infer<typeof AnswerBodySchema>;

function answerOf(body: string | undefined): AnswerBody | string {
  let answer;
  try {
    answer = AnswerBodySchema.safeParse(JSON.parse(body ?? ''));
  } catch {
    return 'the body is not JSON';
  }
  return answer.success ? answer.data : 'the body is not a query answer';
}

/** Why an answer's citations do not resolve (a sentence citing nothing or a number its list lacks, an empty quote), or undefined. */
function unresolvedCitation(answer: AnswerBody): string | undefined {
  if (answer.citations.length === 0) return 'the answer cites nothing';
  const byNumber = new Map(answer.citations.map((c) => [c.n, c]));
  for (const sentence of answer.sentences) {
    if (sentence.citations.length === 0 && /\d/.test(sentence.text)) return `the answer states "${sentence.text}" without a citation`;
    const missing = sentence.citations.find((n) => !byNumber.has(n));
    if (missing !== undefined) return `the answer cites [${missing}], which its citation list lacks`;
  }
  const empty = answer.citations.find((c) => c.sourceId.trim() === '' || c.quote.trim() === '');
  return empty ? `citation [${empty.n}] has no source id or quote` : undefined;
}

/** Why an answer's claims are not grounded in its own citations (the detector), or undefined when they are. */
function ungroundedClaim(body: string | undefined, minSupportedFigures = 0): string | undefined {
  const parsed = answerOf(body);
  if (typeof parsed === 'string') return parsed;
  const answer = { data: parsed };
  const byNumber = new Map(answer.data.citations.map((c) => [c.n, c]));
  // Each sentence carries its citations as [sourceId] markers, which the detector reads.
  const text = answer.data.sentences
    .map((s) => {
      const markers = s.citations.map((n) => `[${byNumber.get(n)?.sourceId ?? n}]`).join('');
      return s.text.replace(/([.!?]?)\s*$/, ` ${markers}$1`);
    })
    .join(' ');
  const sources = answer.data.citations.map((c) => ({ id: c.sourceId, text: c.quote, title: c.title, date: c.date }));
  const claims = detect({ text, sources }).claims;
  const flagged = claims.find((c) => c.status === 'contradicted');
  if (flagged) return `the answer says "${flagged.text}", which its sources contradict: ${flagged.reason}`;
  const supported = claims.filter((c) => c.status === 'supported' && /\d/.test(c.text)).length;
  return supported < minSupportedFigures
    ? `the answer states ${supported} figure${supported === 1 ? '' : 's'} its citations support, fewer than ${minSupportedFigures}`
    : undefined;
}

const JsonScalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** What a golden check expects of the new version's answer. */
export const GoldenExpectationSchema = z.union([
  /** The invocation must fail with this error name (a Lambda `errorType`), e.g. InputValidationError. */
  z.strictObject({ errorType: z.string().min(1) }),
  z.strictObject({
    /** API Gateway proxy result: the `statusCode` of the returned object. */
    statusCode: z.number().int().min(100).max(599).optional(),
    /** Substrings the result's `body` (or, without a body, its JSON) must contain. */
    bodyIncludes: z.array(z.string().min(1)).optional(),
    /** Top-level fields of the result that must equal one of the listed values. */
    fieldOneOf: z.record(z.string(), z.array(JsonScalarSchema).min(1)).optional(),
    /** The body is a query answer whose every claim the hallucination detector finds in its own citations' quotes. */
    grounded: z.literal(true).optional(),
    /** With `grounded`: at least this many figures of the answer are supported by its citations' quotes. */
    minGroundedFigures: z.number().int().positive().optional(),
    /** The body is a query answer whose every cited number is in its citation list, each with a source id and a quote. */
    citationsResolve: z.literal(true).optional(),
  }),
]);

/** One golden check: an event to invoke the new version with and what must come back. */
export const GoldenCheckSchema = z.strictObject({
  name: z.string().min(1),
  event: z.unknown(),
  expect: GoldenExpectationSchema,
});
export type GoldenCheck = z.infer<typeof GoldenCheckSchema>;
export type GoldenExpectation = z.infer<typeof GoldenExpectationSchema>;

export interface CheckResult {
  readonly name: string;
  readonly passed: boolean;
  /** One line: why it passed or failed. */
  readonly detail: string;
}

/** What one invocation of the new version returned. */
export interface Invocation {
  /** Set when the function threw (`Unhandled`/`Handled`); the payload is then `{ errorType, errorMessage }`. */
  readonly functionError?: string;
  readonly payload: unknown;
}

export type HookStatus = 'Succeeded' | 'Failed';

/** Parse the FA_GOLDEN_CHECKS value. @throws ConfigError with a one-line reason. */
export function parseGoldenChecks(text: string): GoldenCheck[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`FA_GOLDEN_CHECKS is not JSON: ${describeError(error)}`);
  }
  const parsed = z.array(GoldenCheckSchema).min(1).safeParse(document);
  if (!parsed.success) {
    const { path, message } = firstIssue(parsed.error);
    throw new ConfigError(`FA_GOLDEN_CHECKS is invalid at ${path ?? 'the top level'}: ${message}`);
  }
  return parsed.data;
}

const ErrorPayloadSchema = z.object({ errorType: z.string().optional(), errorMessage: z.string().optional() });
const ProxyResultSchema = z.object({ statusCode: z.number().optional(), body: z.string().optional() });

/** Judge one invocation against its check's expectation. Pure. */
export function evaluate(check: GoldenCheck, invocation: Invocation): CheckResult {
  const fail = (detail: string): CheckResult => ({ name: check.name, passed: false, detail });
  const expected = check.expect;
  const errorPayload = ErrorPayloadSchema.safeParse(invocation.payload);
  const errorType = errorPayload.success ? errorPayload.data.errorType : undefined;

  if ('errorType' in expected) {
    if (!invocation.functionError) return fail(`expected error ${expected.errorType}, but the invocation succeeded`);
    if (errorType !== expected.errorType) return fail(`expected error ${expected.errorType}, got ${errorType ?? 'an unnamed error'}`);
    return { name: check.name, passed: true, detail: `failed as expected with ${expected.errorType}` };
  }

  if (invocation.functionError) {
    const message = errorPayload.success ? (errorPayload.data.errorMessage ?? '') : '';
    return fail(`the invocation failed: ${errorType ?? invocation.functionError}: ${message}`.split('\n')[0]!.slice(0, 300));
  }
  const proxy = ProxyResultSchema.safeParse(invocation.payload);
  if (expected.statusCode !== undefined) {
    const statusCode = proxy.success ? proxy.data.statusCode : undefined;
    if (statusCode !== expected.statusCode) return fail(`expected status ${expected.statusCode}, got ${statusCode ?? 'none'}`);
  }
  if (expected.bodyIncludes) {
    const body = proxy.success && proxy.data.body !== undefined ? proxy.data.body : JSON.stringify(invocation.payload ?? null);
    const missing = expected.bodyIncludes.filter((text) => !body.includes(text));
    if (missing.length > 0) return fail(`the answer lacks ${missing.map((text) => JSON.stringify(text)).join(', ')}`);
  }
  if (expected.citationsResolve) {
    const answer = answerOf(proxy.success ? proxy.data.body : undefined);
    const problem = typeof answer === 'string' ? answer : unresolvedCitation(answer);
    if (problem) return fail(problem);
  }
  if (expected.grounded) {
    const body = proxy.success ? proxy.data.body : undefined;
    const problem = ungroundedClaim(body, expected.minGroundedFigures);
    if (problem) return fail(problem);
  }
  if (expected.fieldOneOf) {
    const record = z.record(z.string(), z.unknown()).safeParse(invocation.payload);
    for (const [field, allowed] of Object.entries(expected.fieldOneOf)) {
      const value = record.success ? record.data[field] : undefined;
      if (!allowed.some((candidate) => candidate === value)) {
        return fail(
          `expected ${field} to be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value) ?? 'nothing'}`,
        );
      }
    }
  }
  return { name: check.name, passed: true, detail: 'answered as expected' };
}
