/**
 * `npm run detect -- --judge sim`'s path: the detector asks the grounding judge about the claims it
 * cannot settle, through the real Bedrock Converse adapter, over HTTP, to the loopback simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectWithJudge } from '../../lambdas/core/grounding';
import { createBedrockRuntimeClient } from '../../lambdas/adapters/llm/bedrock-client';
import { BedrockConverseLlm } from '../../lambdas/adapters/llm/bedrock-converse';
import { LlmJudge } from '../../lambdas/adapters/llm/llm-judge';
import { parseSimulatorConfig } from '../../local/bedrock-sim/config';
import { startBedrockSimulator } from '../../local/bedrock-simulator';
import type { BedrockSimulator } from '../../local/bedrock-simulator';

let simulator: BedrockSimulator;
let judge: LlmJudge;
let client: ReturnType<typeof createBedrockRuntimeClient>;

beforeAll(async () => {
  simulator = await startBedrockSimulator({ config: parseSimulatorConfig({ latency: 'none' }) });
  client = createBedrockRuntimeClient({ region: 'us-east-1', endpoint: simulator.endpoint });
  judge = new LlmJudge(new BedrockConverseLlm({ client, promptCaching: false }), 'us.anthropic.claude-haiku-4-5-20251001-v1:0');
});

afterAll(async () => {
  client.destroy();
  await simulator.close();
});

const source = {
  id: 'n1',
  text: 'Kelorix said on Monday it opened a new plant to serve customers in the Midwest, its third in the region.',
};

describe('the grounding judge over Bedrock Converse', () => {
  it('is asked about an unsettled claim and its verdict is recorded with the claim', async () => {
    const result = await detectWithJudge({ text: 'The company closed its headquarters in Denver [n1].', sources: [source] }, { judge });
    expect(result.claims[0]).toMatchObject({ status: 'unsupported' });
    expect(result.claims[0]!.reason).toMatch(/judge: unsupported/);
  });

  it('asks once per claim and sources: a second run is answered from the cache', async () => {
    const ask = () =>
      judge.judge({ claim: 'It opened a plant in the Midwest.', sentence: 'It opened a plant in the Midwest.', sources: [source] });
    const first = await ask();
    expect(first).toMatchObject({ verdict: 'supported', sourceId: 'n1' });
    expect(source.text).toContain(first.evidence!);
    expect(await ask()).toBe(first);
  });
});
