/**
 * cdk-nag acknowledgements that name exactly what they accept. cdk-nag reports one IAM5 finding per
 * wildcard resource, under an id built from the resolved ARN (logical ids and imports included), so
 * the ids are computed at synthesis from the policy itself, and only wildcards matching a stated
 * pattern are acknowledged: a new, unexpected wildcard still fails the gate.
 */
import { Aspects, Stack, Validations, aws_iam as iam } from 'aws-cdk-lib';
import type { IAspect } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';

/** A kind of wildcard resource that is intended, and why. */
export interface WildcardAllowance {
  /** Matched against the resource as cdk-nag flattens it (e.g. `<Bucket.Arn>/map-results/*`). */
  readonly pattern: RegExp;
  readonly reason: string;
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

class WildcardAcknowledger implements IAspect {
  constructor(private readonly allowances: readonly WildcardAllowance[]) {}

  visit(node: IConstruct): void {
    if (!(node instanceof iam.CfnPolicy)) return;
    const document: unknown = Stack.of(node).resolve(node.policyDocument);
    const statements = document && typeof document === 'object' && 'Statement' in document ? asArray(document.Statement) : [];
    for (const statement of statements) {
      if (!statement || typeof statement !== 'object' || !('Resource' in statement)) continue;
      for (const resource of asArray(statement.Resource)) {
        const flat = flattenCfnReference(resource);
        if (!flat.includes('*')) continue;
        const allowance = this.allowances.find((candidate) => candidate.pattern.test(flat));
        if (allowance) Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason: allowance.reason });
      }
    }
  }
}

/** Acknowledge the IAM5 wildcard-resource findings under `scope` that match one of `allowances`. */
export function acknowledgeWildcardResources(scope: IConstruct, allowances: readonly WildcardAllowance[]): void {
  Aspects.of(scope).add(new WildcardAcknowledger(allowances));
}

/** The id cdk-nag gives an AWS managed policy finding (IAM4). */
export function managedPolicyFinding(policyName: string): string {
  return `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policyName}]`;
}
