/**
 * The security suite's one-time setup (vitest globalSetup of the `security` project): the embedded
 * runtime, the planted documents and the batch (lib/stack.ts), shared with every test file.
 */
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { prepareStack } from './lib/stack';
import type { StackInfo } from './lib/stack';

declare module 'vitest' {
  export interface ProvidedContext {
    securityStack: StackInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const stack = await prepareStack();
  process.stderr.write(`security suite: batch over the demo stocks with planted documents in ${Date.now() - started} ms\n`);
  project.provide('securityStack', stack.info);
  return async () => {
    await stack.close();
    if (!process.env.FA_SECURITY_KEEP_DATA) rmSync(stack.info.dataDir, { recursive: true, force: true });
  };
}
