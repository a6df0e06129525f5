/**
 * CodeDeploy BeforeAllowTraffic hook: run golden checks against the NEW version of a function before
 * its alias sends it any traffic, then report Succeeded or Failed to CodeDeploy. It always reports —
 * also when a check, the configuration or anything else throws — because an unreported hook leaves
 * the deployment hanging for an hour before CodeDeploy gives up on it.
 *
 * Configuration (set by lib/constructs/safe-deployment.ts): FA_TARGET_FUNCTION_ARN, the qualified ARN
 * of the version under test, and FA_GOLDEN_CHECKS, a JSON array of checks (GoldenCheckSchema).
 */
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import middy from '@middy/core';
import { z } from 'zod';
import { ConfigError, describeError } from '../core/errors';
import { emitMetrics, logger, metrics, MetricUnit } from '../wiring/telemetry';

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

const HookEventSchema = z.object({
  DeploymentId: z.string().min(1),
  LifecycleEventHookExecutionId: z.string().min(1),
});

const HookConfigSchema = z.object({
  FA_TARGET_FUNCTION_ARN: z.string().regex(/^arn:aws[\w-]*:lambda:[\w-]+:\d{12}:function:[\w-]+:\w+$/, 'must be a qualified Lambda function ARN'),
  FA_GOLDEN_CHECKS: z.string().min(2),
});

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
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`FA_GOLDEN_CHECKS is invalid at ${issue.path.join('.') || 'the top level'}: ${issue.message}`);
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
  if (expected.fieldOneOf) {
    const record = z.record(z.string(), z.unknown()).safeParse(invocation.payload);
    for (const [field, allowed] of Object.entries(expected.fieldOneOf)) {
      const value = record.success ? record.data[field] : undefined;
      if (!allowed.some((candidate) => candidate === value)) {
        return fail(`expected ${field} to be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value) ?? 'nothing'}`);
      }
    }
  }
  return { name: check.name, passed: true, detail: 'answered as expected' };
}

/** Invoke the version under test with one check's event. */
async function invoke(lambda: LambdaClient, functionArn: string, event: unknown): Promise<Invocation> {
  const response = await lambda.send(
    new InvokeCommand({ FunctionName: functionArn, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(event ?? {})) }),
  );
  const text = response.Payload ? new TextDecoder().decode(response.Payload) : '';
  let payload: unknown = text;
  try {
    payload = text === '' ? null : JSON.parse(text);
  } catch {
    // A non-JSON payload is judged as the raw text.
  }
  return { functionError: response.FunctionError, payload };
}

/** Run every check in order; a check that throws is a failed check, never an unreported hook. */
export async function runGoldenChecks(lambda: LambdaClient, functionArn: string, checks: readonly GoldenCheck[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    try {
      results.push(evaluate(check, await invoke(lambda, functionArn, check.event)));
    } catch (error) {
      results.push({ name: check.name, passed: false, detail: `could not invoke the new version: ${describeError(error)}` });
    }
  }
  return results;
}

export interface PreTrafficCheckDeps {
  readonly codeDeploy: CodeDeployClient;
  readonly lambda: LambdaClient;
  readonly environment: Readonly<Record<string, string | undefined>>;
}

export interface PreTrafficCheckOutcome {
  readonly status: HookStatus;
  readonly results: readonly CheckResult[];
  /** Set when the hook itself failed before or while running the checks. */
  readonly error?: string;
}

/**
 * Run the golden checks and report the verdict to CodeDeploy. Reports `Failed` when anything goes
 * wrong, including invalid configuration.
 * @throws ConfigError when the event lacks the ids needed to report; rethrows when
 *   the report itself fails (CodeDeploy then fails the hook on its timeout).
 */
export async function preTrafficCheck(event: unknown, deps: PreTrafficCheckDeps): Promise<PreTrafficCheckOutcome> {
  const ids = HookEventSchema.safeParse(event);
  if (!ids.success) throw new ConfigError('pre-traffic check needs DeploymentId and LifecycleEventHookExecutionId in its event (is it invoked by CodeDeploy?)');
  const { DeploymentId: deploymentId, LifecycleEventHookExecutionId: lifecycleEventHookExecutionId } = ids.data;

  let outcome: PreTrafficCheckOutcome = { status: 'Failed', results: [], error: 'the checks did not run' };
  try {
    const config = HookConfigSchema.safeParse(deps.environment);
    if (!config.success) {
      const issue = config.error.issues[0]!;
      throw new ConfigError(`${issue.path.join('.')} ${issue.message}`);
    }
    const checks = parseGoldenChecks(config.data.FA_GOLDEN_CHECKS);
    const results = await runGoldenChecks(deps.lambda, config.data.FA_TARGET_FUNCTION_ARN, checks);
    outcome = { status: results.every((result) => result.passed) ? 'Succeeded' : 'Failed', results };
    logger.info('golden checks finished', { deploymentId, target: config.data.FA_TARGET_FUNCTION_ARN, status: outcome.status, results });
  } catch (error) {
    outcome = { status: 'Failed', results: outcome.results, error: describeError(error) };
    logger.error('pre-traffic check failed before finishing its checks', { deploymentId, error: outcome.error });
  } finally {
    await deps.codeDeploy.send(new PutLifecycleEventHookExecutionStatusCommand({ deploymentId, lifecycleEventHookExecutionId, status: outcome.status }));
  }
  metrics.addMetadata('deploymentId', deploymentId);
  metrics.addMetric(outcome.status === 'Succeeded' ? 'PreTrafficCheckPassed' : 'PreTrafficCheckFailed', MetricUnit.Count, 1);
  return outcome;
}

// Clients are created once per execution environment and reused (DESIGN §4 rule 2).
const codeDeploy = new CodeDeployClient({});
const lambda = new LambdaClient({});

export const handler = middy((event: unknown) => preTrafficCheck(event, { codeDeploy, lambda, environment: process.env })).use(emitMetrics());
