/**
 * Bedrock access for functions, from the models named in config/models.yaml. Cross-region inference
 * profiles (`us.…`, `eu.…`, `apac.…`, `global.…`) need permission on the profile in the home region
 * AND on the foundation model in every region the profile may route to; plain model ids need only
 * the foundation model in the configured region.
 */
import { Stack, aws_iam as iam } from 'aws-cdk-lib';
import { acknowledgeWildcardResources } from '../nag';
import type { ServiceFunction } from './service-function';

const INFERENCE_PROFILE_PREFIX = /^(us|eu|apac|us-gov|global)\./;

export interface BedrockModelsProps {
  /** Bedrock runtime region (models.yaml `region`). */
  readonly region: string;
  /** Generation model or inference profile ids (models.yaml `models[*].id`). */
  readonly generationModelIds: readonly string[];
  /** Embedding model id (models.yaml `embeddings.modelId`). */
  readonly embeddingModelId: string;
}

/** The models the system may call, and the one place that grants calling them. */
export class BedrockModels {
  constructor(public readonly props: BedrockModelsProps) {
    if (props.generationModelIds.length === 0) throw new Error('BedrockModels: name at least one generation model.');
  }

  /** Every model id, for dashboards (the AWS/Bedrock `ModelId` dimension). */
  get modelIds(): string[] {
    return [...new Set([...this.props.generationModelIds, this.props.embeddingModelId])];
  }

  /** IAM resources for invoking `modelId` from a function in `stack`. */
  resourcesFor(stack: Stack, modelId: string): string[] {
    const partition = stack.partition;
    if (INFERENCE_PROFILE_PREFIX.test(modelId)) {
      const foundationModel = modelId.replace(INFERENCE_PROFILE_PREFIX, '');
      return [
        `arn:${partition}:bedrock:${this.props.region}:${stack.account}:inference-profile/${modelId}`,
        // The profile routes to any region in its geography; the request is authorised there too.
        `arn:${partition}:bedrock:*::foundation-model/${foundationModel}`,
      ];
    }
    return [`arn:${partition}:bedrock:${this.props.region}::foundation-model/${modelId}`];
  }

  /**
   * Let a function call the configured models (Converse and InvokeModel) and switch it to the real
   * Bedrock provider (FA_LLM=bedrock), together.
   */
  bind(fn: ServiceFunction): void {
    const stack = Stack.of(fn);
    // A policy of its own, so the acknowledgement below covers these statements and nothing else.
    const policy = new iam.Policy(fn, 'BedrockInvokePolicy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'InvokeConfiguredBedrockModels',
          actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
          resources: this.modelIds.flatMap((id) => this.resourcesFor(stack, id)),
        }),
      ],
    });
    policy.attachToRole(fn.role);
    acknowledgeWildcardResources(policy, [
      {
        pattern: /^arn:[\w-]+:bedrock:\*::foundation-model\/[^*]+$/,
        reason:
          'Only the region is a wildcard: a cross-region inference profile may route a request to any region of its geography. The model ids are exact.',
      },
    ]);
    fn.addEnvironment('FA_LLM', 'bedrock');
  }
}
