/**
 * A Bedrock-compatible HTTP server on loopback (FA_LLM=sim): the real `@aws-sdk/client-bedrock-runtime`
 * client, given this endpoint and `NodeHttpHandler` (HTTP/1.1, see bedrock-client.ts), sends its
 * Converse and InvokeModel requests here. What it answers is decided by the engine
 * (bedrock-sim/engine.ts): content from the local providers, usage with prompt caching, latency per
 * model, quotas and injected faults.
 *
 * Like dynalite, one process owns the simulator of a data dir and advertises its endpoint there, so
 * `serve` and `batch` running together share one simulated account (one quota, one prompt cache).
 *
 * Routes: `POST /model/{modelId}/converse`, `POST /model/{modelId}/invoke`, and for tools
 * `GET /__simulator/health`, `GET /__simulator/stats`, `POST /__simulator/reset`.
 */
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import type { LlmPort } from '../lambdas/core/ports';
import type { SimulatorConfig } from './bedrock-sim/config';
import { simulatorConfigFromEnv } from './bedrock-sim/config';
import { SimulatorEngine } from './bedrock-sim/engine';
import type { Reply, SimulatorStats } from './bedrock-sim/engine';
import { sendError, sendJson } from './bedrock-sim/wire';

export type { SimulatorStats } from './bedrock-sim/engine';

/** Bedrock refuses request bodies over 20 MB (Converse and InvokeModel alike). */
const MAX_BODY_BYTES = 20 * 1024 * 1024;

export interface BedrockSimulatorOptions {
  /** Default: from the environment (simulatorConfigFromEnv). */
  config?: SimulatorConfig;
  /** Content for non-brief prompts (see SimulatorEngineOptions.content). */
  content?: LlmPort;
  /** Default 0: any free port. Always bound to 127.0.0.1. */
  port?: number;
  /** Real monotonic clock in ms (tests inject one). */
  now?: () => number;
  /**
   * Append every model request (model id and body) to this JSONL file, so a test can read what the
   * product sent to a model (the security suite scans it for PII). Default FA_BEDROCK_SIM_REQUEST_LOG; none when unset.
   */
  requestLogFile?: string;
}

export interface BedrockSimulator {
  /** `http://127.0.0.1:<port>`, for FA_BEDROCK_ENDPOINT. */
  endpoint: string;
  config: SimulatorConfig;
  /** Per-model counters and the simulated time elapsed. */
  stats(): SimulatorStats & { inFlight: number; maxInFlight: number };
  /** Forget counters, the prompt cache and quota usage. */
  reset(): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const ROUTE = /^\/model\/([^/]+)\/(converse|invoke)$/;

/** Start a simulator on 127.0.0.1. */
export async function startBedrockSimulator(options: BedrockSimulatorOptions = {}): Promise<BedrockSimulator> {
  const config = options.config ?? simulatorConfigFromEnv();
  const engine = new SimulatorEngine({
    config,
    ...(options.content ? { content: options.content } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const requestLog = options.requestLogFile ?? (process.env.FA_BEDROCK_SIM_REQUEST_LOG || undefined);
  const held = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let maxInFlight = 0;

  const later = (ms: number, work: () => void): void => {
    if (ms <= 0) return work();
    const timer = setTimeout(() => {
      timers.delete(timer);
      work();
    }, ms);
    timers.add(timer);
  };

  const deliver = (res: ServerResponse, reply: Reply, requestId: string, done: () => void): void => {
    if (reply.kind === 'hang') {
      // Hold the connection until the client gives up (its deadline aborts the socket) or hangMs.
      held.add(res);
      const release = () => {
        held.delete(res);
        done();
      };
      res.once('close', release);
      later(config.faults.hangMs, () => res.destroy());
      return;
    }
    later(reply.delayMs, () => {
      if (reply.kind === 'error') sendError(res, reply.type, reply.message, requestId);
      else {
        reply.complete();
        if (reply.malformed) {
          // Status and headers promise JSON; the body stops partway, as a dropped proxy would.
          if (!res.headersSent && !res.destroyed) {
            res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': requestId, ...reply.headers });
            res.end(reply.body.slice(0, Math.floor(reply.body.length * 0.6)));
          }
        } else sendJson(res, reply.body, requestId, reply.headers);
      }
      done();
    });
  };

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const requestId = engine.nextRequestId();
    if (req.method === 'GET' && url === '/__simulator/health') return sendJson(res, JSON.stringify({ ok: true }), requestId);
    if (req.method === 'GET' && url === '/__simulator/stats')
      return sendJson(res, JSON.stringify({ ...engine.stats(), inFlight, maxInFlight }), requestId);
    if (req.method === 'POST' && url === '/__simulator/reset') {
      engine.reset();
      maxInFlight = inFlight;
      return sendJson(res, JSON.stringify({ ok: true }), requestId);
    }
    const route = ROUTE.exec(url.split('?')[0]!);
    if (req.method !== 'POST' || !route)
      return sendError(res, 'UnknownOperationException', `No operation at ${req.method} ${url}`, requestId);
    let modelId: string;
    try {
      modelId = decodeURIComponent(route[1]!);
    } catch {
      return sendError(res, 'ValidationException', 'The model identifier is not valid percent-encoding.', requestId);
    }
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      inFlight -= 1;
    };
    readBody(req)
      .then(async (body) => {
        if (body === undefined) {
          sendError(res, 'ValidationException', `Request body larger than ${MAX_BODY_BYTES} bytes.`, requestId);
          return done();
        }
        if (requestLog) appendFileSync(requestLog, `${JSON.stringify({ modelId, operation: route[2], body })}\n`);
        const reply = route[2] === 'converse' ? await engine.converse(modelId, body) : await engine.invoke(modelId, body);
        deliver(res, reply, requestId, done);
      })
      .catch((error: unknown) => {
        sendError(
          res,
          'InternalServerException',
          `simulator failure: ${error instanceof Error ? error.message : String(error)}`,
          requestId,
        );
        done();
      });
  });
  // Hung requests must outlive Node's default request timeout; the simulator bounds them itself.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    config,
    stats: () => ({ ...engine.stats(), inFlight, maxInFlight }),
    reset: () => {
      engine.reset();
      maxInFlight = inFlight;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const res of held) res.destroy();
      held.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One simulator per data dir.

export interface LocalBedrockSimulator {
  endpoint: string;
  /** True when this process runs the simulator (and stops it on close). */
  owner: boolean;
  close(): Promise<void>;
}

const EndpointFileSchema = z.object({ endpoint: z.url() });

function endpointFile(dataDir: string): string {
  return join(dataDir, 'bedrock-sim.endpoint.json');
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/__simulator/health`, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** Reach the data dir's running simulator, or start one in this process (its config from the environment). */
export async function connectOrStartBedrockSimulator(
  dataDir: string,
  options: BedrockSimulatorOptions = {},
): Promise<LocalBedrockSimulator> {
  const file = endpointFile(dataDir);
  if (existsSync(file)) {
    try {
      const advertised = EndpointFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (advertised.success && (await answers(advertised.data.endpoint)))
        return { endpoint: advertised.data.endpoint, owner: false, close: async () => {} };
    } catch {
      // An unreadable file is as good as none.
    }
    rmSync(file, { force: true }); // left behind by a process that is gone
  }
  const simulator = await startBedrockSimulator(options);
  writeFileSync(file, JSON.stringify({ endpoint: simulator.endpoint, pid: process.pid }));
  return {
    endpoint: simulator.endpoint,
    owner: true,
    close: async () => {
      rmSync(file, { force: true });
      await simulator.close();
    },
  };
}

/** The stats of a running simulator, by endpoint. */
export async function fetchSimulatorStats(endpoint: string): Promise<SimulatorStats & { inFlight: number; maxInFlight: number }> {
  const response = await fetch(`${endpoint}/__simulator/stats`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`simulator stats: HTTP ${response.status}`);
  return (await response.json()) as SimulatorStats & { inFlight: number; maxInFlight: number };
}
