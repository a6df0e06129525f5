import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { InvokeCommandOutput } from '@aws-sdk/client-lambda';
import fc from 'fast-check';
import { evaluate, parseGoldenChecks } from '../../lambdas/core/contracts/golden-checks';
import { preTrafficCheck } from '../../lambdas/handlers/pre-traffic-check';
import type { GoldenCheck } from '../../lambdas/core/contracts/golden-checks';

const codeDeploy = mockClient(CodeDeployClient);
const lambda = mockClient(LambdaClient);

const TARGET = 'arn:aws:lambda:us-east-1:123456789012:function:fa-prod-query-api:7';
const EVENT = { DeploymentId: 'd-ABC123', LifecycleEventHookExecutionId: 'hook-1' };
// The SDK types Payload as its blob adapter (a Uint8Array with helpers the handler does not use).
const payload = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as InvokeCommandOutput['Payload'];

const checks: GoldenCheck[] = [
  { name: 'answers with citations', event: { body: '{"question":"q"}' }, expect: { statusCode: 200, bodyIncludes: ['"citations"'] } },
  { name: 'rejects a malformed item', event: {}, expect: { errorType: 'InputValidationError' } },
];

function environment(overrides: Record<string, string | undefined> = {}) {
  return { FA_TARGET_FUNCTION_ARN: TARGET, FA_GOLDEN_CHECKS: JSON.stringify(checks), ...overrides };
}

function run(environmentOverrides: Record<string, string | undefined> = {}, event: unknown = EVENT) {
  return preTrafficCheck(event, {
    codeDeploy: new CodeDeployClient({ region: 'us-east-1' }),
    lambda: new LambdaClient({ region: 'us-east-1' }),
    environment: environment(environmentOverrides),
  });
}

/** The status the hook reported to CodeDeploy (exactly one report per run). */
function reportedStatus(): string | undefined {
  const calls = codeDeploy.commandCalls(PutLifecycleEventHookExecutionStatusCommand);
  expect(calls).toHaveLength(1);
  expect(calls[0]!.args[0].input).toMatchObject({ deploymentId: 'd-ABC123', lifecycleEventHookExecutionId: 'hook-1' });
  return calls[0]!.args[0].input.status;
}

function answerGoldenChecks(): void {
  lambda
    .on(InvokeCommand, { Payload: payload(checks[0]!.event) })
    .resolves({ StatusCode: 200, Payload: payload({ statusCode: 200, body: JSON.stringify({ answer: 'a', citations: [{ id: 1 }] }) }) })
    .on(InvokeCommand, { Payload: payload(checks[1]!.event) })
    .resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: payload({ errorType: 'InputValidationError', errorMessage: 'ticker is required' }),
    });
}

beforeEach(() => {
  codeDeploy.reset();
  lambda.reset();
  codeDeploy.on(PutLifecycleEventHookExecutionStatusCommand).resolves({ lifecycleEventHookExecutionId: 'hook-1' });
});

describe('pre-traffic check', () => {
  it('reports Succeeded when every golden check passes against the new version', async () => {
    answerGoldenChecks();
    const outcome = await run();
    expect(outcome.status).toBe('Succeeded');
    expect(outcome.results.map((result) => result.passed)).toEqual([true, true]);
    expect(reportedStatus()).toBe('Succeeded');
    const invoked = lambda.commandCalls(InvokeCommand).map((call) => call.args[0].input);
    expect(invoked.map((input) => input.FunctionName)).toEqual([TARGET, TARGET]);
    expect(invoked.every((input) => input.InvocationType === 'RequestResponse')).toBe(true);
  });

  it('reports Failed when one golden check fails, and says which and why', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ statusCode: 200, body: '{"answer":"no sources"}' }) });
    const outcome = await run();
    expect(outcome.status).toBe('Failed');
    expect(outcome.results[0]).toEqual({ name: 'answers with citations', passed: false, detail: 'the answer lacks "\\"citations\\""' });
    expect(outcome.results[1]).toMatchObject({
      passed: false,
      detail: 'expected error InputValidationError, but the invocation succeeded',
    });
    expect(reportedStatus()).toBe('Failed');
  });

  it('reports Failed, still running the other checks, when invoking the new version throws', async () => {
    lambda
      .on(InvokeCommand)
      .rejectsOnce(new Error('ResourceNotFoundException: version 7 does not exist'))
      .resolves({ StatusCode: 200, Payload: payload({}) });
    const outcome = await run();
    expect(outcome.results).toHaveLength(2);
    expect(outcome.results[0]!.detail).toMatch(/^could not invoke the new version: Error: ResourceNotFoundException/);
    expect(reportedStatus()).toBe('Failed');
  });

  it('reports Failed when its own configuration is missing or broken, before invoking anything', async () => {
    for (const overrides of [
      { FA_TARGET_FUNCTION_ARN: undefined },
      { FA_TARGET_FUNCTION_ARN: 'fa-prod-query-api' },
      { FA_GOLDEN_CHECKS: 'not json' },
      { FA_GOLDEN_CHECKS: '[]' },
    ]) {
      codeDeploy.resetHistory();
      const outcome = await run(overrides);
      expect(outcome.status).toBe('Failed');
      expect(outcome.error).toMatch(/^ConfigError: /);
      expect(reportedStatus()).toBe('Failed');
    }
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it('throws when the event lacks the ids needed to report (it was not invoked by CodeDeploy)', async () => {
    await expect(run({}, { DeploymentId: 'd-1' })).rejects.toThrowError(/DeploymentId and LifecycleEventHookExecutionId/);
    expect(codeDeploy.commandCalls(PutLifecycleEventHookExecutionStatusCommand)).toHaveLength(0);
  });

  it("rethrows when CodeDeploy cannot be told, so the failure is visible in the hook's errors", async () => {
    answerGoldenChecks();
    codeDeploy.on(PutLifecycleEventHookExecutionStatusCommand).rejects(new Error('AccessDeniedException'));
    await expect(run()).rejects.toThrowError('AccessDeniedException');
  });
});

describe('golden check evaluation', () => {
  const proxyCheck = (expectation: GoldenCheck['expect']): GoldenCheck => ({ name: 'c', event: {}, expect: expectation });

  it('checks the status code of an API Gateway proxy result', () => {
    expect(evaluate(proxyCheck({ statusCode: 400 }), { payload: { statusCode: 400, body: '{}' } }).passed).toBe(true);
    expect(evaluate(proxyCheck({ statusCode: 400 }), { payload: { statusCode: 200, body: '{}' } })).toMatchObject({
      passed: false,
      detail: 'expected status 400, got 200',
    });
  });

  it('checks top-level fields against allowed values', () => {
    const check = proxyCheck({ fieldOneOf: { status: ['verified', 'facts_only'] } });
    expect(evaluate(check, { payload: { ticker: 'AAA', status: 'facts_only' } }).passed).toBe(true);
    expect(evaluate(check, { payload: { ticker: 'AAA', status: 'failed' } })).toMatchObject({
      passed: false,
      detail: 'expected status to be one of "verified", "facts_only", got "failed"',
    });
  });

  it('fails a check that expected an answer when the function threw, quoting the error', () => {
    const result = evaluate(proxyCheck({ statusCode: 200 }), {
      functionError: 'Unhandled',
      payload: { errorType: 'ModelTimeoutError', errorMessage: 'deadline passed\nstack…' },
    });
    expect(result).toEqual({ name: 'c', passed: false, detail: 'the invocation failed: ModelTimeoutError: deadline passed' });
  });

  it('passes an expected error only when its name matches', () => {
    const check = proxyCheck({ errorType: 'InputValidationError' });
    expect(evaluate(check, { functionError: 'Unhandled', payload: { errorType: 'InputValidationError' } }).passed).toBe(true);
    expect(evaluate(check, { functionError: 'Unhandled', payload: { errorType: 'Error' } })).toMatchObject({
      passed: false,
      detail: 'expected error InputValidationError, got Error',
    });
  });

  it('never throws and always returns one line, whatever the function returned', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.option(fc.constantFrom('Handled', 'Unhandled'), { nil: undefined }), (value, functionError) => {
        for (const expectation of [
          { statusCode: 200, bodyIncludes: ['x'] },
          { errorType: 'E' },
          { fieldOneOf: { a: [1] } },
        ] as GoldenCheck['expect'][]) {
          const result = evaluate(proxyCheck(expectation), { functionError, payload: value });
          expect(result.detail).not.toContain('\n');
        }
      }),
    );
  });

  it('parses the checks the CDK app renders and rejects malformed ones with the field', () => {
    expect(parseGoldenChecks(JSON.stringify(checks))).toEqual(checks);
    expect(() => parseGoldenChecks('[{"name":"x","event":{},"expect":{"statusCode":"200"}}]')).toThrowError(
      /^FA_GOLDEN_CHECKS is invalid at 0\.expect/,
    );
  });
});

describe('the grounded expectation', () => {
  const check: GoldenCheck = { name: 'grounded answer', event: {}, expect: { statusCode: 200, grounded: true } };

  async function realAnswer(): Promise<{ sentences: Array<{ text: string }> }> {
    const { LocalAnswerLlm } = await import('../../lambdas/adapters/llm/local-answer-llm');
    const { answerQuery } = await import('../../lambdas/core/query/query-service');
    const { testQueryDeps } = await import('../integration/query-fixtures');
    const outcome = await answerQuery(
      'fa-golden',
      { question: 'What was KQRV revenue last quarter?' },
      await testQueryDeps({ llm: new LocalAnswerLlm() }),
    );
    if (outcome.kind !== 'answered') throw new Error('no answer');
    return outcome.answer as unknown as { sentences: Array<{ text: string }> };
  }

  it('passes an answer whose figures its own citations hold', async () => {
    const answer = await realAnswer();
    const result = evaluate(check, { payload: { statusCode: 200, body: JSON.stringify(answer) } });
    expect(result.detail).toBe('answered as expected');
    expect(result.passed).toBe(true);
  });

  it('fails an answer with a figure its citations contradict, naming the sentence', async () => {
    const answer = await realAnswer();
    const sentence = answer.sentences.find((s) => /\$\d/.test(s.text))!;
    sentence.text = sentence.text.replace(/\$(\d)/, (_, d: string) => `$${(Number(d) + 3) % 10}`);
    const result = evaluate(check, { payload: { statusCode: 200, body: JSON.stringify(answer) } });
    expect(result.passed).toBe(false);
    expect(result.detail).toMatch(/contradict/);
  });

  it('fails a body that is not a query answer', () => {
    expect(evaluate(check, { payload: { statusCode: 200, body: '{"ok":true}' } }).detail).toBe('the body is not a query answer');
  });
});

describe('the golden answer checks', () => {
  const answer = (overrides: Record<string, unknown> = {}) => ({
    statusCode: 200,
    body: JSON.stringify({
      sentences: [{ text: 'Worzeix reported revenue of $366.4 million for the third quarter of fiscal 2026.', citations: [1] }],
      citations: [
        { n: 1, sourceId: 'doc-1', title: '10-Q', date: '2026-11-09', quote: 'revenue, the third quarter of fiscal 2026: $366.4 million' },
      ],
      ...overrides,
    }),
  });
  const check = (expect: GoldenCheck['expect']): GoldenCheck => ({ name: 'golden', event: {}, expect });

  it('pass an answer whose citations resolve and whose figure its quote supports', () => {
    expect(evaluate(check({ citationsResolve: true, grounded: true, minGroundedFigures: 1 }), { payload: answer() })).toMatchObject({
      passed: true,
    });
  });

  it('fail an answer citing a number its list lacks, or a figure without a citation', () => {
    const dangling = answer({ sentences: [{ text: 'Revenue was $366.4 million.', citations: [2] }] });
    expect(evaluate(check({ citationsResolve: true }), { payload: dangling }).detail).toBe(
      'the answer cites [2], which its citation list lacks',
    );
    const uncited = answer({ sentences: [{ text: 'Revenue was $366.4 million.', citations: [] }] });
    expect(evaluate(check({ citationsResolve: true }), { payload: uncited }).detail).toMatch(/without a citation/);
  });

  it('fail an answer with no figure its citations support when figures are required', () => {
    const vague = answer({ sentences: [{ text: 'Worzeix had a quarter.', citations: [1] }] });
    expect(evaluate(check({ grounded: true, minGroundedFigures: 1 }), { payload: vague })).toMatchObject({
      passed: false,
      detail: 'the answer states 0 figures its citations support, fewer than 1',
    });
  });

  it('fail an answer whose figure its own quote contradicts', () => {
    const wrong = answer({
      sentences: [{ text: 'Worzeix reported revenue of $466.4 million for the third quarter of fiscal 2026.', citations: [1] }],
    });
    expect(evaluate(check({ grounded: true }), { payload: wrong }).passed).toBe(false);
  });
});
