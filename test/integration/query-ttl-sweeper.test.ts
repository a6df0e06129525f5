import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startTestDynamo } from '../support/dynalite';
import type { TestDynamo } from '../support/dynalite';
import { createDocumentClient } from '../../lambdas/adapters/store/dynamo-repositories';
import { tableNamesFor } from '../../lambdas/core/contracts/tables';
import { deleteMatching, sweepExpired } from '../../local/ttl-sweeper';

let dynamo: TestDynamo;
let doc: DynamoDBDocumentClient;
const names = tableNamesFor('');

beforeAll(async () => {
  dynamo = await startTestDynamo();
  doc = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
});
afterAll(async () => {
  doc.destroy();
  await dynamo.close();
});

async function keys(table: string): Promise<string[]> {
  const page = await doc.send(new ScanCommand({ TableName: table }));
  return (page.Items ?? []).map((item) => `${item.pk}/${item.sk}`).sort();
}

describe('the local TTL sweeper', () => {
  it('deletes expired items of TTL tables only, as DynamoDB TTL would, and keeps live ones and other tables', async () => {
    for (let i = 0; i < 30; i += 1) {
      await doc.send(
        new PutCommand({ TableName: names.sessions, Item: { pk: `FA#a#SESSION#s${i}`, sk: 'TURN#1', expiresAt: i < 20 ? 1_000 : 3_000 } }),
      );
    }
    await doc.send(new PutCommand({ TableName: names.answerCache, Item: { pk: 'ANSWER#old', sk: 'ENTRY', expiresAt: 1_999 } }));
    await doc.send(new PutCommand({ TableName: names.answerCache, Item: { pk: 'ANSWER#new', sk: 'ENTRY', expiresAt: 2_001 } }));
    await doc.send(new PutCommand({ TableName: names.summaries, Item: { pk: 'TICKER#X', sk: 'LATEST', expiresAt: 1 } }));
    expect(await sweepExpired(dynamo.endpoint, 2_000, names)).toBe(21);
    expect(await keys(names.sessions)).toHaveLength(10);
    expect(await keys(names.answerCache)).toEqual(['ANSWER#new/ENTRY']);
    expect(await keys(names.summaries)).toEqual(['TICKER#X/LATEST']);
  });

  it('deletes exactly the items a filter names', async () => {
    await doc.send(new PutCommand({ TableName: names.sessions, Item: { pk: 'FA#fa-load-1#SESSION#x', sk: 'TURN#1', expiresAt: 9e9 } }));
    await doc.send(new PutCommand({ TableName: names.sessions, Item: { pk: 'FA#fa-real#SESSION#x', sk: 'TURN#1', expiresAt: 9e9 } }));
    expect(
      await deleteMatching(dynamo.endpoint, names.sessions, { expression: 'begins_with(#pk, :fa)', values: { ':fa': 'FA#fa-load-' } }),
    ).toBe(1);
    expect(await keys(names.sessions)).toContain('FA#fa-real#SESSION#x/TURN#1');
  });
});
