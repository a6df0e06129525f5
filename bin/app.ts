/**
 * CDK entry: load and validate the stage configuration (cdk.json context `fa:stages`), then create
 * the stacks of the selected stage (`-c stage=NAME`) or of every stage. Nothing else.
 */
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadModelConfig } from '../lambdas/adapters/llm/model-config';
import { loadExperiments } from '../lambdas/adapters/experiments-file';
import { parseStages, selectStages } from '../lib/config';
import { BedrockModels } from '../lib/constructs/bedrock-models';
import { createStageStacks } from '../lib/fa-advisor-app';
import { experimentMonitoringOf } from '../lib/experiments';
import { handlerEntry, REPO_ROOT } from '../lib/paths';

const app = new App();
const stages = selectStages(parseStages(app.node.tryGetContext('fa:stages')), app.node.tryGetContext('stage'));
const models = loadModelConfig(join(REPO_ROOT, 'config', 'models.yaml'));
const bedrock = new BedrockModels({
  region: models.region,
  generationModelIds: Object.keys(models.models),
  embeddingModelId: models.embeddings.modelId,
});
// Each running A/B test gets a dashboard row and alarms on its guardrails.
const experiments = experimentMonitoringOf(loadExperiments(join(REPO_ROOT, 'config', 'ab_tests.yaml')));
for (const stage of stages) createStageStacks(app, stage, { bedrock, queryEntry: handlerEntry('query-api'), experiments });

// The security gate runs on every synth: an unacknowledged finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
