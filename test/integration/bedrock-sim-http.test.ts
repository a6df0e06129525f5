/**
 * The real `@aws-sdk/client-bedrock-runtime` client (built by createBedrockRuntimeClient, with the
 * product's adapters on top) against the Bedrock simulator on 127.0.0.1: proves the SDK really goes
 * over HTTP to it, that the wire formats round-trip, and that injected faults surface as the named
 * errors Step Functions and the router act on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { connectOrStartBedrockSimulator, fetchSimulatorStats, startBedrockSimulator } from '../../local/bedrock-simulator';
import type { BedrockSimulator } from '../../local/bedrock-simulator';
import type { SimulatorConfigInput } from '../../local/bedrock-sim/config';
import { parseSimulatorConfig } from '../../local/bedrock-sim/config';
import { createBedrockRuntimeClient } from '../../lambdas/adapters/llm/bedrock-client';
import { BedrockConverseLlm } from '../../lambdas/adapters/llm/bedrock-converse';
import { TitanEmbedder } from '../../lambdas/adapters/embedder/titan-embedder';
import { loadModelConfig } from '../../lambdas/adapters/llm/model-config';
import { ModelRouter } from '../../lambdas/core/routing/model-router';
import { withFallback } from '../../lambdas/core/routing/routed-llm';
import { createDemoSources } from '../../lambdas/adapters/sources/demo';
import { gatherSources } from '../../lambdas/core/pipeline/process-stock';
import { buildFactSnapshot, sourceHashOf } from '../../lambdas/core/facts/normalise';
import { briefInputFrom } from '../../lambdas/core/summary/brief-input';
import { parseDraft, renderWriterPrompt, WRITER_SYSTEM_PROMPT } from '../../lambdas/core/summary/writer-prompt';
import { ModelServiceError, ModelThrottledError, ModelTimeoutError } from '../../lambdas/core/errors';

const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

async function simulator(config: Partial<SimulatorConfigInput> = {}): Promise<BedrockSimulator> {
  const sim = await startBedrockSimulator({ config: parseSimulatorConfig({ latency: 'none', ...config }) });
  open.push(sim);
  return sim;
}

function client(endpoint: string, maxAttempts = 2) {
  const c = createBedrockRuntimeClient({ region: 'us-east-1', endpoint, maxAttempts });
  open.push({ close: async () => c.destroy() });
  return c;
}

async function writerPrompt(): Promise<string> {
  const sources = createDemoSources({});
  const company = (await sources.universe.list())[0]!;
  const bundle = await gatherSources(company, '2026-11-24', sources);
  const snapshot = buildFactSnapshot(bundle, [], sourceHashOf(bundle));
  return renderWriterPrompt(briefInputFrom(snapshot, bundle));
}

describe('the AWS SDK talks to the Bedrock simulator over HTTP', () => {
  it('sends a Converse call that the simulator answers, with its own request id in the SDK metadata', async () => {
    const sim = await simulator();
    const output = await client(sim.endpoint).send(
      new ConverseCommand({
        modelId: SONNET,
        system: [{ text: 'Answer briefly.' }, { cachePoint: { type: 'default' } }],
        messages: [{ role: 'user', content: [{ text: 'Say hello.' }] }],
        inferenceConfig: { maxTokens: 50 },
      }),
    );
    expect(output.$metadata.httpStatusCode).toBe(200);
    expect(output.$metadata.requestId).toMatch(/^sim-/);
    expect(output.output?.message?.role).toBe('assistant');
    expect(output.usage?.inputTokens).toBeGreaterThan(0);
    expect((await fetchSimulatorStats(sim.endpoint)).models['claude-sonnet-4-5']).toMatchObject({ requests: 1, succeeded: 1 });
  });

  it('returns a brief from the local grounded writer that parses against the output contract', async () => {
    const sim = await simulator();
    const llm = new BedrockConverseLlm({ client: client(sim.endpoint) });
    const response = await llm.converse({
      task: 'write_summary',
      modelId: SONNET,
      system: WRITER_SYSTEM_PROMPT,
      prompt: await writerPrompt(),
      maxTokens: 4096,
    });
    expect(response.estimated).toBe(false);
    expect(response.stopReason).toBe('end_turn');
    expect(parseDraft(response.text)).toHaveProperty('draft');
    expect(response.usage.inputTokens).toBeGreaterThan(1_000);
    expect(response.usage.outputTokens).toBeGreaterThan(100);
  });

  it('embeds with Titan v2 through InvokeModel, one call per text, with token counts', async () => {
    const sim = await simulator();
    const embedder = new TitanEmbedder({ client: client(sim.endpoint), dimensions: 256 });
    const result = await embedder.embed(['Revenue grew in fiscal 2025.', 'Margins narrowed.', 'The board raised the dividend.']);
    expect(result.vectors).toHaveLength(3);
    for (const vector of result.vectors) expect(vector).toHaveLength(256);
    expect(result.inputTokens).toBeGreaterThan(0);
    expect(sim.stats().models['titan-embed-text-v2']?.requests).toBe(3);
  });

  it('surfaces throttling as ModelThrottledError after the SDK retried it', async () => {
    const sim = await simulator({ faults: { throttleRate: 1 } });
    const llm = new BedrockConverseLlm({ client: client(sim.endpoint, 2) });
    await expect(llm.converse({ task: 'answer', modelId: SONNET, system: '', prompt: 'hi', maxTokens: 10 })).rejects.toBeInstanceOf(
      ModelThrottledError,
    );
    expect(sim.stats().models['claude-sonnet-4-5']?.throttledInjected).toBe(2);
  });

  it('falls back to the small model when the strong one is over its quota', async () => {
    const sim = await simulator({
      enforceQuotas: true,
      models: [
        { name: 'sonnet', match: [SONNET], kind: 'converse', firstTokenMs: { kind: 'fixed', value: 100 }, quota: { tokensPerMinute: 10 } },
        { name: 'haiku', match: [HAIKU], kind: 'converse', firstTokenMs: { kind: 'fixed', value: 50 } },
      ],
    });
    const router = new ModelRouter(loadModelConfig('config/models.yaml'));
    const llm = withFallback(new BedrockConverseLlm({ client: client(sim.endpoint, 1) }), router);
    const { response, fellBack } = await llm.complete('write_summary', { system: WRITER_SYSTEM_PROMPT, prompt: await writerPrompt() });
    expect(fellBack).toBe(true);
    expect(response.modelId).toBe(HAIKU);
    expect(sim.stats().models.sonnet?.throttledByTokens).toBe(1);
  });

  it('turns a request the simulator holds past the deadline into ModelTimeoutError and releases it', async () => {
    const sim = await simulator({ faults: { timeoutRate: 1, hangMs: 30_000 } });
    const llm = new BedrockConverseLlm({ client: client(sim.endpoint) });
    await expect(
      llm.converse({ task: 'answer', modelId: SONNET, system: '', prompt: 'hi', maxTokens: 10, timeoutMs: 300 }),
    ).rejects.toBeInstanceOf(ModelTimeoutError);
    // The client's abort closes the socket; the simulator lets the held request go.
    for (let i = 0; i < 50 && sim.stats().inFlight > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sim.stats().inFlight).toBe(0);
  });

  it('turns a cut-off body and a 5xx into ModelServiceError, for Converse and for embeddings', async () => {
    const malformed = await simulator({ faults: { malformedRate: 1 } });
    await expect(
      new BedrockConverseLlm({ client: client(malformed.endpoint) }).converse({
        task: 'answer',
        modelId: SONNET,
        system: '',
        prompt: 'hi',
        maxTokens: 10,
      }),
    ).rejects.toBeInstanceOf(ModelServiceError);
    await expect(new TitanEmbedder({ client: client(malformed.endpoint) }).embed(['hello'])).rejects.toBeInstanceOf(ModelServiceError);
    const failing = await simulator({ faults: { serverErrorRate: 1 } });
    await expect(
      new BedrockConverseLlm({ client: client(failing.endpoint) }).converse({
        task: 'answer',
        modelId: SONNET,
        system: '',
        prompt: 'hi',
        maxTokens: 10,
      }),
    ).rejects.toBeInstanceOf(ModelServiceError);
    expect(failing.stats().models['claude-sonnet-4-5']?.serverErrors).toBe(2); // the SDK retried a 5xx once
  });

  it('answers 408 ModelTimeoutException in error mode, which maps to ModelTimeoutError', async () => {
    const sim = await simulator({ faults: { timeoutRate: 1, timeoutMode: 'error' } });
    await expect(
      new BedrockConverseLlm({ client: client(sim.endpoint, 1) }).converse({
        task: 'answer',
        modelId: SONNET,
        system: '',
        prompt: 'hi',
        maxTokens: 10,
      }),
    ).rejects.toBeInstanceOf(ModelTimeoutError);
  });

  it('is shared by every process of a data dir: the second caller reaches the first one by its endpoint', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fa-sim-'));
    const first = await connectOrStartBedrockSimulator(dataDir, { config: parseSimulatorConfig({ latency: 'none' }) });
    const second = await connectOrStartBedrockSimulator(dataDir);
    expect(first.owner).toBe(true);
    expect(second.owner).toBe(false);
    expect(second.endpoint).toBe(first.endpoint);
    await second.close();
    await first.close();
    const third = await connectOrStartBedrockSimulator(dataDir, { config: parseSimulatorConfig({ latency: 'none' }) });
    expect(third.owner).toBe(true);
    await third.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
});
