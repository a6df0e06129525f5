/**
 * The real BedrockRuntimeClient, over HTTP/1.1, against a loopback node:http server that speaks
 * Titan Text Embeddings v2's InvokeModel wire format: proves the request leaves the process in the
 * shape Bedrock expects (path, signed headers, JSON body) and that responses and errors come back
 * parsed and mapped. `NodeHttpHandler` is required: the client otherwise speaks HTTP/2, which a
 * plain node:http server rejects (docs/DESIGN.md §2).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TitanEmbedder } from '../../lambdas/adapters/embedder/titan-embedder';
import { ModelThrottledError, ModelTimeoutError, ModelValidationError } from '../../lambdas/core/errors';

type Behaviour = 'answer' | 'throttle' | 'reject' | 'hang';

interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: z.infer<typeof TitanRequest>;
}

const TitanRequest = z.strictObject({ inputText: z.string(), dimensions: z.number(), normalize: z.boolean() });

let server: Server;
let endpoint: string;
let behaviour: Behaviour = 'answer';
const received: Received[] = [];
const hanging = new Set<ServerResponse>();

/** A deterministic vector whose first component encodes the text length, so order can be checked. */
function embeddingFor(text: string, dimensions: number): number[] {
  const raw = Array.from({ length: dimensions }, (_, i) => (i === 0 ? text.length : 1));
  const norm = Math.sqrt(raw.reduce((s, x) => s + x * x, 0));
  return raw.map((x) => x / norm);
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = TitanRequest.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    received.push({ method: req.method ?? '', path: decodeURIComponent(req.url ?? ''), headers: req.headers, body });
    if (behaviour === 'hang') {
      hanging.add(res);
      return;
    }
    if (behaviour === 'throttle') {
      res
        .writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'ThrottlingException' })
        .end(JSON.stringify({ message: 'Too many requests, please wait before trying again.' }));
      return;
    }
    if (behaviour === 'reject') {
      res
        .writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'ValidationException' })
        .end(JSON.stringify({ message: 'Malformed input request' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': `req-${received.length}` }).end(
      JSON.stringify({
        embedding: embeddingFor(body.inputText, body.dimensions),
        inputTextTokenCount: body.inputText.split(' ').length + 1,
      }),
    );
  });
}

function clientFor(): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIDLOOPBACK', secretAccessKey: 'loopback-not-a-secret' },
    requestHandler: new NodeHttpHandler(),
    // One attempt, so a 429 surfaces instead of being retried by the SDK's standard retry.
    maxAttempts: 1,
  });
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  endpoint = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  behaviour = 'answer';
  received.length = 0;
});

describe('TitanEmbedder over HTTP', () => {
  it('POSTs /model/amazon.titan-embed-text-v2:0/invoke with a signed Titan v2 body, one text per call', async () => {
    const client = clientFor();
    try {
      const embedder = new TitanEmbedder({ client, dimensions: 512 });
      const texts = ['Revenue grew 12 percent.', 'Margins narrowed.', 'Guidance was raised for the full year.'];
      const result = await embedder.embed(texts);

      expect(received).toHaveLength(3);
      for (const request of received) {
        expect(request.method).toBe('POST');
        expect(request.path).toBe('/model/amazon.titan-embed-text-v2:0/invoke');
        expect(request.headers['content-type']).toBe('application/json');
        expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOOPBACK\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
        expect(request.body.dimensions).toBe(512);
        expect(request.body.normalize).toBe(true);
      }
      expect(received.map((r) => r.body.inputText).sort()).toEqual([...texts].sort());

      // Vectors come back in input order, parsed as float32, with Titan's own token counts.
      expect(result.estimated).toBe(false);
      expect(result.vectors).toHaveLength(3);
      result.vectors.forEach((vector, i) => {
        expect(vector).toBeInstanceOf(Float32Array);
        expect(vector).toHaveLength(512);
        expect(vector[0]).toBeCloseTo(embeddingFor(texts[i]!, 512)[0]!, 6);
      });
      expect(result.inputTokens).toBe(texts.reduce((sum, t) => sum + t.split(' ').length + 1, 0));
    } finally {
      client.destroy();
    }
  });

  it('surfaces a 429 with x-amzn-errortype ThrottlingException as ModelThrottledError', async () => {
    behaviour = 'throttle';
    const client = clientFor();
    try {
      const failure = new TitanEmbedder({ client }).embed(['Shares fell after the guidance cut.']);
      await expect(failure).rejects.toBeInstanceOf(ModelThrottledError);
      await expect(failure).rejects.toMatchObject({ cause: { name: 'ThrottlingException' } });
      expect(received).toHaveLength(1);
    } finally {
      client.destroy();
    }
  });

  it('surfaces a 400 ValidationException as ModelValidationError', async () => {
    behaviour = 'reject';
    const client = clientFor();
    try {
      await expect(new TitanEmbedder({ client }).embed(['x'])).rejects.toBeInstanceOf(ModelValidationError);
    } finally {
      client.destroy();
    }
  });

  it('abandons a call the server never answers at its deadline, as ModelTimeoutError', async () => {
    behaviour = 'hang';
    const client = clientFor();
    try {
      await expect(new TitanEmbedder({ client, timeoutMs: 150 }).embed(['never answered'])).rejects.toBeInstanceOf(ModelTimeoutError);
      expect(received).toHaveLength(1);
    } finally {
      client.destroy();
    }
  });
});
