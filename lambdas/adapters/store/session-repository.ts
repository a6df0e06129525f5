/**
 * FA conversation memory on DynamoDB (dynalite locally). One item per turn:
 * `pk = FA#<faId>#SESSION#<sessionId>`, `sk = TURN#<epoch ms, zero-padded>#<turnId>`, so a session's
 * turns sort by time and one FA's session id can never address another FA's turns — the FA id is
 * part of the partition key, not a filter.
 *
 * Every turn carries `expiresAt` (epoch seconds) for DynamoDB TTL, which deletes late (and dynalite
 * never), so reads drop expired turns in code.
 */
import type { DynamoDBDocumentClient, NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { BatchWriteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { SessionStore, SessionTurn } from '../../core/query/ports';

const TurnItemSchema = z.object({
  faId: z.string(),
  sessionId: z.string(),
  turnId: z.string(),
  question: z.string(),
  answer: z.string(),
  tickers: z.array(z.string()),
  depth: z.enum(['simple', 'deep']),
  citations: z.array(z.object({ n: z.number(), sourceId: z.string(), title: z.string() })),
  confidence: z.number(),
  createdAt: z.string(),
  expiresAt: z.number(),
});

/** `FA#<faId>#SESSION#<sessionId>`; ids are URI-encoded so a `#` in either cannot forge another key. */
export function sessionKey(faId: string, sessionId: string): string {
  return `FA#${encodeURIComponent(faId)}#SESSION#${encodeURIComponent(sessionId)}`;
}

type Item = Record<string, NativeAttributeValue>;

interface PendingPut {
  table: string;
  item: Item;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** BatchWriteItem takes at most 25 requests. */
const MAX_BATCH = 25;

/**
 * Group commit for single-item puts: puts issued while the event loop is busy are written together
 * in BatchWriteItem calls (up to 25 items, across tables) on the next turn of the loop, and each
 * caller's promise settles when its own item is stored. A lone put is sent at once, so a Lambda
 * that serves one request at a time pays nothing; a process serving hundreds of FAs at once (the
 * local server) sends a fraction of the requests. Unprocessed items are re-sent with backoff.
 */
export class BatchedPutWriter {
  private pending: PendingPut[] = [];
  private scheduled = false;

  constructor(private readonly doc: DynamoDBDocumentClient) {}

  put(table: string, item: Item): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ table, item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const all = this.pending;
    this.pending = [];
    for (let start = 0; start < all.length; start += MAX_BATCH) void this.write(all.slice(start, start + MAX_BATCH));
  }

  private async write(batch: PendingPut[]): Promise<void> {
    // Two puts of one key in a batch are refused by DynamoDB: the later one wins, both callers settle.
    const byKey = new Map<string, PendingPut[]>();
    for (const put of batch) {
      const key = `${put.table}\u0000${String(put.item.pk)}\u0000${String(put.item.sk)}`;
      byKey.set(key, [...(byKey.get(key) ?? []), put]);
    }
    const winners = [...byKey.values()].map((puts) => puts.at(-1)!);
    try {
      let requests: Record<string, Array<{ PutRequest: { Item: Item } }>> = {};
      for (const put of winners) (requests[put.table] ??= []).push({ PutRequest: { Item: put.item } });
      for (let attempt = 0; Object.keys(requests).length > 0; attempt += 1) {
        if (attempt > 8) throw new Error('DynamoDB left items unprocessed after 8 retries');
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
        const result = await this.doc.send(new BatchWriteCommand({ RequestItems: requests }));
        requests = {};
        for (const [table, unprocessed] of Object.entries(result.UnprocessedItems ?? {})) {
          const puts = (unprocessed ?? []).flatMap((r) => (r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : []));
          if (puts.length > 0) requests[table] = puts;
        }
      }
      for (const put of batch) put.resolve();
    } catch (error) {
      for (const put of batch) put.reject(error);
    }
  }
}

export class DynamoSessionRepository implements SessionStore {
  /** `writer`: share one BatchedPutWriter between repositories to group their writes too. */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly writer?: BatchedPutWriter,
  ) {}

  async recentTurns(faId: string, sessionId: string, limit: number, nowEpochSeconds: number): Promise<SessionTurn[]> {
    // Turns expire oldest first (each lives a fixed time from its creation), so the newest `limit`
    // items hold every live turn among them; expired ones are dropped here, not by a filter that
    // would count against the limit.
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :turn)',
        ExpressionAttributeValues: { ':pk': sessionKey(faId, sessionId), ':turn': 'TURN#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const turns: SessionTurn[] = [];
    for (const item of page.Items ?? []) {
      const parsed = TurnItemSchema.safeParse(item);
      if (!parsed.success) continue; // a malformed item is skipped, never shown half-read
      if (parsed.data.expiresAt <= nowEpochSeconds || parsed.data.faId !== faId) continue;
      turns.push(parsed.data);
    }
    return turns.reverse();
  }

  async appendTurn(turn: SessionTurn): Promise<void> {
    const sk = `TURN#${String(Date.parse(turn.createdAt)).padStart(13, '0')}#${turn.turnId}`;
    const item = { ...turn, pk: sessionKey(turn.faId, turn.sessionId), sk };
    if (this.writer) await this.writer.put(this.table, item);
    else await this.doc.send(new PutCommand({ TableName: this.table, Item: item }));
  }
}
