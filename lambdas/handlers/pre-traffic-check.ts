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
import { z } from 'zod';
import { ConfigError, describeError } from '../core/errors';
import { instrumented, logger, metrics, MetricUnit, traced } from '../wiring/telemetry';
import { evaluate, parseGoldenChecks } from '../core/contracts/golden-checks';
import type { CheckResult, GoldenCheck, HookStatus, Invocation } from '../core/contracts/golden-checks';
import { firstIssue } from '../core/validation';

const HookEventSchema = z.object({
  DeploymentId: z.string().min(1),
  LifecycleEventHookExecutionId: z.string().min(1),
});

const HookConfigSchema = z.object({
  FA_TARGET_FUNCTION_ARN: z
    .string()
    .regex(/^arn:aws[\w-]*:lambda:[\w-]+:\d{12}:function:[\w-]+:\w+$/, 'must be a qualified Lambda function ARN'),
  FA_GOLDEN_CHECKS: z.string().min(2),
});

/** Invoke the version under test with one check's event. */
async function invoke(lambda: LambdaClient, functionArn: string, event: unknown): Promise<Invocation> {
  const response = await lambda.send(
    new InvokeCommand({
      FunctionName: functionArn,
      InvocationType: 'RequestResponse',
      Payload: new TextEncoder().encode(JSON.stringify(event ?? {})),
    }),
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
  if (!ids.success)
    throw new ConfigError(
      'pre-traffic check needs DeploymentId and LifecycleEventHookExecutionId in its event (is it invoked by CodeDeploy?)',
    );
  const { DeploymentId: deploymentId, LifecycleEventHookExecutionId: lifecycleEventHookExecutionId } = ids.data;

  let outcome: PreTrafficCheckOutcome = { status: 'Failed', results: [], error: 'the checks did not run' };
  try {
    const config = HookConfigSchema.safeParse(deps.environment);
    if (!config.success) {
      const { path, message } = firstIssue(config.error);
      throw new ConfigError(`${path ?? 'configuration'} ${message}`);
    }
    const checks = parseGoldenChecks(config.data.FA_GOLDEN_CHECKS);
    const results = await runGoldenChecks(deps.lambda, config.data.FA_TARGET_FUNCTION_ARN, checks);
    outcome = { status: results.every((result) => result.passed) ? 'Succeeded' : 'Failed', results };
    logger.info('golden checks finished', { deploymentId, target: config.data.FA_TARGET_FUNCTION_ARN, status: outcome.status, results });
  } catch (error) {
    outcome = { status: 'Failed', results: outcome.results, error: describeError(error) };
    logger.error('pre-traffic check failed before finishing its checks', { deploymentId, error: outcome.error });
  } finally {
    await deps.codeDeploy.send(
      new PutLifecycleEventHookExecutionStatusCommand({ deploymentId, lifecycleEventHookExecutionId, status: outcome.status }),
    );
  }
  metrics.addMetadata('deploymentId', deploymentId);
  metrics.addMetric(outcome.status === 'Succeeded' ? 'PreTrafficCheckPassed' : 'PreTrafficCheckFailed', MetricUnit.Count, 1);
  return outcome;
}

// Clients are created once per execution environment and reused (docs/DESIGN.md §4 rule 2).
const codeDeploy = traced(new CodeDeployClient({}));
const lambda = traced(new LambdaClient({}));

export const handler = instrumented((event: unknown) => preTrafficCheck(event, { codeDeploy, lambda, environment: process.env }));
