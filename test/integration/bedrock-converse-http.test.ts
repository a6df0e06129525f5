/**
 * The real BedrockRuntimeClient (built by createBedrockRuntimeClient) against a loopback node:http
 * server speaking the Converse wire format: proves the request really leaves the process in the
 * shape Bedrock expects, and that responses and errors come back mapped.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createBedrockRuntimeClient } from '../../lambdas/adapters/llm/bedrock-client';
import { BedrockConverseLlm } from '../../lambdas/adapters/llm/bedrock-converse';
import type { LlmRequest } from '../../lambdas/core/ports';
import { ModelThrottledError, ModelTimeoutError } from '../../lambdas/core/errors';

const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

type Behaviour = 'answer' | 'throttle' | 'hang';

const ConverseBody = z.object({
  system: z.array(z.record(z.string(), z.unknown())),
  messages: z.array(z.object({ role: z.string(), content: z.array(z.object({ text: z.string() })) })),
  inferenceConfig: z.object({ maxTokens: z.number(), temperature: z.number().optional() }),
});

let server: Server;
let endpoint: string;
let behaviour: Behaviour = 'answer';
const received: Received[] = [];
const hanging = new Set<ServerResponse>();

function answer(res: ServerResponse): void {
  const body = JSON.stringify({
    output: { message: { role: 'assistant', content: [{ text: 'Revenue grew 12% ' }, { text: 'to $1.2 billion [1].' }] } },
    stopReason: 'end_turn',
    usage: { inputTokens: 2_048, outputTokens: 17, totalTokens: 2_065, cacheReadInputTokens: 0, cacheWriteInputTokens: 1_900 },
    metrics: { latencyMs: 640 },
  });
  res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1' }).end(body);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) : undefined });
      if (behaviour === 'answer') return answer(res);
      if (behaviour === 'throttle') {
        res
          .writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'ThrottlingException' })
          .end(JSON.stringify({ message: 'Too many requests, please wait before trying again.' }));
        return;
      }
      hanging.add(res); // never answers; released in afterAll
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received.length = 0;
  behaviour = 'answer';
});

function clientFor(): BedrockRuntimeClient {
  return createBedrockRuntimeClient({
    region: 'us-east-1',
    endpoint,
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDLOOPBACKTEST', secretAccessKey: 'loopback-test-secret' },
  });
}

const request: LlmRequest = {
  task: 'write_summary',
  modelId: SONNET,
  system: 'You write cited stock briefs from the facts given. Never invent a number.',
  prompt: 'FACTS: revenue FY2025 = 1.2 billion USD [doc-1]',
  maxTokens: 900,
  temperature: 0.2,
  timeoutMs: 10_000,
};

describe('BedrockConverseLlm over HTTP against a loopback Converse server', () => {
  it('sends POST /model/{url-encoded id}/converse with system, cache point, messages and maxTokens, and parses the reply', async () => {
    const client = clientFor();
    try {
      const response = await new BedrockConverseLlm({ client }).converse(request);

      expect(received).toHaveLength(1);
      const [call] = received;
      expect(call!.method).toBe('POST');
      expect(call!.path).toBe(`/model/${encodeURIComponent(SONNET)}/converse`);
      expect(call!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOOPBACKTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
      const body = ConverseBody.parse(call!.body);
      expect(body.system).toEqual([{ text: request.system }, { cachePoint: { type: 'default' } }]);
      expect(body.messages).toEqual([{ role: 'user', content: [{ text: request.prompt }] }]);
      expect(body.inferenceConfig).toEqual({ maxTokens: 900, temperature: 0.2 });

      expect(response).toEqual({
        text: 'Revenue grew 12% to $1.2 billion [1].',
        modelId: SONNET,
        usage: { inputTokens: 2_048, outputTokens: 17, cacheReadInputTokens: 0, cacheWriteInputTokens: 1_900 },
        estimated: false,
        latencyMs: 640,
        stopReason: 'end_turn',
      });
    } finally {
      client.destroy();
    }
  });

  it('maps a 429 with x-amzn-errortype ThrottlingException to ModelThrottledError', async () => {
    behaviour = 'throttle';
    const client = clientFor();
    try {
      const failure = await new BedrockConverseLlm({ client }).converse(request).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ModelThrottledError);
      expect(failure).toHaveProperty('cause.name', 'ThrottlingException');
      expect(received).toHaveLength(1);
    } finally {
      client.destroy();
    }
  });

  it('gives up on a server that never answers with ModelTimeoutError at the deadline', async () => {
    behaviour = 'hang';
    const client = clientFor();
    try {
      const failure = await new BedrockConverseLlm({ client }).converse({ ...request, timeoutMs: 300 }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ModelTimeoutError);
      expect(received).toHaveLength(1);
    } finally {
      client.destroy();
    }
  });

  it('signs loopback calls with placeholder credentials when none are given', async () => {
    const client = createBedrockRuntimeClient({ region: 'us-east-1', endpoint, maxAttempts: 1 });
    try {
      await new BedrockConverseLlm({ client }).converse(request);
      expect(received[0]!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=FA-SIMULATOR\//);
    } finally {
      client.destroy();
    }
  });
});
