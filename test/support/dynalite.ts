/** A throwaway dynalite with the product's tables, for integration tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectOrStartDynalite, ensureTables } from '../../local/dynalite';
import { createDocumentClient, createRepositories } from '../../lambdas/adapters/store/dynamo-repositories';
import type { Repositories } from '../../lambdas/adapters/store/dynamo-repositories';
import { tableNamesFor } from '../../lambdas/core/contracts/tables';

export interface TestDynamo {
  dataDir: string;
  endpoint: string;
  repositories: Repositories;
  close(): Promise<void>;
}

export async function startTestDynamo(): Promise<TestDynamo> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fa-test-'));
  const dynamo = await connectOrStartDynalite(dataDir);
  await ensureTables(dynamo.endpoint, tableNamesFor(''));
  const doc = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
  return {
    dataDir,
    endpoint: dynamo.endpoint,
    repositories: createRepositories(doc, tableNamesFor('')),
    close: async () => {
      doc.destroy();
      await dynamo.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
