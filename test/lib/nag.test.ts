import { describe, expect, it } from 'vitest';
import { App, Stack, Validations, aws_s3 as s3 } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildStage, NO_BUNDLING, STAGES } from './fixtures';

/**
 * Every AwsSolutions acknowledgement in a synthesized tree: [construct path, rule id, reason].
 * (CDK adds acknowledgements of its own template checks, `CloudFormation-Validate::…`; not ours.)
 */
function acknowledgements(root: App): Array<[string, string, string]> {
  root.synth(); // wildcard acknowledgements are computed by an aspect during synthesis
  return root.node.findAll().flatMap((construct: IConstruct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && entry.data)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]): [string, string, string] => [
          construct.node.path,
          id.replace(/^annotation::/i, ''),
          reason,
        ]),
      )
      .filter(([, id]) => id.startsWith('AwsSolutions-')),
  );
}

describe('cdk-nag AwsSolutions gate', () => {
  it.each(STAGES.map((stage) => [stage.name, stage] as const))(
    'the %s stage synthesizes with no unacknowledged AwsSolutions finding',
    (_name, stage) => {
      const { app } = buildStage(stage);
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      expect(() => app.synth()).not.toThrow();
    },
  );

  it('gives every acknowledgement a reason of at least a sentence', () => {
    const { app } = buildStage(STAGES[0]!);
    const found = acknowledgements(app);
    expect(found.length).toBeGreaterThan(0);
    for (const [path, id, reason] of found) {
      expect(id, path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(reason.trim().length, `${path} ${id}`).toBeGreaterThanOrEqual(40);
    }
  });

  it('acknowledges rules, not whole packs, never the encryption or public-access rules, and API authorization only on the liveness probe', () => {
    const found = acknowledgements(buildStage(STAGES[0]!).app);
    const ids = found.map(([, id]) => id);
    const rules = new Set(ids.map((id) => id.replace(/\[.*$/, '')));
    expect([...rules].sort()).toEqual([
      'AwsSolutions-APIG4',
      // The console's distribution: default certificate, no geo restriction, static files only (web-console.ts).
      'AwsSolutions-CFR1',
      'AwsSolutions-CFR2',
      'AwsSolutions-CFR4',
      'AwsSolutions-COG4',
      'AwsSolutions-IAM4',
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
      'AwsSolutions-SMG4',
      'AwsSolutions-SQS3',
    ]);
    const authorization = found.filter(([, id]) => id === 'AwsSolutions-APIG4' || id === 'AwsSolutions-COG4').map(([path]) => path);
    expect(authorization.every((path) => path.endsWith('/health/GET'))).toBe(true);
  });

  it('fails synthesis on a finding nobody acknowledged', () => {
    const app = new App({ context: NO_BUNDLING });
    const stack = new Stack(app, 'Careless', { env: { region: 'us-east-1' } });
    new s3.Bucket(stack, 'Plain', { enforceSSL: false });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrowError(/AwsSolutions-S10/);
  });
});
