/**
 * The local stand-in for DynamoDB's TTL deletion, which dynalite lacks (docs/DESIGN.md §2): items of the
 * tables that declare a `ttlAttribute` are deleted once their expiry has passed. Reads already ignore
 * expired items (expiry is enforced in code); sweeping keeps a long-running local store from growing
 * without bound, which slows every LevelDB read. Also used by the load test to remove what it wrote.
 */
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient, NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../lambdas/adapters/store/dynamo-repositories';
import { TABLES } from '../lambdas/core/contracts/tables';
import type { TableDefinition, TableKey, TableNames } from '../lambdas/core/contracts/tables';

type Key = Record<string, NativeAttributeValue>;

export interface ItemFilter {
  expression: string;
  names?: Record<string, string>;
  values: Record<string, NativeAttributeValue>;
}

async function deleteKeys(doc: DynamoDBDocumentClient, table: string, keys: Key[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 25) {
    let requests: Array<{ DeleteRequest: { Key: Key } }> = keys.slice(i, i + 25).map((key) => ({ DeleteRequest: { Key: key } }));
    for (let attempt = 0; requests.length > 0; attempt += 1) {
      if (attempt > 8) throw new Error(`dynalite left ${requests.length} deletes unprocessed in ${table}`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (result.UnprocessedItems?.[table] ?? []).flatMap((r) =>
        r.DeleteRequest?.Key ? [{ DeleteRequest: { Key: r.DeleteRequest.Key } }] : [],
      );
    }
  }
}

/** Delete every item of `table` that matches `filter` (a Scan, page by page); returns how many went. */
export async function deleteMatching(endpoint: string, table: string, filter: ItemFilter): Promise<number> {
  const doc = createDocumentClient({ region: 'us-east-1', endpoint });
  let deleted = 0;
  try {
    let start: Key | undefined;
    do {
      const page = await doc.send(
        new ScanCommand({
          TableName: table,
          FilterExpression: filter.expression,
          ExpressionAttributeNames: { ...filter.names, '#pk': 'pk', '#sk': 'sk' },
          ExpressionAttributeValues: filter.values,
          ProjectionExpression: '#pk, #sk',
          ExclusiveStartKey: start,
        }),
      );
      const keys: Key[] = (page.Items ?? []).map((item) => ({ pk: item.pk, sk: item.sk }));
      await deleteKeys(doc, table, keys);
      deleted += keys.length;
      start = page.LastEvaluatedKey;
    } while (start);
    return deleted;
  } finally {
    doc.destroy();
  }
}

/** Delete every item whose TTL attribute is at or before `nowEpochSeconds`; returns how many went. */
export async function sweepExpired(endpoint: string, nowEpochSeconds: number, names: TableNames): Promise<number> {
  let deleted = 0;
  for (const key of Object.keys(TABLES) as TableKey[]) {
    const def: TableDefinition = TABLES[key];
    if (!def.ttlAttribute) continue;
    deleted += await deleteMatching(endpoint, names[key], {
      expression: '#ttl <= :now',
      names: { '#ttl': def.ttlAttribute },
      values: { ':now': nowEpochSeconds },
    });
  }
  return deleted;
}
