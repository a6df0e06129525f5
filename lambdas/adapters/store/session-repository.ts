/**
 * FA conversation memory on DynamoDB (dynalite locally). One item per turn:
 * `pk = FA#<faId>#SESSION#<sessionId>`, `sk = TURN#<epoch ms, zero-padded>#<turnId>`, so a session's
 * turns sort by time and one FA's session id can never address another FA's turns — the FA id is
 * part of the partition key, not a filter.
 *
 * Every turn carries `expiresAt` (epoch seconds) for DynamoDB TTL, which deletes late (and dynalite
 * never), so reads drop expired turns in code.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
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

export class DynamoSessionRepository implements SessionStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly table: string) {}

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
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...turn, pk: sessionKey(turn.faId, turn.sessionId), sk } }));
  }
}
