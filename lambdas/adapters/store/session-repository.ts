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
import type { SessionStore } from '../../core/ports';
import type { SessionTurn } from '../../core/model';

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

/** The stored turn: the JSON attribute, with the FA and expiry attributes outside it taking precedence. */
function turnOf(item: Record<string, unknown>): unknown {
  if (typeof item.turn !== 'string') return item;
  try {
    const turn: unknown = JSON.parse(item.turn);
    return turn && typeof turn === 'object' ? { ...turn, faId: item.faId, expiresAt: item.expiresAt } : undefined;
  } catch {
    return undefined;
  }
}

/** `FA#<faId>#SESSION#<sessionId>`; ids are URI-encoded so a `#` in either cannot forge another key. */
export function sessionKey(faId: string, sessionId: string): string {
  return `FA#${encodeURIComponent(faId)}#SESSION#${encodeURIComponent(sessionId)}`;
}

type Item = Record<string, NativeAttributeValue>;

export interface GroupingOptions {
  /**
   * Calls of one kind allowed in flight at once. While they are, new requests wait and then go
   * together in the next call — group commit: a lone request is sent at once (a Lambda, which serves
   * one request at a time, pays nothing), and under load batches grow to match what the store
   * absorbs. DynamoDB calls cost far more per call than per item, above all on dynalite, so a
   * process serving hundreds of FAs at once (the local server) wants this low. Default 4.
   */
  maxInFlight?: number;
  /**
   * How long a first request waits for others to join its batch, in ms (default 0: only those issued
   * in the same turn of the event loop). Worth a few ms where one process serves many FAs at once.
   */
  lingerMs?: number;
}

interface Waiting<T, R> {
  request: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit over any batch call: `submit` queues one request; queued requests are sent in
 * batches of at most `maxBatch` by `send`, with at most `maxInFlight` batches outstanding, and each
 * caller's promise settles with its own result.
 */
export class GroupCommit<T, R> {
  private pending: Array<Waiting<T, R>> = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly send: (requests: T[]) => Promise<R[]>,
    private readonly maxBatch: number,
    private readonly maxInFlight: number,
    private readonly lingerMs = 0,
  ) {}

  submit(request: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ request, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.pending.length === 0) return;
    // Wait for the rest of this turn of the event loop: requests issued together go together.
    this.scheduled = true;
    const go = () => {
      this.scheduled = false;
      this.drain();
    };
    if (this.lingerMs > 0 && this.pending.length < this.maxBatch) setTimeout(go, this.lingerMs);
    else setImmediate(go);
  }

  private drain(): void {
    while (this.pending.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.pending.splice(0, this.maxBatch);
      this.inFlight += 1;
      void this.send(batch.map((w) => w.request))
        .then(
          (results) => batch.forEach((w, i) => w.resolve(results[i]!)),
          (error: unknown) => batch.forEach((w) => w.reject(error)),
        )
        .finally(() => {
          this.inFlight -= 1;
          this.pump();
        });
    }
  }
}

/** BatchWriteItem takes at most 25 requests. */
const MAX_BATCH = 25;

/**
 * Single-item puts through BatchWriteItem calls (up to 25 items, across tables) with group commit
 * (see GroupCommit). Two puts of one key in a batch are refused by DynamoDB, so the later one wins
 * and both callers settle; unprocessed items are re-sent with backoff.
 */
export class BatchedPutWriter {
  private readonly queue: GroupCommit<{ table: string; item: Item }, void>;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    options: GroupingOptions = {},
  ) {
    this.queue = new GroupCommit((puts) => this.write(puts), MAX_BATCH, options.maxInFlight ?? 4, options.lingerMs ?? 0);
  }

  put(table: string, item: Item): Promise<void> {
    return this.queue.submit({ table, item });
  }

  private async write(puts: Array<{ table: string; item: Item }>): Promise<void[]> {
    const winners = new Map<string, { table: string; item: Item }>();
    for (const put of puts) winners.set(`${put.table}\u0000${String(put.item.pk)}\u0000${String(put.item.sk)}`, put);
    let requests: Record<string, Array<{ PutRequest: { Item: Item } }>> = {};
    for (const put of winners.values()) (requests[put.table] ??= []).push({ PutRequest: { Item: put.item } });
    for (let attempt = 0; Object.keys(requests).length > 0; attempt += 1) {
      if (attempt > 8) throw new Error('DynamoDB left items unprocessed after 8 retries');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
      const result = await this.doc.send(new BatchWriteCommand({ RequestItems: requests }));
      requests = {};
      for (const [table, unprocessed] of Object.entries(result.UnprocessedItems ?? {})) {
        const again = (unprocessed ?? []).flatMap((r) => (r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : []));
        if (again.length > 0) requests[table] = again;
      }
    }
    return puts.map(() => undefined);
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
      const parsed = TurnItemSchema.safeParse(turnOf(item));
      if (!parsed.success) continue; // a malformed item is skipped, never shown half-read
      if (parsed.data.expiresAt <= nowEpochSeconds || parsed.data.faId !== faId) continue;
      turns.push(parsed.data);
    }
    return turns.reverse();
  }

  async appendTurn(turn: SessionTurn): Promise<void> {
    const sk = `TURN#${String(Date.parse(turn.createdAt)).padStart(13, '0')}#${turn.turnId}`;
    // The turn travels as one JSON string beside the attributes keys, TTL and isolation need: a turn
    // is only ever read whole, and one string costs a fraction of a nested map to marshal and store.
    const item = { pk: sessionKey(turn.faId, turn.sessionId), sk, faId: turn.faId, expiresAt: turn.expiresAt, turn: JSON.stringify(turn) };
    if (this.writer) await this.writer.put(this.table, item);
    else await this.doc.send(new PutCommand({ TableName: this.table, Item: item }));
  }
}
