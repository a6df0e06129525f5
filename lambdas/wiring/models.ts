/**
 * The models, chosen from config in one place for the batch and the query path: the grounded local
 * models (`FA_LLM=local`), or Bedrock (`sim` against the loopback simulator, `bedrock` for real)
 * with the router's fallback. Bedrock adapters are imported only when used, so a local start stays quick.
 */
import type { EmbedderPort, LlmPort } from '../core/ports';
import { ModelThrottledError } from '../core/errors';
import { MODEL_METRICS } from '../core/contracts/metrics';
import { ModelRouter } from '../core/routing/model-router';
import { withFallback } from '../core/routing/routed-llm';
import { LocalEmbedder } from '../adapters/embedder/local-embedder';
import { join } from 'node:path';
import { LocalGroundedLlm } from '../adapters/llm/local-grounded-llm';
import { PLANTED_ERRORS_FILE, plantedErrorAppender } from '../adapters/llm/planted-error-log';
import { bedrockLatencyModel, LocalAnswerLlm, LocalModels } from '../adapters/llm/local-answer-llm';
import { loadModelConfig, promptCachingFor } from '../adapters/llm/model-config';
import { Cassette } from '../adapters/llm/cassette';
import type { CassetteMode } from '../adapters/llm/cassette';
import type { RuntimeConfig } from './config';
import { metrics, MetricUnit, traced } from './telemetry';

export interface Models {
  llm: LlmPort;
  embedder: EmbedderPort;
  router: ModelRouter;
}

/**
 * Every call Bedrock throttled (after the SDK's own retries), as `ModelThrottled` in our namespace:
 * the local runtime has no AWS/Bedrock InvocationThrottles, and this one also counts what the
 * router then sent to the fallback model (runbooks/bedrock-throttling.md reads it).
 */
function countingThrottles(llm: LlmPort): LlmPort {
  return {
    converse: async (request) => {
      try {
        return await llm.converse(request);
      } catch (error) {
        if (error instanceof ModelThrottledError) metrics.addMetric(MODEL_METRICS.throttled, MetricUnit.Count, 1);
        throw error;
      }
    },
  };
}

export async function createModels(config: RuntimeConfig): Promise<Models> {
  const models = await createProviderModels(config);
  if (!config.FA_LLM_CASSETTE) return models;
  // One cassette per file for the process: the batch and the query path record into the same file.
  const cassette = cassetteFor(config.FA_LLM_CASSETTE, config.FA_LLM_CASSETTE_MODE);
  return { ...models, llm: cassette.llm(models.llm), embedder: cassette.embedder(models.embedder) };
}

const cassettes = new Map<string, Cassette>();
function cassetteFor(file: string, mode: CassetteMode): Cassette {
  const key = `${mode}:${file}`;
  if (!cassettes.has(key)) cassettes.set(key, new Cassette(file, mode));
  return cassettes.get(key)!;
}

async function createProviderModels(config: RuntimeConfig): Promise<Models> {
  const models = loadModelConfig(config.FA_MODELS_CONFIG);
  const router = new ModelRouter(models);
  // Locally the grounded models stand in for whichever Bedrock model a task is routed to, so the
  // routed ids are kept and local cost estimates price each task as it would be priced on Bedrock.
  if (config.FA_LLM === 'local') {
    // The strong (slower) class is whatever model deep answers route to, unless it is the small one.
    const strongModel = (id: string) => id === models.tasks.answer_deep?.modelId && id !== models.tasks.answer.modelId;
    const answerer = new LocalAnswerLlm(
      config.FA_LOCAL_LLM_LATENCY === 'realistic' ? { latency: bedrockLatencyModel({ strongModel }) } : {},
    );
    return {
      llm: new LocalModels(
        new LocalGroundedLlm({
          slipRate: config.FA_LOCAL_SLIP_RATE,
          surfaceForms: config.FA_LOCAL_SURFACE_FORMS,
          onPlanted: plantedErrorAppender(join(config.FA_DATA_DIR, PLANTED_ERRORS_FILE)),
        }),
        answerer,
      ),
      embedder: new LocalEmbedder({ dimensions: models.embeddings.dimensions }),
      router,
    };
  }
  const [{ createBedrockRuntimeClient }, { BedrockConverseLlm }, { TitanEmbedder }] = await Promise.all([
    import('../adapters/llm/bedrock-client'),
    import('../adapters/llm/bedrock-converse'),
    import('../adapters/embedder/titan-embedder'),
  ]);
  const client = traced(createBedrockRuntimeClient({ region: models.region, endpoint: config.FA_BEDROCK_ENDPOINT }));
  const bedrock = countingThrottles(new BedrockConverseLlm({ client, promptCaching: promptCachingFor(models) }));
  return {
    llm: withFallback(bedrock, router, { onFallback: () => metrics.addMetric('ModelFallbacks', MetricUnit.Count, 1) }),
    embedder: new TitanEmbedder({ client, modelId: models.embeddings.modelId, dimensions: models.embeddings.dimensions }),
    router,
  };
}
