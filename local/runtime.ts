/**
 * The embedded runtime: everything AWS provides, on this machine. It points the same handlers at
 * dynalite and the data dir through the same environment variables the CDK sets in AWS, so it
 * must run before any handler module is imported (the CLIs import handlers dynamically).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tableNamesFor } from '../lambdas/core/contracts/tables';
import { METRICS_NAMESPACE, SERVICE_NAMES } from '../lambdas/core/contracts/metrics';
import { connectOrStartDynalite, ensureTables } from './dynalite';
import type { LocalDynamo } from './dynalite';
import { connectOrStartBedrockSimulator } from './bedrock-simulator';
import type { LocalBedrockSimulator } from './bedrock-simulator';
import { LocalAnswerLlm } from '../lambdas/adapters/llm/local-answer-llm';

export interface LocalRuntime {
  dataDir: string;
  dynamo: LocalDynamo;
  emfFile: string;
  logFile: string;
  close(): Promise<void>;
}

/**
 * @param workload whose service name the process's logs and metrics carry, as its functions do in AWS.
 */
export async function startLocalRuntime(workload: 'batch' | 'query' = 'batch'): Promise<LocalRuntime> {
  const dataDir = resolve(process.env.FA_DATA_DIR || '.fa-data');
  mkdirSync(dataDir, { recursive: true });
  const dynamo = await connectOrStartDynalite(dataDir);
  const emfFile = join(dataDir, 'metrics.emf.jsonl');
  const logFile = join(dataDir, 'logs.jsonl');
  Object.assign(process.env, {
    FA_DATA_DIR: dataDir,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    FA_EMF_FILE: emfFile,
    FA_LOG_FILE: logFile,
    FA_STAGE: process.env.FA_STAGE || 'local',
    POWERTOOLS_SERVICE_NAME: process.env.POWERTOOLS_SERVICE_NAME || SERVICE_NAMES[workload],
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    AWS_REGION: process.env.AWS_REGION || 'us-east-1',
  });
  await ensureTables(dynamo.endpoint, tableNamesFor(process.env.FA_TABLE_PREFIX ?? ''));
  // FA_LLM=sim without an endpoint: the data dir's Bedrock simulator (started here if none runs).
  let simulator: LocalBedrockSimulator | undefined;
  if (process.env.FA_LLM === 'sim' && !process.env.FA_BEDROCK_ENDPOINT?.trim()) {
    // Brief prompts are written by the local grounded writer inside the simulator; answer prompts
    // (the query path) by the local answer model.
    simulator = await connectOrStartBedrockSimulator(dataDir, { content: new LocalAnswerLlm() });
    process.env.FA_BEDROCK_ENDPOINT = simulator.endpoint;
  }
  return {
    dataDir,
    dynamo,
    emfFile,
    logFile,
    close: async () => {
      if (simulator) {
        if (process.env.FA_BEDROCK_ENDPOINT === simulator.endpoint) delete process.env.FA_BEDROCK_ENDPOINT;
        await simulator.close();
      }
      await dynamo.close();
    },
  };
}
