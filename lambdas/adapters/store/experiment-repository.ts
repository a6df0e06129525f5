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
import { ratioIncrement } from '../../core/experiments/stats';
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
   * Add one unit's observations to the arm's counters: a single UpdateItem ADD on the arm's item,
   * three counters per metric (`<metric>.n`, `.sum`, `.sumSq`). With a unit id, the unit's own totals
   * are first added to its item (`VAL#<arm>#<unit>`, returning the totals before, atomically), and the
   * arm also gets the per-unit aggregation's increments (`.units`, `.ux`, `.un`, `.uxx`, `.unn`, `.uxn`),
   * exact under concurrency because each unit's update returns the totals it added to.
   */
  async addObservations(observation: ArmObservation): Promise<void> {
    const entries = Object.entries(observation.values);
    if (entries.length === 0) return;
    const pk = experimentKey(observation.experiment, observation.bucketVersion);
    let before: Record<string, { x: number; n: number }> | undefined;
    if (observation.unitId !== undefined) {
      const unitNames: Record<string, string> = {};
      const unitValues: Record<string, number> = { ':one': 1 };
      const unitAdds = entries.flatMap(([metric, value], i) => {
        unitNames[`#x${i}`] = `${metric}.x`;
        unitNames[`#n${i}`] = `${metric}.n`;
        unitValues[`:x${i}`] = value;
        return [`#x${i} :x${i}`, `#n${i} :one`];
      });
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk, sk: `VAL#${observation.arm}#${observation.unitId}` },
          UpdateExpression: `ADD ${unitAdds.join(', ')}`,
          ExpressionAttributeNames: unitNames,
          ExpressionAttributeValues: unitValues,
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      const old = result.Attributes ?? {};
      before = Object.fromEntries(
        entries.map(([metric]) => [metric, { x: Number(old[`${metric}.x`] ?? 0), n: Number(old[`${metric}.n`] ?? 0) }]),
      );
    }
    const names: Record<string, string> = {};
    const values: Record<string, number | string> = { ':arm': observation.arm };
    const adds = entries.flatMap(([metric, value], i) => {
      const add = (suffix: string, amount: number) => {
        names[`#${suffix}${i}`] = `${metric}.${suffix}`;
        values[`:${suffix}${i}`] = amount;
        return `#${suffix}${i} :${suffix}${i}`;
      };
      const plain = [add('n', 1), add('sum', value), add('sumSq', value * value)];
      if (!before) return plain;
      const r = ratioIncrement(before[metric]!, value);
      return [...plain, add('units', r.units), add('ux', r.x), add('un', r.n), add('uxx', r.xx), add('unn', r.nn), add('uxn', r.xn)];
    });
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk, sk: `METRICS#${observation.arm}` },
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
          KeyConditionExpression: 'pk = :pk AND sk < :unit',
          ExpressionAttributeValues: { ':pk': experimentKey(experiment, bucketVersion), ':unit': 'UNIT#' },
          ExclusiveStartKey,
        }),
      );
      items.push(...((page.Items ?? []) as Array<Record<string, unknown>>));
      ExclusiveStartKey = page.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (ExclusiveStartKey);
    const exposures: Record<string, number> = {};
    const metrics: Record<string, Record<string, SufficientStats>> = {};
    const perUnit: Record<string, Record<string, UnitRatioStats>> = {};
    for (const item of items) {
      const sk = String(item.sk);
      if (sk.startsWith('EXPOSURES#')) {
        const arm = String(item.arm);
        exposures[arm] = (exposures[arm] ?? 0) + Number(item.exposures ?? 0);
      } else if (sk.startsWith('METRICS#')) {
        const arm = String(item.arm);
        for (const [attribute, value] of Object.entries(item)) {
          const match = /^(.+)\.(n|sum|sumSq|units|ux|un|uxx|unn|uxn)$/.exec(attribute);
          if (!match) continue;
          const [, metric, field] = match as unknown as [string, string, string];
          if (field === 'n' || field === 'sum' || field === 'sumSq') {
            ((metrics[metric] ??= {})[arm] ??= { n: 0, sum: 0, sumSq: 0 })[field] = Number(value);
          } else {
            const key = ({ units: 'units', ux: 'x', un: 'n', uxx: 'xx', unn: 'nn', uxn: 'xn' } as const)[field as 'units'];
            ((perUnit[metric] ??= {})[arm] ??= { units: 0, x: 0, n: 0, xx: 0, nn: 0, xn: 0 })[key] = Number(value);
          }
        }
      }
    }
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
