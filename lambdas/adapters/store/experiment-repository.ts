/**
 * The experiments table (lambdas/core/contracts/tables.ts): sticky first exposures written with a
 * conditional Put (the first writer wins, and a loser reads the winner back), exposure counts and
 * per-arm sufficient statistics as atomic counters (UpdateItem ADD, so concurrent Lambdas never
 * lose an increment), and the run-time status set by `npm run ab -- start|stop`.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ExposureRecord, ExposureStore } from '../../core/experiments/assignment';
import type { Experiment, Surface } from '../../core/experiments/definitions';
import { unitRatioStats } from '../../core/experiments/stats';
import type { ArmObservation, ExperimentCounts, SufficientStats, UnitRatioStats } from '../../core/experiments/stats';

const experimentKey = (experiment: string, bucketVersion: number) => `EXP#${experiment}#BV#${bucketVersion}`;
const unitKey = (surface: Surface, unitId: string) => `UNIT#${surface}#${unitId}`;

export interface ExperimentState {
  experiment: string;
  /** Set by `npm run ab -- start|stop`; absent, the file's status holds. */
  status?: Experiment['status'];
  startedAt?: string;
  stoppedAt?: string;
  updatedAt: string;
}

export class DynamoExperimentRepository implements ExposureStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(experiment: string, bucketVersion: number, surface: Surface, unitId: string): Promise<ExposureRecord | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: experimentKey(experiment, bucketVersion), sk: unitKey(surface, unitId) } }),
    );
    return result.Item ? exposureOf(result.Item) : undefined;
  }

  async putFirst(record: ExposureRecord): Promise<{ record: ExposureRecord; created: boolean }> {
    const pk = experimentKey(record.experiment, record.bucketVersion);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk, sk: unitKey(record.surface, record.unitId), ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.get(record.experiment, record.bucketVersion, record.surface, record.unitId);
      if (existing) return { record: existing, created: false };
      throw error;
    }
    // Counted once per unit, by the writer that won: the SRM check compares these with the weights.
    // The first exposure of all also dates the experiment's start, unless `ab start` already did.
    await Promise.all([
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk, sk: `EXPOSURES#${record.surface}#${record.arm}` },
          UpdateExpression: 'ADD exposures :one SET arm = :arm, surface = :surface',
          ExpressionAttributeValues: { ':one': 1, ':arm': record.arm, ':surface': record.surface },
        }),
      ),
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `EXP#${record.experiment}`, sk: 'STATE' },
          UpdateExpression:
            'SET experiment = :experiment, startedAt = if_not_exists(startedAt, :at), updatedAt = if_not_exists(updatedAt, :at)',
          ExpressionAttributeValues: { ':experiment': record.experiment, ':at': record.firstExposedAt },
        }),
      ),
    ]);
    return { record, created: true };
  }

  /**
   * Add one observation to the counters: a single UpdateItem ADD, three counters per metric
   * (`<metric>.n`, `.sum`, `.sumSq`). With a unit id they are the unit's own (`VAL#<arm>#<unit>`),
   * so concurrent answers for different FAs never contend for one item and each costs one round
   * trip; `counts` sums the units into the arm's statistics and the per-unit aggregation. Without
   * one, they go on the arm's item (`METRICS#<arm>`).
   */
  async addObservations(observation: ArmObservation): Promise<void> {
    const entries = Object.entries(observation.values);
    if (entries.length === 0) return;
    const names: Record<string, string> = {};
    const values: Record<string, number | string> = { ':arm': observation.arm };
    const adds = entries.flatMap(([metric, value], i) => {
      const add = (suffix: string, amount: number) => {
        names[`#${suffix}${i}`] = `${metric}.${suffix}`;
        values[`:${suffix}${i}`] = amount;
        return `#${suffix}${i} :${suffix}${i}`;
      };
      return [add('n', 1), add('sum', value), add('sumSq', value * value)];
    });
    const sk = observation.unitId !== undefined ? `VAL#${observation.arm}#${observation.unitId}` : `METRICS#${observation.arm}`;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: experimentKey(observation.experiment, observation.bucketVersion), sk },
        UpdateExpression: `ADD ${adds.join(', ')} SET arm = :arm`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** Everything counted for an experiment's bucket version: exposures per arm and statistics per metric and arm. */
  async counts(experiment: string, bucketVersion: number): Promise<ExperimentCounts> {
    const items: Array<Record<string, unknown>> = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': experimentKey(experiment, bucketVersion) },
          ExclusiveStartKey,
        }),
      );
      items.push(...((page.Items ?? []) as Array<Record<string, unknown>>));
      ExclusiveStartKey = page.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (ExclusiveStartKey);
    const exposures: Record<string, number> = {};
    const metrics: Record<string, Record<string, SufficientStats>> = {};
    const perUnit: Record<string, Record<string, UnitRatioStats>> = {};
    const unitTotals: Record<string, Record<string, Array<{ x: number; n: number }>>> = {};
    for (const item of items) {
      const sk = String(item.sk);
      if (sk.startsWith('EXPOSURES#')) {
        const arm = String(item.arm);
        exposures[arm] = (exposures[arm] ?? 0) + Number(item.exposures ?? 0);
      } else if (sk.startsWith('METRICS#') || sk.startsWith('VAL#')) {
        const arm = String(item.arm);
        const unit = sk.startsWith('VAL#');
        for (const [attribute, value] of Object.entries(item)) {
          const match = /^(.+)\.(n|sum|sumSq)$/.exec(attribute);
          if (!match) continue;
          const [, metric, field] = match as unknown as [string, string, 'n' | 'sum' | 'sumSq'];
          ((metrics[metric] ??= {})[arm] ??= { n: 0, sum: 0, sumSq: 0 })[field] += Number(value);
        }
        // A unit's totals are one draw of the per-unit aggregation (summed by unitRatioStats below).
        if (unit)
          for (const [attribute, value] of Object.entries(item)) {
            const match = /^(.+)\.n$/.exec(attribute);
            if (match) ((unitTotals[match[1]!] ??= {})[arm] ??= []).push({ x: Number(item[`${match[1]!}.sum`] ?? 0), n: Number(value) });
          }
      }
    }
    for (const [metric, byArm] of Object.entries(unitTotals))
      for (const [arm, units] of Object.entries(byArm)) (perUnit[metric] ??= {})[arm] = unitRatioStats(units);
    return { exposures, metrics, ...(Object.keys(perUnit).length > 0 ? { perUnit } : {}) };
  }

  async getState(experiment: string): Promise<ExperimentState | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: `EXP#${experiment}`, sk: 'STATE' } }));
    if (!result.Item) return undefined;
    const { pk: _pk, sk: _sk, ...state } = result.Item;
    return state as ExperimentState;
  }

  /** Start or stop: `startedAt` is kept from the first start, so the planned duration counts from it. */
  async setStatus(experiment: string, status: 'running' | 'stopped', at: Date): Promise<ExperimentState> {
    const now = at.toISOString();
    const result = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `EXP#${experiment}`, sk: 'STATE' },
        UpdateExpression:
          status === 'running'
            ? 'SET #status = :status, experiment = :experiment, updatedAt = :now, startedAt = if_not_exists(startedAt, :now) REMOVE stoppedAt'
            : 'SET #status = :status, experiment = :experiment, updatedAt = :now, stoppedAt = :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':experiment': experiment, ':now': now },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const { pk: _pk, sk: _sk, ...state } = result.Attributes ?? {};
    return state as ExperimentState;
  }
}

function exposureOf(item: Record<string, unknown>): ExposureRecord {
  return {
    experiment: String(item.experiment),
    bucketVersion: Number(item.bucketVersion),
    surface: item.surface as Surface,
    unitId: String(item.unitId),
    arm: String(item.arm),
    firstExposedAt: String(item.firstExposedAt),
  };
}
