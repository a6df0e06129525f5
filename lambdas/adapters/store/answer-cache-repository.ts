/**
 * The answer cache on DynamoDB (dynalite locally): `pk = ANSWER#<sha256 key>`, `sk = ENTRY`. The key
 * already covers the question, tickers, brief versions and prompt variant (core/query/
 * answer-cache-key.ts), so entries are never invalidated, only expired: `expiresAt` (epoch seconds)
 * drives DynamoDB TTL, and reads treat an entry at or past it as a miss because TTL deletes late
 * (dynalite never).
 *
 * Reads issued in the same turn of the event loop are grouped into BatchGetItem calls (up to 100
 * keys), writes through a shared BatchedPutWriter: a Lambda serving one request at a time sends
 * single reads and writes as before, a process serving hundreds of FAs at once sends far fewer.
 */
import type { DynamoDBDocumentClient, NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { AnswerCacheStore, CachedAnswer } from '../../core/query/ports';
import { AnswerPayloadSchema } from '../../shared/api-schemas';
import type { BatchedPutWriter } from './session-repository';

// An entry that does not parse (written by an older version, or damaged) is a miss, never half-served.
const EntrySchema = z.object({ key: z.string(), cachedAt: z.string(), expiresAt: z.number(), answer: AnswerPayloadSchema });

type Item = Record<string, NativeAttributeValue>;

/** BatchGetItem takes at most 100 keys. */
const MAX_BATCH_GET = 100;

const pkOf = (key: string) => `ANSWER#${key}`;

export class DynamoAnswerCacheRepository implements AnswerCacheStore {
  private pending = new Map<string, Array<{ resolve: (item: Item | undefined) => void; reject: (error: unknown) => void }>>();
  private scheduled = false;

  /** `writer`: group puts with other repositories' (see BatchedPutWriter); without one, each put is sent alone. */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly writer?: BatchedPutWriter,
  ) {}

  async get(key: string, nowEpochSeconds: number): Promise<CachedAnswer | undefined> {
    const parsed = EntrySchema.safeParse(await this.read(key));
    if (!parsed.success || parsed.data.key !== key || parsed.data.expiresAt <= nowEpochSeconds) return undefined;
    return { key, cachedAt: parsed.data.cachedAt, expiresAt: parsed.data.expiresAt, answer: parsed.data.answer };
  }

  async put(entry: CachedAnswer): Promise<void> {
    const item = { ...entry, pk: pkOf(entry.key), sk: 'ENTRY' };
    if (this.writer) await this.writer.put(this.table, item);
    else await this.doc.send(new PutCommand({ TableName: this.table, Item: item }));
  }

  private read(key: string): Promise<Item | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const keys = [...this.pending.keys()];
    const waiting = this.pending;
    this.pending = new Map();
    for (let start = 0; start < keys.length; start += MAX_BATCH_GET) {
      const batch = keys.slice(start, start + MAX_BATCH_GET);
      void this.fetch(batch).then(
        (items) => batch.forEach((key) => waiting.get(key)!.forEach((w) => w.resolve(items.get(key)))),
        (error: unknown) => batch.forEach((key) => waiting.get(key)!.forEach((w) => w.reject(error))),
      );
    }
  }

  private async fetch(keys: string[]): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    if (keys.length === 1) {
      const result = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: pkOf(keys[0]!), sk: 'ENTRY' } }));
      if (result.Item) found.set(keys[0]!, result.Item);
      return found;
    }
    let remaining: Item[] = keys.map((key) => ({ pk: pkOf(key), sk: 'ENTRY' }));
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
    return found;
  }
}
