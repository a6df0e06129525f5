/**
 * The answer cache on DynamoDB (dynalite locally): `pk = ANSWER#<sha256 key>`, `sk = ENTRY`. The key
 * already covers the question, tickers, brief versions and prompt variant (core/query/
 * answer-cache-key.ts), so entries are never invalidated, only expired: `expiresAt` (epoch seconds)
 * drives DynamoDB TTL, and reads treat an entry at or past it as a miss because TTL deletes late
 * (dynalite never).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { AnswerCacheStore, CachedAnswer } from '../../core/query/ports';
import { AnswerPayloadSchema } from '../../shared/api-schemas';

// An entry that does not parse (written by an older version, or damaged) is a miss, never half-served.
const EntrySchema = z.object({ key: z.string(), cachedAt: z.string(), expiresAt: z.number(), answer: AnswerPayloadSchema });

export class DynamoAnswerCacheRepository implements AnswerCacheStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly table: string) {}

  async get(key: string, nowEpochSeconds: number): Promise<CachedAnswer | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: `ANSWER#${key}`, sk: 'ENTRY' } }));
    const parsed = EntrySchema.safeParse(result.Item);
    if (!parsed.success || parsed.data.key !== key || parsed.data.expiresAt <= nowEpochSeconds) return undefined;
    return { key, cachedAt: parsed.data.cachedAt, expiresAt: parsed.data.expiresAt, answer: parsed.data.answer };
  }

  async put(entry: CachedAnswer): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...entry, pk: `ANSWER#${entry.key}`, sk: 'ENTRY' } }));
  }
}
