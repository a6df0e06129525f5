import {
  AccessDeniedException,
  BedrockRuntimeClient,
  InternalServerException,
  InvokeModelCommand,
  ModelNotReadyException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import type { InvokeModelCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TITAN_EMBED_V2_MODEL_ID, TitanEmbedder } from '../../../lambdas/adapters/embedder/titan-embedder';
import {
  ConfigError,
  ModelAccessError,
  ModelServiceError,
  ModelThrottledError,
  ModelTimeoutError,
  ModelValidationError,
} from '../../../lambdas/core/errors';

const client = new BedrockRuntimeClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
const bedrock = mockClient(client);

beforeEach(() => bedrock.reset());
afterEach(() => bedrock.reset());

const RequestBody = z.object({ inputText: z.string(), dimensions: z.number(), normalize: z.literal(true) });

/** An InvokeModel response carrying `payload` as its JSON body. */
function output(payload: unknown): InvokeModelCommandOutput {
  const json = JSON.stringify(payload);
  const body = Object.assign(new TextEncoder().encode(json), { transformToString: () => json });
  return { $metadata: { httpStatusCode: 200 }, contentType: 'application/json', body };
}

/** A deterministic fake embedding: the text's length in the first component. */
function fakeEmbedding(text: string, dimensions: number): number[] {
  return Array.from({ length: dimensions }, (_, i) => (i === 0 ? text.length : 0));
}

function requestOf(input: { body?: unknown }): z.infer<typeof RequestBody> {
  const raw = typeof input.body === 'string' ? input.body : new TextDecoder().decode(input.body as Uint8Array);
  return RequestBody.parse(JSON.parse(raw));
}

function answerEverything(dimensions: number): void {
  bedrock.on(InvokeModelCommand).callsFake((input: { body?: unknown }) => {
    const { inputText } = requestOf(input);
    return output({ embedding: fakeEmbedding(inputText, dimensions), inputTextTokenCount: inputText.split(' ').length });
  });
}

describe('TitanEmbedder', () => {
  it('sends one Titan v2 request per text with dimensions and normalize, and keeps the order', async () => {
    answerEverything(512);
    const embedder = new TitanEmbedder({ client, dimensions: 512 });
    const texts = ['a', 'bb bb', 'ccc ccc ccc', 'dddd'];
    const result = await embedder.embed(texts);
    expect(embedder.modelId).toBe(TITAN_EMBED_V2_MODEL_ID);
    expect(result.estimated).toBe(false);
    expect(result.vectors.map((v) => v[0])).toEqual([1, 5, 11, 4]);
    expect(result.vectors.every((v) => v instanceof Float32Array && v.length === 512)).toBe(true);
    expect(result.inputTokens).toBe(1 + 2 + 3 + 1);
    const calls = bedrock.commandCalls(InvokeModelCommand);
    expect(calls).toHaveLength(4);
    for (const call of calls) {
      const input = call.args[0].input;
      expect(input.modelId).toBe('amazon.titan-embed-text-v2:0');
      expect(input.contentType).toBe('application/json');
      expect(requestOf(input)).toMatchObject({ dimensions: 512, normalize: true });
    }
    expect(calls.map((c) => requestOf(c.args[0].input).inputText).sort()).toEqual([...texts].sort());
  });

  it('never has more calls in flight than its concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    bedrock.on(InvokeModelCommand).callsFake(async (input: { body?: unknown }) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return output({ embedding: fakeEmbedding(requestOf(input).inputText, 256), inputTextTokenCount: 1 });
    });
    const result = await new TitanEmbedder({ client, concurrency: 3 }).embed(Array.from({ length: 20 }, (_, i) => `text ${i}`));
    expect(result.vectors).toHaveLength(20);
    expect(peak).toBe(3);
  });

  it('defaults to 8 calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    bedrock.on(InvokeModelCommand).callsFake(async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return output({ embedding: fakeEmbedding('x', 256), inputTextTokenCount: 1 });
    });
    await new TitanEmbedder({ client }).embed(Array.from({ length: 30 }, (_, i) => `t${i}`));
    expect(peak).toBe(8);
  });

  it('makes no call for an empty batch', async () => {
    expect(await new TitanEmbedder({ client }).embed([])).toEqual({ vectors: [], inputTokens: 0, estimated: false });
    expect(bedrock.commandCalls(InvokeModelCommand)).toHaveLength(0);
  });

  it.each([
    ['ThrottlingException', new ThrottlingException({ message: 'Too many requests', $metadata: {} }), ModelThrottledError],
    ['ValidationException', new ValidationException({ message: 'Input is too long', $metadata: {} }), ModelValidationError],
    ['AccessDeniedException', new AccessDeniedException({ message: 'no access', $metadata: {} }), ModelAccessError],
    ['ResourceNotFoundException', new ResourceNotFoundException({ message: 'no model', $metadata: {} }), ModelAccessError],
    ['ServiceUnavailableException', new ServiceUnavailableException({ message: 'down', $metadata: {} }), ModelServiceError],
    ['InternalServerException', new InternalServerException({ message: 'oops', $metadata: {} }), ModelServiceError],
    ['ModelNotReadyException', new ModelNotReadyException({ message: 'warming', $metadata: {} }), ModelServiceError],
  ])('maps %s to its named error', async (_name, error, expected) => {
    bedrock.on(InvokeModelCommand).rejects(error);
    const failure = new TitanEmbedder({ client }).embed(['some text']);
    await expect(failure).rejects.toBeInstanceOf(expected);
    await expect(failure).rejects.toMatchObject({ name: expected.name, cause: error });
  });

  it('maps an abort to ModelTimeoutError and a bare 503 to ModelServiceError', async () => {
    const abort = Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    bedrock.on(InvokeModelCommand).rejects(abort);
    await expect(new TitanEmbedder({ client }).embed(['x'])).rejects.toBeInstanceOf(ModelTimeoutError);
    bedrock.reset();
    const unknown = Object.assign(new Error('Service Unavailable'), { name: 'Unknown', $metadata: { httpStatusCode: 503 } });
    bedrock.on(InvokeModelCommand).rejects(unknown);
    await expect(new TitanEmbedder({ client }).embed(['x'])).rejects.toBeInstanceOf(ModelServiceError);
  });

  it('gives up on a call at its deadline with ModelTimeoutError, aborting the request', async () => {
    let signal: AbortSignal | undefined;
    const send = (_command: unknown, options?: { abortSignal?: AbortSignal }): Promise<never> => {
      signal = options?.abortSignal;
      return new Promise<never>(() => undefined);
    };
    const embedder = new TitanEmbedder({ client: { send: send as BedrockRuntimeClient['send'] }, timeoutMs: 20 });
    await expect(embedder.embed(['never answered'])).rejects.toBeInstanceOf(ModelTimeoutError);
    expect(signal?.aborted).toBe(true);
  });

  it('stops starting calls after the first failure and throws that failure', async () => {
    let calls = 0;
    bedrock.on(InvokeModelCommand).callsFake(async () => {
      calls += 1;
      if (calls === 2) throw new ThrottlingException({ message: 'slow down', $metadata: {} });
      await new Promise((resolve) => setImmediate(resolve));
      return output({ embedding: fakeEmbedding('x', 256), inputTextTokenCount: 1 });
    });
    await expect(new TitanEmbedder({ client, concurrency: 2 }).embed(Array.from({ length: 50 }, (_, i) => `t${i}`))).rejects.toBeInstanceOf(
      ModelThrottledError,
    );
    expect(calls).toBeLessThan(5);
  });

  it('rejects an empty text without calling Bedrock', async () => {
    await expect(new TitanEmbedder({ client }).embed(['  '])).rejects.toBeInstanceOf(ModelValidationError);
    expect(bedrock.commandCalls(InvokeModelCommand)).toHaveLength(0);
  });

  it('treats a malformed or wrong-sized response as a service error', async () => {
    bedrock.on(InvokeModelCommand).resolves(output({ embeddings: [] }));
    await expect(new TitanEmbedder({ client }).embed(['x'])).rejects.toBeInstanceOf(ModelServiceError);
    bedrock.reset();
    bedrock.on(InvokeModelCommand).resolves(output({ embedding: [0.1, 0.2], inputTextTokenCount: 1 }));
    await expect(new TitanEmbedder({ client, dimensions: 256 }).embed(['x'])).rejects.toThrow(/2 dimensions, expected 256/);
  });

  it('accepts only the dimensions Titan v2 supports', () => {
    for (const dimensions of [256, 512, 1024]) expect(new TitanEmbedder({ client, dimensions }).dimensions).toBe(dimensions);
    expect(new TitanEmbedder({ client }).dimensions).toBe(256);
    expect(() => new TitanEmbedder({ client, dimensions: 384 })).toThrow(ConfigError);
    expect(() => new TitanEmbedder({ client, concurrency: 0 })).toThrow(ConfigError);
  });
});
