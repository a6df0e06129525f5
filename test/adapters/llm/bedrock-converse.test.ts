import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ConverseCommand,
  InternalServerException,
  ModelErrorException,
  ModelNotReadyException,
  ModelTimeoutException,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import type { ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BedrockConverseLlm, mapBedrockError } from '../../../lambdas/adapters/llm/bedrock-converse';
import type { LlmRequest } from '../../../lambdas/core/ports/index';
import {
  ModelAccessError,
  ModelServiceError,
  ModelThrottledError,
  ModelTimeoutError,
  ModelValidationError,
} from '../../../lambdas/core/errors';

const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

const request: LlmRequest = {
  task: 'write_summary',
  modelId: SONNET,
  system: 'You write cited stock briefs from the facts given. Never invent a number.',
  prompt: 'FACTS: revenue FY2025 = 1.2 billion USD [doc-1]',
  maxTokens: 1024,
  temperature: 0.2,
  timeoutMs: 5_000,
};

function converseOutput(overrides: Partial<ConverseCommandOutput> = {}): ConverseCommandOutput {
  return {
    $metadata: { httpStatusCode: 200 },
    output: { message: { role: 'assistant', content: [{ text: 'Revenue was $1.2 billion in fiscal 2025 [1].' }] } },
    stopReason: 'end_turn',
    usage: { inputTokens: 1_500, outputTokens: 40, totalTokens: 1_540, cacheReadInputTokens: 1_200, cacheWriteInputTokens: 0 },
    metrics: { latencyMs: 812 },
    ...overrides,
  };
}

const client = new BedrockRuntimeClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
const bedrock = mockClient(client);

beforeEach(() => bedrock.reset());
afterEach(() => bedrock.reset());

function lastInput() {
  const calls = bedrock.commandCalls(ConverseCommand);
  expect(calls).toHaveLength(1);
  return calls[0]!.args[0].input;
}

describe('BedrockConverseLlm request', () => {
  it('puts the static system prompt first, followed by a cache point, and the prompt in one user message', async () => {
    bedrock.on(ConverseCommand).resolves(converseOutput());
    await new BedrockConverseLlm({ client }).converse(request);

    const input = lastInput();
    expect(input.modelId).toBe(SONNET);
    expect(input.system).toEqual([{ text: request.system }, { cachePoint: { type: 'default' } }]);
    expect(input.messages).toEqual([{ role: 'user', content: [{ text: request.prompt }] }]);
    expect(input.inferenceConfig).toEqual({ maxTokens: 1024, temperature: 0.2 });
  });

  it('always sets maxTokens and leaves temperature out when the request has none', async () => {
    bedrock.on(ConverseCommand).resolves(converseOutput());
    const { temperature: _omitted, ...withoutTemperature } = request;
    await new BedrockConverseLlm({ client }).converse({ ...withoutTemperature, maxTokens: 64 });

    expect(lastInput().inferenceConfig).toEqual({ maxTokens: 64 });
  });

  it('sends no cache point to a model without prompt caching', async () => {
    bedrock.on(ConverseCommand).resolves(converseOutput());
    const llm = new BedrockConverseLlm({ client, promptCaching: (modelId) => modelId === SONNET });
    await llm.converse({ ...request, modelId: 'amazon.titan-text-premier-v1:0' });

    expect(lastInput().system).toEqual([{ text: request.system }]);
  });

  it('sends no cache point when caching is switched off for every model', async () => {
    bedrock.on(ConverseCommand).resolves(converseOutput());
    await new BedrockConverseLlm({ client, promptCaching: false }).converse(request);

    expect(lastInput().system).toEqual([{ text: request.system }]);
  });

  it('omits the system blocks entirely when there are no instructions (a lone cache point is invalid)', async () => {
    bedrock.on(ConverseCommand).resolves(converseOutput());
    await new BedrockConverseLlm({ client }).converse({ ...request, system: '  ' });

    expect(lastInput().system).toBeUndefined();
  });

  it('passes a deadline signal to the SDK for every call', async () => {
    bedrock.on(ConverseCommand).resolves(converseOutput());
    await new BedrockConverseLlm({ client }).converse(request);

    const args: unknown[] = bedrock.send.getCall(0).args;
    expect(args[1]).toMatchObject({ abortSignal: expect.any(AbortSignal) });
  });

  it('rejects a maxTokens that is not a positive integer before calling Bedrock', async () => {
    const llm = new BedrockConverseLlm({ client });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ max: 0 }), fc.double({ min: 0.01, max: 10_000, noInteger: true }), fc.constant(Number.NaN)),
        async (maxTokens) => {
          await expect(llm.converse({ ...request, maxTokens })).rejects.toBeInstanceOf(ModelValidationError);
        },
      ),
      { numRuns: 50 },
    );
    expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(0);
  });

  it('rejects an empty prompt, a temperature outside [0, 1] and a non-positive deadline', async () => {
    const llm = new BedrockConverseLlm({ client });
    await expect(llm.converse({ ...request, prompt: '' })).rejects.toBeInstanceOf(ModelValidationError);
    await expect(llm.converse({ ...request, temperature: 1.5 })).rejects.toBeInstanceOf(ModelValidationError);
    await expect(llm.converse({ ...request, timeoutMs: 0 })).rejects.toBeInstanceOf(ModelValidationError);
    expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(0);
  });
});

describe('BedrockConverseLlm response', () => {
  it('maps text, usage with cache counts, provider latency and stop reason', async () => {
    bedrock.on(ConverseCommand).resolves(converseOutput());
    const response = await new BedrockConverseLlm({ client }).converse(request);

    expect(response).toEqual({
      text: 'Revenue was $1.2 billion in fiscal 2025 [1].',
      modelId: SONNET,
      usage: { inputTokens: 1_500, outputTokens: 40, cacheReadInputTokens: 1_200, cacheWriteInputTokens: 0 },
      estimated: false,
      latencyMs: 812,
      stopReason: 'end_turn',
    });
  });

  it('concatenates every text block and skips non-text blocks', async () => {
    bedrock.on(ConverseCommand).resolves(
      converseOutput({
        output: {
          message: {
            role: 'assistant',
            content: [{ text: '{"hook":' }, { reasoningContent: { reasoningText: { text: 'thinking' } } }, { text: '"ok"}' }],
          },
        },
      }),
    );
    const response = await new BedrockConverseLlm({ client }).converse(request);

    expect(response.text).toBe('{"hook":"ok"}');
  });

  it('reads missing cache counts as zero and measures latency with the injected clock when Bedrock reports none', async () => {
    bedrock
      .on(ConverseCommand)
      .resolves(converseOutput({ usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 }, metrics: undefined }));
    const ticks = [1_000, 1_250];
    const response = await new BedrockConverseLlm({ client, now: () => ticks.shift() ?? 0 }).converse(request);

    expect(response.usage).toEqual({ inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 });
    expect(response.latencyMs).toBe(250);
  });

  it('returns a max_tokens stop as a response, not an error, so the caller can see the truncation', async () => {
    bedrock.on(ConverseCommand).resolves(converseOutput({ stopReason: 'max_tokens' }));
    const response = await new BedrockConverseLlm({ client }).converse(request);

    expect(response.stopReason).toBe('max_tokens');
    expect(response.text.length).toBeGreaterThan(0);
  });

  it('treats a reply without a message as a service failure', async () => {
    bedrock.on(ConverseCommand).resolves(converseOutput({ output: undefined }));
    await expect(new BedrockConverseLlm({ client }).converse(request)).rejects.toBeInstanceOf(ModelServiceError);
  });
});

function namedError(name: string, message = `${name} happened`, httpStatusCode?: number): Error {
  const error = new Error(message);
  error.name = name;
  if (httpStatusCode !== undefined) Object.assign(error, { $metadata: { httpStatusCode } });
  return error;
}

const meta = { $metadata: {}, message: 'from Bedrock' };

describe('BedrockConverseLlm error mapping', () => {
  const cases: Array<[string, Error, new (...args: never[]) => Error]> = [
    ['ThrottlingException', new ThrottlingException(meta), ModelThrottledError],
    ['ServiceQuotaExceededException', new ServiceQuotaExceededException(meta), ModelThrottledError],
    ['TooManyRequestsException', namedError('TooManyRequestsException'), ModelThrottledError],
    ['an unmodelled 429', namedError('Unknown', 'slow down', 429), ModelThrottledError],
    ['AbortError', namedError('AbortError', 'Request aborted'), ModelTimeoutError],
    ['TimeoutError', namedError('TimeoutError', 'socket timed out'), ModelTimeoutError],
    ['RequestTimeout', namedError('RequestTimeout'), ModelTimeoutError],
    ['ModelTimeoutException', new ModelTimeoutException(meta), ModelTimeoutError],
    ['ValidationException', new ValidationException(meta), ModelValidationError],
    ['AccessDeniedException', new AccessDeniedException(meta), ModelAccessError],
    ['ResourceNotFoundException', new ResourceNotFoundException(meta), ModelAccessError],
    ['UnrecognizedClientException', namedError('UnrecognizedClientException', 'bad token', 403), ModelAccessError],
    ['InternalServerException', new InternalServerException(meta), ModelServiceError],
    ['ServiceUnavailableException', new ServiceUnavailableException(meta), ModelServiceError],
    ['ModelNotReadyException', new ModelNotReadyException(meta), ModelServiceError],
    ['ModelErrorException', new ModelErrorException(meta), ModelServiceError],
    ['an unmodelled 502', namedError('BadGateway', 'bad gateway', 502), ModelServiceError],
    ['a connection reset', Object.assign(namedError('Error', 'socket hang up'), { code: 'ECONNRESET' }), ModelServiceError],
  ];

  it.each(cases)('maps %s to the named error class and keeps the original as cause', async (_label, thrown, expected) => {
    bedrock.on(ConverseCommand).rejects(thrown);
    const failure = await new BedrockConverseLlm({ client }).converse(request).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(expected);
    expect(failure).toHaveProperty('name', expected.name);
    expect(failure).toHaveProperty('cause', thrown);
    expect((failure as Error).message).toContain(SONNET);
    expect((failure as Error).message).not.toContain('\n');
  });

  it('calls any failure after the deadline fired a timeout, whatever the SDK named it', () => {
    const mapped = mapBedrockError(namedError('Error', 'socket hang up'), { modelId: SONNET, deadlineExpired: true, timeoutMs: 300 });
    expect(mapped).toBeInstanceOf(ModelTimeoutError);
    expect(mapped.message).toContain('deadline 300 ms');
  });

  it('passes an already-named model error through unchanged', () => {
    const original = new ModelThrottledError('already mapped');
    expect(mapBedrockError(original, { modelId: SONNET })).toBe(original);
  });
});
