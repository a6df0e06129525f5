/**
 * The cost ledger in DynamoDB (table `costLedger`, see lambdas/core/contracts/tables.ts). Every figure is
 * an atomic counter updated with `UpdateItem ... ADD`, so 100 concurrent stock processors add to
 * the same counters without reading them first and without transactions (which dynalite lacks).
 * Two items per recorded attempt:
 *
 * - `pk = RUNS`, `sk = RUN#<runId>`: the run's counters — totals (cost split, tokens, calls,
 *   attempts) and, per agent/model/task line, `L|<agent>|<model>|<task>|<counter>` attributes.
 *   One item per run keeps a stock's ledger write to one UpdateItem for the run however many
 *   agents it used (a few KB; DynamoDB sustains thousands of updates a second on one key, a batch
 *   makes a few).
 * - `pk = RUN#<runId>`, `sk = UNIT#<stock|query>#<id>`: one row per unit, its attempts added up,
 *   with the budget status of its latest attempt.
 *
 * A ledger write that fails after the SDK's retries is reported through `onError` and swallowed:
 * losing one attempt's cost row must not fail a stock or a query (the EMF line still carries it).
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { CostLedgerEntry, CostLedgerRun, CostUnitKind, CostUnitRecord, CostUnitTotals } from '../../core/model';
import type { CostLedgerPort, CostLedgerReader } from '../../core/ports';
import { budgetStatus } from '../../core/cost/budget';

const RUNS_PK = 'RUNS';
const runKey = (runId: string) => `RUN#${runId}`;
const unitKey = (kind: CostUnitKind, unitId: string) => `UNIT#${kind}#${unitId}`;

/** Line counters, as attribute suffixes. */
const LINE_COUNTERS = [
  'costUsd',
  'calls',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'downgrades',
  'estimatedCalls',
] as const;
type LineCounter = (typeof LINE_COUNTERS)[number];
const LINE_PREFIX = 'L|';

/** `|` separates the parts of a line attribute; it never occurs in agents, model ids or tasks we write. */
function lineAttribute(entry: Pick<CostLedgerEntry, 'agent' | 'modelId' | 'task'>, counter: LineCounter): string {
  const clean = (part: string) => part.replace(/\|/g, '/');
  return `${LINE_PREFIX}${clean(entry.agent)}|${clean(entry.modelId)}|${clean(entry.task)}|${counter}`;
}

/** USD to 12 decimals: DynamoDB adds decimals exactly, so sums never drift, but JS floats must not carry noise in. */
function usd(value: number): number {
  return Number(value.toFixed(12));
}

const n = z.number().default(0);
const TotalRowSchema = z.object({
  runId: z.string(),
  costUsd: n,
  modelUsd: n,
  embeddingUsd: n,
  infrastructureUsd: n,
  attempts: n,
  calls: n,
  inputTokens: n,
  outputTokens: n,
  cacheReadTokens: n,
  cacheWriteTokens: n,
  estimatedAttempts: n,
  firstAt: z.string().default(''),
  lastAt: z.string().default(''),
  priceVersion: z.string().default(''),
});
const UnitRowSchema = z.object({
  kind: z.enum(['stock', 'query']),
  unitId: z.string(),
  variant: z.string().default(''),
  costUsd: n,
  modelUsd: n,
  embeddingUsd: n,
  infrastructureUsd: n,
  attempts: n,
  downgrades: n,
  skippedSteps: z.array(z.string()).default([]),
  capUsd: n,
  targetUsd: n,
  estimated: z.boolean().default(false),
});
const TotalsSchema = z.object({ costUsd: n, attempts: n });

interface UpdateParts {
  add: Record<string, number>;
  set?: Record<string, unknown>;
  setIfAbsent?: Record<string, unknown>;
  appendList?: Record<string, unknown[]>;
  /** Return the item's counters after the update (the unit row's totals). */
  returnNew?: boolean;
}

export interface DynamoCostLedgerOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  /** Told about a ledger read or write that failed after the SDK's retries (for a metric and a log line). */
  onError?: (operation: 'read' | 'write', error: unknown) => void;
}

export class DynamoCostLedger implements CostLedgerPort, CostLedgerReader {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly onError: (operation: 'read' | 'write', error: unknown) => void;

  constructor(options: DynamoCostLedgerOptions) {
    this.doc = options.doc;
    this.table = options.tableName;
    this.onError = options.onError ?? (() => {});
  }

  async unitSpendUsd(runId: string, kind: CostUnitKind, unitId: string): Promise<CostUnitTotals> {
    try {
      const { Item } = await this.doc.send(
        new GetCommand({
          TableName: this.table,
          Key: { pk: runKey(runId), sk: unitKey(kind, unitId) },
          ProjectionExpression: 'costUsd, attempts',
        }),
      );
      const row = TotalsSchema.safeParse(Item ?? {});
      return row.success ? row.data : { costUsd: 0, attempts: 0 };
    } catch (error) {
      this.onError('read', error);
      return { costUsd: 0, attempts: 0 };
    }
  }

  async record(unit: CostUnitRecord, entries: CostLedgerEntry[]): Promise<CostUnitTotals | undefined> {
    const attemptUsd = unit.modelUsd + unit.embeddingUsd + unit.infrastructureUsd;
    const sum = (pick: (e: CostLedgerEntry) => number) => entries.reduce((total, e) => total + pick(e), 0);
    const runAdd: Record<string, number> = {
      costUsd: usd(attemptUsd),
      modelUsd: usd(unit.modelUsd),
      embeddingUsd: usd(unit.embeddingUsd),
      infrastructureUsd: usd(unit.infrastructureUsd),
      attempts: 1,
      calls: sum((e) => e.calls),
      inputTokens: sum((e) => e.usage.inputTokens),
      outputTokens: sum((e) => e.usage.outputTokens),
      cacheReadTokens: sum((e) => e.usage.cacheReadInputTokens),
      cacheWriteTokens: sum((e) => e.usage.cacheWriteInputTokens),
      estimatedAttempts: unit.estimated ? 1 : 0,
    };
    for (const entry of entries) {
      const counters: Record<LineCounter, number> = {
        costUsd: usd(entry.costUsd),
        calls: entry.calls,
        inputTokens: entry.usage.inputTokens,
        outputTokens: entry.usage.outputTokens,
        cacheReadTokens: entry.usage.cacheReadInputTokens,
        cacheWriteTokens: entry.usage.cacheWriteInputTokens,
        downgrades: entry.downgrades,
        estimatedCalls: entry.estimated ? Math.max(1, entry.calls) : 0,
      };
      for (const counter of LINE_COUNTERS) {
        const attribute = lineAttribute(entry, counter);
        runAdd[attribute] = (runAdd[attribute] ?? 0) + counters[counter];
      }
    }
    const updates = [
      this.update(RUNS_PK, runKey(unit.runId), {
        add: runAdd,
        set: { runId: unit.runId, lastAt: unit.at, priceVersion: unit.priceVersion },
        setIfAbsent: { firstAt: unit.at },
      }),
      this.update(runKey(unit.runId), unitKey(unit.kind, unit.unitId), {
        add: {
          costUsd: usd(attemptUsd),
          modelUsd: usd(unit.modelUsd),
          embeddingUsd: usd(unit.embeddingUsd),
          infrastructureUsd: usd(unit.infrastructureUsd),
          attempts: 1,
          downgrades: unit.downgrades,
        },
        set: {
          kind: unit.kind,
          unitId: unit.unitId,
          variant: unit.variant,
          capUsd: unit.budget.capUsd,
          targetUsd: unit.budget.targetUsd,
          estimated: unit.estimated,
          lastAt: unit.at,
        },
        appendList: { skippedSteps: unit.skippedSteps },
        returnNew: true,
      }),
    ];
    const [run, row] = await Promise.allSettled(updates.map((update) => this.doc.send(update)));
    const failed = [run, row].find((r): r is PromiseRejectedResult => r?.status === 'rejected');
    if (failed) this.onError('write', failed.reason);
    if (row?.status !== 'fulfilled') return undefined;
    const totals = TotalsSchema.safeParse(row.value.Attributes ?? {});
    return totals.success ? totals.data : undefined;
  }

  async listRuns(limit: number): Promise<Array<{ runId: string; lastAt: string; costUsd: number; attempts: number }>> {
    const rows = await this.queryAll(RUNS_PK, 'runId, lastAt, costUsd, attempts');
    return rows
      .map((row) => TotalRowSchema.safeParse(row))
      .flatMap((parsed) => (parsed.success ? [parsed.data] : []))
      .sort((a, b) => b.lastAt.localeCompare(a.lastAt))
      .slice(0, limit)
      .map((r) => ({ runId: r.runId, lastAt: r.lastAt, costUsd: r.costUsd, attempts: r.attempts }));
  }

  async readRun(runId: string): Promise<CostLedgerRun | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: RUNS_PK, sk: runKey(runId) } }));
    if (!Item) return undefined;
    const total = TotalRowSchema.parse(Item);
    const units: CostLedgerRun['units'] = [];
    for (const row of await this.queryAll(runKey(runId))) {
      const parsed = UnitRowSchema.safeParse(row);
      if (!parsed.success) continue;
      const unit = parsed.data;
      units.push({
        kind: unit.kind,
        unitId: unit.unitId,
        variant: unit.variant,
        costUsd: unit.costUsd,
        modelUsd: unit.modelUsd,
        embeddingUsd: unit.embeddingUsd,
        infrastructureUsd: unit.infrastructureUsd,
        attempts: unit.attempts,
        downgrades: unit.downgrades,
        skippedSteps: unit.skippedSteps,
        // Judged on the unit's total across attempts, against the budget it ran under.
        budget: {
          capUsd: unit.capUsd,
          targetUsd: unit.targetUsd,
          status: budgetStatus(unit.costUsd, { capUsd: unit.capUsd, targetUsd: unit.targetUsd }),
        },
        estimated: unit.estimated,
      });
    }
    return {
      runId,
      total: {
        costUsd: total.costUsd,
        modelUsd: total.modelUsd,
        embeddingUsd: total.embeddingUsd,
        infrastructureUsd: total.infrastructureUsd,
        attempts: total.attempts,
        calls: total.calls,
        tokens: {
          input: total.inputTokens,
          output: total.outputTokens,
          cacheRead: total.cacheReadTokens,
          cacheWrite: total.cacheWriteTokens,
        },
        estimated: total.estimatedAttempts > 0,
        firstAt: total.firstAt,
        lastAt: total.lastAt,
        priceVersion: total.priceVersion,
      },
      lines: linesOf(Item),
      units,
    };
  }

  /**
   * One UpdateItem: ADD counters, SET fields, SET if absent, append to lists. Every attribute goes
   * through a `#name` placeholder (several of ours are DynamoDB reserved words, and line names hold `|`).
   */
  private update(pk: string, sk: string, parts: UpdateParts): UpdateCommand {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    let next = 0;
    const bind = (attribute: string, value: unknown): [string, string] => {
      next += 1;
      names[`#a${next}`] = attribute;
      values[`:v${next}`] = value;
      return [`#a${next}`, `:v${next}`];
    };
    // Adding 0 changes nothing (readers default a missing counter to 0), and every clause costs
    // expression parsing on each update: only the counters that move are sent.
    const adds = Object.entries(parts.add)
      .filter(([, value]) => value !== 0)
      .map(([attribute, value]) => bind(attribute, value).join(' '));
    const sets = [
      ...Object.entries(parts.set ?? {}).map(([attribute, value]) => bind(attribute, value).join(' = ')),
      ...Object.entries(parts.setIfAbsent ?? {}).map(([attribute, value]) => {
        const [name, placeholder] = bind(attribute, value);
        return `${name} = if_not_exists(${name}, ${placeholder})`;
      }),
      ...Object.entries(parts.appendList ?? {})
        .filter(([, value]) => value.length > 0)
        .map(([attribute, value]) => {
          const [name, placeholder] = bind(attribute, value);
          values[':empty'] = [];
          return `${name} = list_append(if_not_exists(${name}, :empty), ${placeholder})`;
        }),
    ];
    return new UpdateCommand({
      TableName: this.table,
      Key: { pk, sk },
      UpdateExpression: [adds.length > 0 ? `ADD ${adds.join(', ')}` : '', sets.length > 0 ? `SET ${sets.join(', ')}` : '']
        .filter(Boolean)
        .join(' '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(parts.returnNew ? { ReturnValues: 'ALL_NEW' as const } : {}),
    });
  }

  private async queryAll(pk: string, projection?: string): Promise<Array<Record<string, unknown>>> {
    const rows: Array<Record<string, unknown>> = [];
    let start: Record<string, unknown> | undefined;
    // Bounded: a run has one row per unit (1 MB pages).
    for (let page = 0; page < 10_000; page += 1) {
      const result = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ...(projection ? { ProjectionExpression: projection } : {}),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      rows.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey;
      if (!start) break;
    }
    return rows;
  }
}

/** The per-line counters of a run item, as ledger lines. */
function linesOf(item: Record<string, unknown>): CostLedgerEntry[] {
  const lines = new Map<string, CostLedgerEntry & { estimatedCalls: number }>();
  for (const [attribute, value] of Object.entries(item)) {
    if (!attribute.startsWith(LINE_PREFIX) || typeof value !== 'number') continue;
    const parts = attribute.slice(LINE_PREFIX.length).split('|');
    if (parts.length !== 4) continue;
    const [agent, modelId, task, counter] = parts as [string, string, string, string];
    const key = `${agent}|${modelId}|${task}`;
    const line = lines.get(key) ?? {
      agent,
      modelId,
      task,
      calls: 0,
      usage: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
      costUsd: 0,
      estimated: false,
      downgrades: 0,
      estimatedCalls: 0,
    };
    if (counter === 'costUsd') line.costUsd = value;
    else if (counter === 'calls') line.calls = value;
    else if (counter === 'inputTokens') line.usage.inputTokens = value;
    else if (counter === 'outputTokens') line.usage.outputTokens = value;
    else if (counter === 'cacheReadTokens') line.usage.cacheReadInputTokens = value;
    else if (counter === 'cacheWriteTokens') line.usage.cacheWriteInputTokens = value;
    else if (counter === 'downgrades') line.downgrades = value;
    else if (counter === 'estimatedCalls') line.estimatedCalls = value;
    lines.set(key, line);
  }
  return [...lines.values()].map(({ estimatedCalls, ...line }) => ({ ...line, estimated: estimatedCalls > 0 }));
}
