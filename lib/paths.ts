/** Paths of the files CDK bundles and reads, resolved from this module so cwd does not matter. */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root (the directory holding package.json and package-lock.json). */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Absolute path of a Lambda handler module under lambdas/handlers/. */
export function handlerEntry(name: string): string {
  return join(REPO_ROOT, 'lambdas', 'handlers', `${name}.ts`);
}

/** The batch state machine definition, the single source of truth shared with the local runtime. */
export const STOCK_BATCH_ASL = join(REPO_ROOT, 'statemachines', 'stock-batch.asl.json');
