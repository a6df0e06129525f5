/**
 * The one place that builds a BedrockRuntimeClient (Converse and Titan embeddings share it). Create
 * it once per module and reuse it: the client owns a connection pool.
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity } from '@smithy/types';

export interface BedrockRuntimeClientOptions {
  region: string;
  /** Endpoint override, e.g. the loopback Bedrock simulator (FA_BEDROCK_ENDPOINT). */
  endpoint?: string;
  /** Attempts per call including the first (SDK standard retry, with backoff). Default 3. */
  maxAttempts?: number;
  /**
   * With an endpoint override: give up connecting after this long. Default 5,000 ms: a refused
   * loopback connection fails at once anyway, and locally one busy process (a 100-wide batch with
   * the simulator beside it) can lag its event loop past a second, which a 1 s limit misread as a
   * dead endpoint. Per-call deadlines still bound every call.
   */
  connectionTimeoutMs?: number;
  /**
   * With an endpoint override: a backstop for a whole attempt. Per-call deadlines are the adapters'
   * abort signals; this only catches a call made without one. Default 120,000 ms.
   */
  requestTimeoutMs?: number;
  /**
   * With an endpoint override: sockets per host. Default unbounded: the SDK's connection timeout
   * also runs while a request waits in the agent's queue for a free socket, so any cap below the
   * calls in flight (a 100-wide batch, or one local API process standing in for 500 Lambdas) turns
   * queueing into false connection timeouts. The callers bound concurrency themselves.
   */
  maxSockets?: number;
  /** Explicit credentials. A loopback endpoint gets placeholder credentials when none are given. */
  credentials?: AwsCredentialIdentity;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function isLoopback(endpoint: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}

/**
 * Build the Bedrock runtime client.
 *
 * With an endpoint override the client uses `NodeHttpHandler` (HTTP/1.1): the Bedrock runtime client
 * otherwise speaks HTTP/2, which a plain `node:http` simulator rejects with a protocol error. The
 * simulator never checks signatures, so a loopback endpoint signs with placeholder credentials and
 * needs no AWS account. Without an override the SDK defaults apply (real Bedrock).
 */
export function createBedrockRuntimeClient(options: BedrockRuntimeClientOptions): BedrockRuntimeClient {
  const config: BedrockRuntimeClientConfig = {
    region: options.region,
    maxAttempts: options.maxAttempts ?? 3,
  };
  if (options.credentials) config.credentials = options.credentials;
  if (options.endpoint !== undefined) {
    config.endpoint = options.endpoint;
    config.requestHandler = new NodeHttpHandler({
      connectionTimeout: options.connectionTimeoutMs ?? 5_000,
      requestTimeout: options.requestTimeoutMs ?? 120_000,
      throwOnRequestTimeout: true,
      httpAgent: { maxSockets: options.maxSockets ?? Number.POSITIVE_INFINITY },
    });
    if (!options.credentials && isLoopback(options.endpoint)) {
      config.credentials = { accessKeyId: 'FA-SIMULATOR', secretAccessKey: 'fa-simulator-not-a-secret' };
    }
  }
  return new BedrockRuntimeClient(config);
}
