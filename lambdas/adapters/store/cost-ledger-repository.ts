/**
 * The cost ledger in DynamoDB (table `costLedger`, see lambdas/shared/tables.ts). Every figure is
 * an atomic counter updated with `UpdateItem ... ADD`, so 100 concurrent stock processors add to
 * the same run and agent/model/task rows without reading them first and without transactions
 * (which dynalite lacks). Rows:
 *
 * - `pk = RUNS`, `sk = RUN#<runId>`: the run's totals (cost split, tokens, calls, attempts).
 * - `pk = RUN#<runId>`, `sk = LINE#<agent>#<model>#<task>`: counters per agent, model and task;
 *   infrastructure is one row, `LINE#infrastructure`, with a counter per AWS service.
 * - `pk = RUN#<runId>`, `sk = UNIT#<stock|query>#<id>`: one row per unit, its attempts added up,
 *   with the budget status of its latest attempt.
 *
 * A ledger write that fails after the SDK's retries is reported through `onError` and swallowed:
 * losing one attempt's cost row must not fail a stock or a query (the EMF line still carries it).
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { CostLedgerEntry, CostLedgerPort, CostLedgerReader, CostLedgerRun, CostUnitKind, CostUnitRecord } from '../ports';
import { INFRASTRUCTURE_AGENT } from '../../core/cost/ledger';

const RUNS_PK = 'RUNS';
const runKey = (runId: string) => `RUN#${runId}`;
const unitKey = (kind: CostUnitKind, unitId: string) => `UNIT#${kind}#${unitId}`;
const lineKey = (entry: Pick<CostLedgerEntry, 'agent' | 'modelId' | 'task'>) => `LINE#${entry.agent}#${entry.modelId}#${entry.task}`;
const INFRASTRUCTURE_LINE = `LINE#${INFRASTRUCTURE_AGENT}`;

/** USD to 12 decimals: DynamoDB adds decimals exactly, so sums never drift, but JS floats must not carry noise in. */
function usd(value: number): number {
  return Number(value.toFixed(12));
}

/** Attribute-name-safe service key: `aws:lambda` → `lambda`. */
function serviceOf(modelId: string): string {
  return modelId.replace(/^aws:/, '').replace(/[^A-Za-z0-9]/g, '_');
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
const LineRowSchema = z.object({
  agent: z.string(),
  modelId: z.string(),
  task: z.string(),
  costUsd: n,
  calls: n,
  inputTokens: n,
  outputTokens: n,
  cacheReadTokens: n,
  cacheWriteTokens: n,
  downgrades: n,
  estimatedCalls: n,
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
  budgetStatus: z.enum(['within_target', 'over_target', 'over_cap']).default('within_target'),
  estimated: z.boolean().default(false),
});

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

  async unitSpendUsd(runId: string, kind: CostUnitKind, unitId: string): Promise<{ costUsd: number; attempts: number }> {
    try {
      const { Item } = await this.doc.send(
        new GetCommand({ TableName: this.table, Key: { pk: runKey(runId), sk: unitKey(kind, unitId) }, ProjectionExpression: 'costUsd, attempts' }),
      );
      const row = z.object({ costUsd: n, attempts: n }).safeParse(Item ?? {});
      return row.success ? row.data : { costUsd: 0, attempts: 0 };
    } catch (error) {
      this.onError('read', error);
      return { costUsd: 0, attempts: 0 };
    }
  }

  async record(unit: CostUnitRecord, entries: CostLedgerEntry[]): Promise<void> {
    const models = entries.filter((e) => e.agent !== INFRASTRUCTURE_AGENT);
    const infrastructure = entries.filter((e) => e.agent === INFRASTRUCTURE_AGENT);
    const sum = (pick: (e: CostLedgerEntry) => number) => models.reduce((total, e) => total + pick(e), 0);
    const attemptUsd = unit.modelUsd + unit.embeddingUsd + unit.infrastructureUsd;
    const updates: UpdateCommand[] = [
      this.update(RUNS_PK, runKey(unit.runId), {
        add: {
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
        },
        set: { runId: unit.runId, lastAt: unit.at, priceVersion: unit.priceVersion },
        setIfAbsent: { firstAt: unit.at },
      }),
      ...models.map((entry) =>
        this.update(runKey(unit.runId), lineKey(entry), {
          add: {
            costUsd: usd(entry.costUsd),
            calls: entry.calls,
            inputTokens: entry.usage.inputTokens,
            outputTokens: entry.usage.outputTokens,
            cacheReadTokens: entry.usage.cacheReadInputTokens,
            cacheWriteTokens: entry.usage.cacheWriteInputTokens,
            downgrades: entry.downgrades,
            estimatedCalls: entry.estimated ? entry.calls : 0,
          },
          set: { agent: entry.agent, modelId: entry.modelId, task: entry.task },
        }),
      ),
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
          budgetStatus: unit.budget.status,
          estimated: unit.estimated,
          lastAt: unit.at,
        },
        appendList: { skippedSteps: unit.skippedSteps },
      }),
    ];
    if (infrastructure.length > 0) {
      const add: Record<string, number> = { costUsd: usd(infrastructure.reduce((total, e) => total + e.costUsd, 0)) };
      const set: Record<string, unknown> = { agent: INFRASTRUCTURE_AGENT, modelId: 'aws', task: 'infrastructure' };
      for (const entry of infrastructure) {
        add[`usd_${serviceOf(entry.modelId)}`] = usd(entry.costUsd);
        set[`units_${serviceOf(entry.modelId)}`] = entry.task;
      }
      updates.push(this.update(runKey(unit.runId), INFRASTRUCTURE_LINE, { add, set }));
    }
    const results = await Promise.allSettled(updates.map((update) => this.doc.send(update)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) this.onError('write', failed.reason);
  }

  /**
   * One UpdateItem: ADD counters, SET fields, SET if absent, append to lists. Every attribute goes
   * through a `#name` placeholder (several of ours, such as `agent`, are DynamoDB reserved words).
   */
  private update(
    pk: string,
    sk: string,
    parts: { add: Record<string, number>; set?: Record<string, unknown>; setIfAbsent?: Record<string, unknown>; appendList?: Record<string, unknown[]> },
  ): UpdateCommand {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    let next = 0;
    const bind = (attribute: string, value: unknown): [string, string] => {
      next += 1;
      names[`#a${next}`] = attribute;
      values[`:v${next}`] = value;
      return [`#a${next}`, `:v${next}`];
    };
    const adds = Object.entries(parts.add).map(([attribute, value]) => bind(attribute, value).join(' '));
    const sets = [
      ...Object.entries(parts.set ?? {}).map(([attribute, value]) => bind(attribute, value).join(' = ')),
      ...Object.entries(parts.setIfAbsent ?? {}).map(([attribute, value]) => {
        const [name, placeholder] = bind(attribute, value);
        return `${name} = if_not_exists(${name}, ${placeholder})`;
      }),
      ...Object.entries(parts.appendList ?? {}).map(([attribute, value]) => {
        const [name, placeholder] = bind(attribute, value);
        values[':empty'] = [];
        return `${name} = list_append(if_not_exists(${name}, :empty), ${placeholder})`;
      }),
    ];
    return new UpdateCommand({
      TableName: this.table,
      Key: { pk, sk },
      UpdateExpression: `ADD ${adds.join(', ')}${sets.length > 0 ? ` SET ${sets.join(', ')}` : ''}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  async listRuns(limit: number): Promise<Array<{ runId: string; lastAt: string; costUsd: number; attempts: number }>> {
    const rows = await this.queryAll(RUNS_PK);
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
    const rows = await this.queryAll(runKey(runId));
    const lines: CostLedgerEntry[] = [];
    const units: CostLedgerRun['units'] = [];
    for (const row of rows) {
      const sk = typeof row.sk === 'string' ? row.sk : '';
      if (sk === INFRASTRUCTURE_LINE) lines.push(...infrastructureLines(row));
      else if (sk.startsWith('LINE#')) {
        const line = LineRowSchema.parse(row);
        lines.push({
          agent: line.agent,
          task: line.task,
          modelId: line.modelId,
          calls: line.calls,
          usage: { inputTokens: line.inputTokens, outputTokens: line.outputTokens, cacheReadInputTokens: line.cacheReadTokens, cacheWriteInputTokens: line.cacheWriteTokens },
          costUsd: line.costUsd,
          estimated: line.estimatedCalls > 0,
          downgrades: line.downgrades,
        });
      } else if (sk.startsWith('UNIT#')) {
        const unit = UnitRowSchema.parse(row);
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
          budget: { capUsd: unit.capUsd, targetUsd: unit.targetUsd, status: unit.budgetStatus },
          estimated: unit.estimated,
        });
      }
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
        tokens: { input: total.inputTokens, output: total.outputTokens, cacheRead: total.cacheReadTokens, cacheWrite: total.cacheWriteTokens },
        estimated: total.estimatedAttempts > 0,
        firstAt: total.firstAt,
        lastAt: total.lastAt,
        priceVersion: total.priceVersion,
      },
      lines,
      units,
    };
  }

  private async queryAll(pk: string): Promise<Array<Record<string, unknown>>> {
    const rows: Array<Record<string, unknown>> = [];
    let start: Record<string, unknown> | undefined;
    // Bounded: a run has at most a few thousand rows (1 MB pages).
    for (let page = 0; page < 10_000; page += 1) {
      const result = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
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

/** The per-service counters of the infrastructure row, as ledger lines. */
function infrastructureLines(row: Record<string, unknown>): CostLedgerEntry[] {
  const lines: CostLedgerEntry[] = [];
  for (const [name, value] of Object.entries(row)) {
    if (!name.startsWith('usd_') || typeof value !== 'number') continue;
    const service = name.slice('usd_'.length);
    const units = row[`units_${service}`];
    lines.push({
      agent: INFRASTRUCTURE_AGENT,
      task: typeof units === 'string' ? units : 'usage',
      modelId: `aws:${service}`,
      calls: 0,
      usage: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
      costUsd: value,
      estimated: true,
      downgrades: 0,
    });
  }
  return lines;
}
