/**
 * The Bedrock runtime wire format, as much of it as the simulator serves: Converse requests and
 * responses, Titan Text Embeddings v2 InvokeModel bodies, and errors (an HTTP status plus the
 * `x-amzn-errortype` header the SDK turns into a named exception).
 */
import type { ServerResponse } from 'node:http';
import { z } from 'zod';

const CachePointSchema = z.object({ type: z.literal('default') });

/** A content block: text, a cache point, or another kind the simulator reads as empty. */
const ContentBlockSchema = z
  .object({ text: z.string().optional(), cachePoint: CachePointSchema.optional() })
  .loose()
  .refine((block) => Object.keys(block).length > 0, 'a content block must have a member');

export const ConverseRequestSchema = z
  .object({
    messages: z
      .array(z.object({ role: z.enum(['user', 'assistant']), content: z.array(ContentBlockSchema).min(1) }))
      .min(1, 'messages must not be empty')
      .refine((messages) => messages.length === 0 || messages[0]!.role === 'user', 'a conversation must start with a user message'),
    system: z.array(ContentBlockSchema).optional(),
    inferenceConfig: z
      .object({
        maxTokens: z.number().int().positive().optional(),
        temperature: z.number().min(0).max(1).optional(),
        topP: z.number().min(0).max(1).optional(),
        stopSequences: z.array(z.string()).max(4).optional(),
      })
      .optional(),
  })
  .loose();
export type ConverseRequest = z.infer<typeof ConverseRequestSchema>;
export type ContentBlock = z.infer<typeof ContentBlockSchema>;

/** Titan Text Embeddings v2 InvokeModel body. */
export const TitanRequestSchema = z.strictObject({
  inputText: z.string().min(1, 'inputText must not be empty').max(50_000, 'inputText is longer than 50,000 characters'),
  dimensions: z.union([z.literal(256), z.literal(512), z.literal(1024)]).default(1024),
  normalize: z.boolean().default(true),
  embeddingTypes: z.array(z.enum(['float', 'binary'])).optional(),
});

export interface ConverseUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}

export function converseResponseBody(text: string, stopReason: string, usage: ConverseUsage, latencyMs: number): string {
  return JSON.stringify({
    output: { message: { role: 'assistant', content: [{ text }] } },
    stopReason,
    usage,
    metrics: { latencyMs: Math.round(latencyMs) },
  });
}

/** Bedrock error types the simulator answers with, by HTTP status. */
export type BedrockErrorType =
  | 'ValidationException'
  | 'AccessDeniedException'
  | 'ResourceNotFoundException'
  | 'ThrottlingException'
  | 'ModelTimeoutException'
  | 'InternalServerException'
  | 'ServiceUnavailableException'
  | 'UnknownOperationException';

export const ERROR_STATUS: Record<BedrockErrorType, number> = {
  ValidationException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  UnknownOperationException: 404,
  ThrottlingException: 429,
  ModelTimeoutException: 408,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
};

export function sendError(res: ServerResponse, type: BedrockErrorType, message: string, requestId: string): void {
  if (res.headersSent || res.destroyed) return;
  res
    .writeHead(ERROR_STATUS[type], {
      'content-type': 'application/json',
      // The SDK reads the error name from this header (the part before any colon).
      'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      'x-amzn-requestid': requestId,
    })
    .end(JSON.stringify({ message }));
}

export function sendJson(res: ServerResponse, body: string, requestId: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': requestId, ...headers }).end(body);
}
