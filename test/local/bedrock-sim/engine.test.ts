/**
 * The Bedrock simulator's decisions without HTTP: usage from the prompts, prompt caching with a
 * minimum prefix and a TTL, max_tokens, validation, latency scaling, injected faults and quotas.
 * Time is a fake clock: nothing here waits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimulatorConfigInput } from '../../../local/bedrock-sim/config';
import { parseSimulatorConfig } from '../../../local/bedrock-sim/config';
import { SimulatorEngine } from '../../../local/bedrock-sim/engine';
import type { Reply } from '../../../local/bedrock-sim/engine';
import { countTokens } from '../../../local/bedrock-sim/tokens';

const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const TITAN = 'amazon.titan-embed-text-v2:0';

/** A static system prompt long enough to cache on Sonnet (≥ 1,024 tokens) but not on Haiku (4,096). */
const LONG_SYSTEM = 'Always cite the filing that carries each figure, and never round a reported number. '.repeat(120);

function engine(config: Partial<SimulatorConfigInput> = {}) {
  let now = 0;
  const sim = new SimulatorEngine({ config: parseSimulatorConfig({ speedUp: 10, ...config }), now: () => now });
  return {
    sim,
    /** Advance real time by `ms` (simulated time moves speed-up times as far). */
    advance: (ms: number) => {
      now += ms;
    },
  };
}

function converseBody(options: { system?: string; prompt?: string; maxTokens?: number; cachePoint?: boolean } = {}): string {
  const system = options.system ?? LONG_SYSTEM;
  return JSON.stringify({
    system: options.cachePoint === false ? [{ text: system }] : [{ text: system }, { cachePoint: { type: 'default' } }],
    messages: [{ role: 'user', content: [{ text: options.prompt ?? 'What changed in the last quarter?' }] }],
    inferenceConfig: { maxTokens: options.maxTokens ?? 500, temperature: 0.2 },
  });
}

function ok(reply: Reply): Extract<Reply, { kind: 'ok' }> {
  if (reply.kind !== 'ok') throw new Error(`expected an answer, got ${JSON.stringify(reply)}`);
  return reply;
}

function usageOf(reply: Reply) {
  const body: unknown = JSON.parse(ok(reply).body);
  if (typeof body !== 'object' || body === null || !('usage' in body)) throw new Error('no usage');
  return body.usage as {
    inputTokens: number;
    outputTokens: number;
    totalTokens: number;
    cacheReadInputTokens: number;
    cacheWriteInputTokens: number;
  };
}

describe('the simulator answers Converse with usage computed from the prompt it was sent', () => {
  it('writes the static system prompt to the cache on the first call and reads it on the next', async () => {
    const { sim, advance } = engine();
    const first = usageOf(await sim.converse(SONNET, converseBody()));
    advance(10_000);
    const second = usageOf(await sim.converse(SONNET, converseBody({ prompt: 'And the one before?' })));
    const systemTokens = countTokens(LONG_SYSTEM) + 4;
    expect(first.cacheWriteInputTokens).toBe(systemTokens);
    expect(first.cacheReadInputTokens).toBe(0);
    expect(second.cacheReadInputTokens).toBe(systemTokens);
    expect(second.cacheWriteInputTokens).toBe(0);
    expect(second.inputTokens).toBe(countTokens('And the one before?') + 4);
    expect(second.totalTokens).toBe(second.inputTokens + second.outputTokens + second.cacheReadInputTokens);
  });

  it('caches nothing when the prefix is shorter than the model minimum (Haiku 4.5 needs 4,096 tokens)', async () => {
    const { sim, advance } = engine();
    await sim.converse(HAIKU, converseBody());
    advance(1_000);
    const usage = usageOf(await sim.converse(HAIKU, converseBody()));
    expect(usage.cacheReadInputTokens + usage.cacheWriteInputTokens).toBe(0);
    expect(usage.inputTokens).toBe(countTokens(LONG_SYSTEM) + countTokens('What changed in the last quarter?') + 8);
  });

  it('caches nothing without a cache point', async () => {
    const { sim, advance } = engine();
    await sim.converse(SONNET, converseBody({ cachePoint: false }));
    advance(1_000);
    const usage = usageOf(await sim.converse(SONNET, converseBody({ cachePoint: false })));
    expect(usage.cacheReadInputTokens + usage.cacheWriteInputTokens).toBe(0);
  });

  it('writes the cache again once the entry outlived its five-minute TTL in simulated time', async () => {
    const { sim, advance } = engine({ speedUp: 10, cacheTtlSeconds: 300 });
    await sim.converse(SONNET, converseBody());
    advance(20_000); // 200 s simulated: still cached, and the hit refreshes the TTL
    expect(usageOf(await sim.converse(SONNET, converseBody())).cacheReadInputTokens).toBeGreaterThan(0);
    advance(31_000); // 310 s simulated after the last use
    const usage = usageOf(await sim.converse(SONNET, converseBody()));
    expect(usage.cacheReadInputTokens).toBe(0);
    expect(usage.cacheWriteInputTokens).toBeGreaterThan(0);
  });

  it('makes requests that arrive before the first write is readable pay for the write too', async () => {
    const { sim } = engine();
    const together = await Promise.all([sim.converse(SONNET, converseBody()), sim.converse(SONNET, converseBody())]);
    for (const reply of together) expect(usageOf(reply).cacheWriteInputTokens).toBeGreaterThan(0);
  });

  it('stops at maxTokens with stopReason max_tokens, as the model does', async () => {
    const { sim } = engine();
    const reply = ok(await sim.converse(SONNET, converseBody({ maxTokens: 5 })));
    const body = JSON.parse(reply.body) as { stopReason: string; usage: { outputTokens: number } };
    expect(body.stopReason).toBe('max_tokens');
    expect(body.usage.outputTokens).toBe(5);
  });

  it('reports simulated latency and waits it divided by the speed-up, or not at all without latency', async () => {
    const realistic = engine({ speedUp: 20 });
    const reply = ok(await realistic.sim.converse(SONNET, converseBody()));
    const latencyMs = (JSON.parse(reply.body) as { metrics: { latencyMs: number } }).metrics.latencyMs;
    expect(latencyMs).toBeGreaterThan(100);
    expect(reply.delayMs).toBeCloseTo(latencyMs / 20, -1);
    const instant = engine({ latency: 'none' });
    expect(ok(await instant.sim.converse(SONNET, converseBody())).delayMs).toBe(0);
  });

  it('refuses what Bedrock refuses with a ValidationException', async () => {
    const { sim } = engine();
    const refusals = [
      await sim.converse('anthropic.claude-unknown-v9', converseBody()),
      await sim.converse(SONNET, '{"messages": []}'),
      await sim.converse(SONNET, 'not json'),
      await sim.converse(SONNET, JSON.stringify({ messages: [{ role: 'assistant', content: [{ text: 'hi' }] }] })),
      await sim.converse(SONNET, converseBody({ maxTokens: 100_000 })),
      await sim.converse(TITAN, converseBody()),
      await sim.invoke(SONNET, JSON.stringify({ inputText: 'x' })),
    ];
    for (const reply of refusals) expect(reply).toMatchObject({ kind: 'error', type: 'ValidationException' });
  });

  it('writes a brief from the local grounded writer for a writer prompt', async () => {
    const { sim } = engine();
    const prompt = '<company>\n{"ticker":"ZZZ"}\n</company>';
    // An unreadable writer prompt still gets an answer (as a model would), never a simulator error.
    const reply = ok(await sim.converse(SONNET, converseBody({ prompt })));
    expect(JSON.parse(reply.body)).toMatchObject({ stopReason: 'end_turn' });
  });
});

describe('the simulator embeds with Titan Text Embeddings v2 over InvokeModel', () => {
  it('returns a vector of the requested dimensions and the token count', async () => {
    const { sim } = engine();
    for (const dimensions of [256, 512, 1024]) {
      const reply = ok(
        await sim.invoke(TITAN, JSON.stringify({ inputText: 'Revenue grew 12% in fiscal 2025.', dimensions, normalize: true })),
      );
      const body = JSON.parse(reply.body) as { embedding: number[]; inputTextTokenCount: number };
      expect(body.embedding).toHaveLength(dimensions);
      expect(body.inputTextTokenCount).toBe(countTokens('Revenue grew 12% in fiscal 2025.'));
    }
  });

  it('refuses unsupported dimensions and empty text', async () => {
    const { sim } = engine();
    expect(await sim.invoke(TITAN, JSON.stringify({ inputText: 'x', dimensions: 300 }))).toMatchObject({ type: 'ValidationException' });
    expect(await sim.invoke(TITAN, JSON.stringify({ inputText: '' }))).toMatchObject({ type: 'ValidationException' });
  });
});

describe('the simulator injects faults at the configured rates', () => {
  it('throttles every request at rate 1 and none at rate 0', async () => {
    const always = engine({ faults: { throttleRate: 1 } });
    const never = engine();
    for (let i = 0; i < 20; i += 1) {
      expect(await always.sim.converse(SONNET, converseBody())).toMatchObject({ kind: 'error', type: 'ThrottlingException' });
      expect((await never.sim.converse(SONNET, converseBody())).kind).toBe('ok');
    }
    expect(always.sim.stats().models['claude-sonnet-4-5']).toMatchObject({ requests: 20, throttledInjected: 20, succeeded: 0 });
  });

  it('draws each kind of fault close to its rate over many requests', async () => {
    const { sim } = engine({
      latency: 'none',
      faults: { throttleRate: 0.1, serverErrorRate: 0.05, timeoutRate: 0.01, malformedRate: 0.02 },
    });
    const n = 3_000;
    for (let i = 0; i < n; i += 1) await sim.invoke(TITAN, JSON.stringify({ inputText: `text ${i}` }));
    const stats = sim.stats().models['titan-embed-text-v2']!;
    expect(stats.requests).toBe(n);
    // Binomial bounds at ±5 standard deviations: generous, and the seed makes the run repeatable.
    const within = (count: number, rate: number, of: number) => Math.abs(count - rate * of) <= 5 * Math.sqrt(of * rate * (1 - rate));
    expect(within(stats.throttledInjected, 0.1, n)).toBe(true);
    expect(within(stats.serverErrors, 0.05 * 0.9, n)).toBe(true);
    expect(stats.timeouts).toBeGreaterThan(0);
    expect(stats.malformed).toBeGreaterThan(0);
    expect(stats.succeeded + stats.throttledInjected + stats.serverErrors + stats.timeouts + stats.malformed).toBe(n);
  });

  it('hangs a timed-out request, or answers 408 ModelTimeoutException in error mode', async () => {
    expect(await engine({ faults: { timeoutRate: 1 } }).sim.converse(SONNET, converseBody())).toEqual({ kind: 'hang' });
    expect(await engine({ faults: { timeoutRate: 1, timeoutMode: 'error' } }).sim.converse(SONNET, converseBody())).toMatchObject({
      kind: 'error',
      type: 'ModelTimeoutException',
    });
  });

  it('marks a malformed answer so the server cuts its body', async () => {
    const reply = ok(await engine({ faults: { malformedRate: 1 } }).sim.converse(SONNET, converseBody()));
    expect(reply.malformed).toBe(true);
  });
});

describe('the simulator enforces per-model quotas in simulated minutes', () => {
  const quota = (tokensPerMinute?: number, requestsPerMinute?: number): Partial<SimulatorConfigInput> => ({
    enforceQuotas: true,
    latency: 'none',
    models: [
      {
        name: 'sonnet',
        match: [SONNET],
        kind: 'converse',
        firstTokenMs: { kind: 'fixed', value: 500 },
        minCacheTokens: 1_024,
        outputBurndown: 5,
        quota: { ...(tokensPerMinute ? { tokensPerMinute } : {}), ...(requestsPerMinute ? { requestsPerMinute } : {}) },
      },
    ],
  });

  it('throttles the request past the requests-per-minute quota until the window slides', async () => {
    const { sim, advance } = engine({ speedUp: 10, ...quota(undefined, 3) });
    for (let i = 0; i < 3; i += 1) expect((await sim.converse(SONNET, converseBody())).kind).toBe('ok');
    expect(await sim.converse(SONNET, converseBody())).toMatchObject({
      type: 'ThrottlingException',
      message: expect.stringMatching(/requests/),
    });
    advance(6_001); // 60.01 s simulated
    expect((await sim.converse(SONNET, converseBody())).kind).toBe('ok');
    expect(sim.stats().models.sonnet?.throttledByRequests).toBe(1);
  });

  it('reserves input plus maxTokens times the output burndown, so a large maxTokens throttles early', async () => {
    const input = countTokens(LONG_SYSTEM) + countTokens('What changed in the last quarter?') + 8;
    const { sim } = engine(quota(input + 1_000 * 5));
    expect(await sim.converse(SONNET, converseBody({ maxTokens: 1_001 }))).toMatchObject({
      type: 'ThrottlingException',
      message: expect.stringMatching(/tokens/),
    });
    const reply = await sim.converse(SONNET, converseBody({ maxTokens: 1_000 }));
    expect(reply.kind).toBe('ok');
  });

  it('trues the reservation up to what the call used when it completes', async () => {
    const input = countTokens(LONG_SYSTEM) + countTokens('What changed in the last quarter?') + 8;
    // Room for one reservation of maxTokens 2,000, not two; after true-up a second call fits.
    const { sim } = engine(quota(input * 2 + 2_000 * 5 + 200));
    const first = ok(await sim.converse(SONNET, converseBody({ maxTokens: 2_000 })));
    expect((await sim.converse(SONNET, converseBody({ maxTokens: 2_000 }))).kind).toBe('error');
    first.complete();
    expect((await sim.converse(SONNET, converseBody({ maxTokens: 2_000 }))).kind).toBe('ok');
  });

  it('never admits more than the requests-per-minute quota in any simulated minute', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 1, maxLength: 60 }),
        async (rpm, gaps) => {
          const { sim, advance } = engine({ speedUp: 10, ...quota(undefined, rpm) });
          const admitted: number[] = [];
          let t = 0;
          for (const gap of gaps) {
            advance(gap);
            t += gap * 10;
            if ((await sim.converse(SONNET, converseBody())).kind === 'ok') admitted.push(t);
          }
          for (const at of admitted) expect(admitted.filter((other) => other > at - 60_000 && other <= at).length).toBeLessThanOrEqual(rpm);
        },
      ),
      { numRuns: 60 },
    );
  });
});
