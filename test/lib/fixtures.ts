/** Shared fixtures for infrastructure tests: the real stage configuration and fresh apps without bundling. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack as StackClass } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseStages } from '../../lib/config';
import type { Stage, StageConfig } from '../../lib/config';
import { BedrockModels } from '../../lib/constructs/bedrock-models';
import { createStageStacks } from '../../lib/fa-advisor-app';
import type { StageStacks } from '../../lib/fa-advisor-app';
import { handlerEntry, REPO_ROOT } from '../../lib/paths';

/** Context that skips asset bundling (no esbuild run per function; tests stay fast). */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] } as const;

const cdkJson: { context: Record<string, unknown> } = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'));

/** The stages of cdk.json, parsed exactly as bin/app.ts parses them. */
export const STAGES: readonly Stage[] = parseStages(cdkJson.context['fa:stages']);

export function stage(name: string): Stage {
  const found = STAGES.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no stage ${name} in cdk.json`);
  return found;
}

/** The stage's config with some fields replaced (for tests of one setting). */
export function withConfig(name: string, patch: (config: StageConfig) => StageConfig): Stage {
  const base = stage(name);
  return { name: base.name, config: patch(structuredClone(base.config)) };
}

export const TEST_BEDROCK = new BedrockModels({
  region: 'us-east-1',
  generationModelIds: ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'us.anthropic.claude-haiku-4-5-20251001-v1:0'],
  embeddingModelId: 'amazon.titan-embed-text-v2:0',
});

/** The query handler (bundling is skipped in tests, so only its path matters). */
export const QUERY_ENTRY = handlerEntry('query-api');

/** A fresh stack in an app with the feature flags of cdk.json and bundling skipped (one per test). */
export function freshStack(): Stack {
  const app = new App({ context: { ...featureFlags(), ...NO_BUNDLING } });
  return new StackClass(app, 'Test', { env: { region: 'us-east-1' } });
}

/** The feature flags of cdk.json (every context key except the stage configuration). */
function featureFlags(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(cdkJson.context).filter(([key]) => key !== 'fa:stages'));
}

/** A fresh app with one stage's stacks, bundling skipped. */
export function buildStage(
  target: Stage,
  options: { withApi?: boolean; context?: Record<string, unknown> } = {},
): { app: App; stacks: StageStacks } {
  const app = new App({ context: { ...cdkJson.context, ...NO_BUNDLING, ...options.context } });
  const stacks = createStageStacks(app, target, { bedrock: TEST_BEDROCK, queryEntry: options.withApi === false ? undefined : QUERY_ENTRY });
  return { app, stacks };
}

/** Templates of a stage's stacks, synthesized once per call. */
export function templatesOf(stacks: StageStacks): Record<'data' | 'network' | 'pipeline' | 'monitoring', Template> & { api?: Template } {
  const of = (stack: Stack) => Template.fromStack(stack);
  return {
    data: of(stacks.data),
    network: of(stacks.network),
    pipeline: of(stacks.pipeline),
    monitoring: of(stacks.monitoring),
    api: stacks.api ? of(stacks.api) : undefined,
  };
}
