/**
 * Holds the data dir's local AWS services in a process of their own for the load test, the way
 * DynamoDB and Bedrock are services of their own in AWS: dynalite, and with FA_LLM=sim the Bedrock
 * simulator (answer prompts written by the local answer model). The API process then spends its CPU
 * on the API. Prints `{endpoint, owner, pid, bedrockEndpoint?}` as one JSON line when ready and stops
 * on SIGTERM. When another process already owns a service (a running `npm run serve` or batch), that
 * one is used.
 */
import { resolve } from 'node:path';
import { connectOrStartDynalite, ensureTables } from '../local/dynalite';
import { connectOrStartBedrockSimulator } from '../local/bedrock-simulator';
import { LocalAnswerLlm } from '../lambdas/adapters/llm/local-answer-llm';
import { tableNamesFor } from '../lambdas/core/contracts/tables';

const dataDir = resolve(process.env.FA_DATA_DIR || '.fa-data');
const dynamo = await connectOrStartDynalite(dataDir);
await ensureTables(dynamo.endpoint, tableNamesFor(process.env.FA_TABLE_PREFIX ?? ''));
const simulator =
  process.env.FA_LLM === 'sim' ? await connectOrStartBedrockSimulator(dataDir, { content: new LocalAnswerLlm() }) : undefined;
process.stdout.write(
  `${JSON.stringify({ endpoint: dynamo.endpoint, owner: dynamo.owner || simulator?.owner === true, pid: process.pid, ...(simulator ? { bedrockEndpoint: simulator.endpoint } : {}) })}\n`,
);
if (dynamo.owner || simulator?.owner) {
  const stop = () =>
    void (async () => {
      await simulator?.close();
      await dynamo.close();
      process.exit(0);
    })();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await new Promise<never>(() => {});
}
