/**
 * One real bundle, built the way `cdk synth` builds every function (local esbuild, no Docker), then
 * loaded in this Node 22 process: ESM output with the require/__dirname shim must load, and error
 * classes must keep their names (Step Functions Retry/Catch and the golden checks match on them).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { App, Stack } from 'aws-cdk-lib';
import { ServiceFunction } from '../../lib/constructs/service-function';
import { handlerEntry } from '../../lib/paths';

const outdir = mkdtempSync(join(tmpdir(), 'fa-bundle-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('function bundling', () => {
  it('builds an ESM bundle offline that loads and throws errors under their own names', async () => {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Bundle', { env: { region: 'us-east-1' } });
    new ServiceFunction(stack, 'Hook', {
      entry: handlerEntry('pre-traffic-check'),
      functionName: 'fa-test-hook',
      description: 'bundling test',
      stage: 'test',
      serviceName: 'fa-test',
      logLevel: 'ERROR',
      logRetentionDays: 1,
      protectData: false,
      bundledFiles: { FA_MODELS_CONFIG: 'config/models.yaml' },
    });
    const assembly = app.synth();
    const assets = readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'));
    expect(assets).toHaveLength(1);
    const bundle = join(assembly.directory, assets[0]!);
    expect(existsSync(join(bundle, 'index.mjs'))).toBe(true);
    expect(existsSync(join(bundle, 'config', 'models.yaml'))).toBe(true);

    const module: { handler: (event: unknown, context: unknown) => Promise<unknown> } = await import(
      pathToFileURL(join(bundle, 'index.mjs')).href
    );
    const error = await module.handler({}, { getRemainingTimeInMillis: () => 1000 }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('ConfigError');
  });
});
