/**
 * The answer cache on DynamoDB (dynalite locally): `pk = ANSWER#<sha256 key>`, `sk = ENTRY`. The key
 * already covers the question, tickers, brief versions and prompt variant (core/query/
 * answer-cache-key.ts), so entries are never invalidated, only expired: `expiresAt` (epoch seconds)
 * drives DynamoDB TTL, and reads treat an entry at or past it as a miss because TTL deletes late
 * (dynalite never).
 *
 * Reads are grouped into BatchGetItem calls (up to 100 keys) and writes go through a shared
 * BatchedPutWriter, both with group commit (session-repository.ts): a Lambda serving one request at
 * a time sends single reads and writes as before, a process serving hundreds of FAs sends far fewer.
 */
import type { DynamoDBDocumentClient, NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { AnswerCacheStore } from '../../core/ports';
import type { CachedAnswer } from '../../core/model';
import { AnswerPayloadSchema } from '../../core/contracts/api';
import { GroupCommit } from './session-repository';
import type { BatchedPutWriter, GroupingOptions } from './session-repository';

// An entry that does not parse (written by an older version, or damaged) is a miss, never half-served.
// The answer is stored as one JSON string: it is only ever read whole, and a string costs a fraction
// of a deeply nested map to marshal and store.
const EntrySchema = z.object({
  key: z.string(),
  cachedAt: z.string(),
  expiresAt: z.number(),
  answer: z
    .string()
    .transform((text, ctx) => {
      try {
        const value: unknown = JSON.parse(text);
        return value;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'answer is not JSON' });
        return z.NEVER;
      }
    })
    .pipe(AnswerPayloadSchema),
});

type Item = Record<string, NativeAttributeValue>;

/** BatchGetItem takes at most 100 keys. */
const MAX_BATCH_GET = 100;

const pkOf = (key: string) => `ANSWER#${key}`;

export class DynamoAnswerCacheRepository implements AnswerCacheStore {
  private readonly reads: GroupCommit<string, Item | undefined>;

  /**
   * `writer`: group puts with other repositories' (see BatchedPutWriter); without one, each put is
   * sent alone. `grouping`: how many reads may be in flight while more queue for the next batch.
   */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly writer?: BatchedPutWriter,
    grouping: GroupingOptions = {},
  ) {
    this.reads = new GroupCommit((keys) => this.fetch(keys), MAX_BATCH_GET, grouping.maxInFlight ?? 4, grouping.lingerMs ?? 0);
  }

  async get(key: string, nowEpochSeconds: number): Promise<CachedAnswer | undefined> {
    const parsed = EntrySchema.safeParse(await this.reads.submit(key));
    if (!parsed.success || parsed.data.key !== key || parsed.data.expiresAt <= nowEpochSeconds) return undefined;
    return { key, cachedAt: parsed.data.cachedAt, expiresAt: parsed.data.expiresAt, answer: parsed.data.answer };
  }

  async put(entry: CachedAnswer): Promise<void> {
    const item = {
      key: entry.key,
      cachedAt: entry.cachedAt,
      expiresAt: entry.expiresAt,
      answer: JSON.stringify(entry.answer),
      pk: pkOf(entry.key),
      sk: 'ENTRY',
    };
    if (this.writer) await this.writer.put(this.table, item);
    else await this.doc.send(new PutCommand({ TableName: this.table, Item: item }));
  }

  /** One GetItem for a lone key, else BatchGetItem (re-sending unprocessed keys); results in key order. */
  private async fetch(keys: string[]): Promise<Array<Item | undefined>> {
    if (keys.length === 1) {
      const result = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: pkOf(keys[0]!), sk: 'ENTRY' } }));
      return [result.Item];
    }
    const found = new Map<string, Item>();
    let remaining: Item[] = [...new Set(keys)].map((key) => ({ pk: pkOf(key), sk: 'ENTRY' }));
    for (let attempt = 0; remaining.length > 0; attempt += 1) {
      if (attempt > 8) throw new Error('DynamoDB left keys unprocessed after 8 retries');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
      const result = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: remaining } } }));
      for (const item of result.Responses?.[this.table] ?? []) {
        const pk = item.pk;
        if (typeof pk === 'string' && pk.startsWith('ANSWER#')) found.set(pk.slice('ANSWER#'.length), item);
      }
      remaining = result.UnprocessedKeys?.[this.table]?.Keys ?? [];
    }
    return keys.map((key) => found.get(key));
  }
}
