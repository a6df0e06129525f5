/**
 * dynalite (the DynamoDB API on LevelDB) for the embedded runtime. LevelDB allows one owner per
 * store, so the first process to need it starts it and advertises its endpoint in the data dir;
 * later processes (`serve` while `batch` runs, and vice versa) reach it by that endpoint.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { TABLES } from '../lambdas/core/contracts/tables';
import type { TableNames } from '../lambdas/core/contracts/tables';

export interface LocalDynamo {
  endpoint: string;
  /** True when this process owns the store (and must stop it on close). */
  owner: boolean;
  close(): Promise<void>;
}

function endpointFile(dataDir: string): string {
  return join(dataDir, 'dynamodb.endpoint.json');
}

function client(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

async function answers(endpoint: string): Promise<boolean> {
  const probe = client(endpoint);
  try {
    await probe.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  } finally {
    probe.destroy();
  }
}

/** Reach the data dir's running dynalite, or start one in this process. */
export async function connectOrStartDynalite(dataDir: string): Promise<LocalDynamo> {
  mkdirSync(dataDir, { recursive: true });
  const file = endpointFile(dataDir);
  if (existsSync(file)) {
    const { endpoint } = JSON.parse(readFileSync(file, 'utf8')) as { endpoint: string };
    if (await answers(endpoint)) return { endpoint, owner: false, close: async () => {} };
    rmSync(file, { force: true }); // left behind by a process that is gone
  }
  const server = dynalite({ path: join(dataDir, 'dynamodb'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(file, JSON.stringify({ endpoint, pid: process.pid }));
  return {
    endpoint,
    owner: true,
    close: async () => {
      rmSync(file, { force: true });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Create any missing table from the shared definitions (the same ones CDK deploys). */
export async function ensureTables(endpoint: string, names: TableNames): Promise<void> {
  const dynamo = client(endpoint);
  try {
    const existing = new Set((await dynamo.send(new ListTablesCommand({}))).TableNames ?? []);
    for (const [key, def] of Object.entries(TABLES)) {
      const name = names[key as keyof TableNames];
      if (existing.has(name)) continue;
      await dynamo.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: def.partitionKey, AttributeType: 'S' },
            { AttributeName: def.sortKey, AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: def.partitionKey, KeyType: 'HASH' },
            { AttributeName: def.sortKey, KeyType: 'RANGE' },
          ],
        }),
      );
    }
  } finally {
    dynamo.destroy();
  }
}
