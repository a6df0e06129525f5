/**
 * The DynamoDB tables, created from the same definitions the local runtime gives dynalite
 * (lambdas/core/contracts/tables.ts), so the two runtimes can never disagree on keys or names.
 */
import { RemovalPolicy, aws_dynamodb as dynamodb } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { TABLES, tableNamesFor } from '../../lambdas/core/contracts/tables';
import type { TableDefinition, TableKey } from '../../lambdas/core/contracts/tables';
import type { ServiceFunction } from './service-function';

export interface DataTablesProps {
  /** Physical-name prefix, `fa-<stage>`; handlers receive it as FA_TABLE_PREFIX. */
  readonly prefix: string;
  /** Deletion protection and RETAIN on stack deletion. */
  readonly protectData: boolean;
  /** Table definitions; defaults to the shared TABLES (tests pass others to exercise TTL). */
  readonly definitions?: Readonly<Record<string, TableDefinition>>;
}

/** One on-demand table per definition, with PITR and encryption, and TTL where a definition asks for it. */
export class DataTables extends Construct {
  public readonly tables: Readonly<Record<string, dynamodb.TableV2>>;
  public readonly prefix: string;

  constructor(scope: Construct, id: string, props: DataTablesProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]{1,30}$/.test(props.prefix)) {
      throw new Error(`DataTables: prefix "${props.prefix}" must be lower-case letters, digits and hyphens, such as fa-dev.`);
    }
    this.prefix = props.prefix;
    const definitions = props.definitions ?? TABLES;
    const names = physicalNames(props.prefix, definitions);
    const tables: Record<string, dynamodb.TableV2> = {};
    for (const [key, definition] of Object.entries(definitions)) {
      tables[key] = new dynamodb.TableV2(this, pascal(definition.id), {
        tableName: names[key],
        partitionKey: { name: definition.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: definition.sortKey, type: dynamodb.AttributeType.STRING },
        billing: dynamodb.Billing.onDemand(),
        // 35 days of point-in-time recovery: a bad batch or a bad deploy can be undone to the minute.
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
        timeToLiveAttribute: definition.ttlAttribute,
        deletionProtection: props.protectData,
        removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        tags: [{ key: 'fa:purpose', value: definition.description.slice(0, 250) }],
      });
    }
    this.tables = tables;
  }

  /** Grant read and write on the given tables (all by default) and tell the function their prefix. */
  bindReadWrite(fn: ServiceFunction, keys?: readonly TableKey[]): void {
    for (const key of keys ?? Object.keys(this.tables)) this.table(key).grantReadWriteData(fn.grantPrincipal);
    fn.addEnvironment('FA_TABLE_PREFIX', this.prefix);
  }

  /** Grant read-only access to the given tables and tell the function their prefix. */
  bindRead(fn: ServiceFunction, keys?: readonly TableKey[]): void {
    for (const key of keys ?? Object.keys(this.tables)) this.table(key).grantReadData(fn.grantPrincipal);
    fn.addEnvironment('FA_TABLE_PREFIX', this.prefix);
  }

  table(key: string): dynamodb.TableV2 {
    const table = this.tables[key];
    if (!table) throw new Error(`DataTables: there is no table "${key}"; known tables: ${Object.keys(this.tables).join(', ')}.`);
    return table;
  }
}

function physicalNames(prefix: string, definitions: Readonly<Record<string, TableDefinition>>): Record<string, string> {
  // The shared helper for the shared definitions: the handler computes names with it from FA_TABLE_PREFIX.
  if (definitions === TABLES) return tableNamesFor(prefix);
  return Object.fromEntries(Object.entries(definitions).map(([key, def]) => [key, `${prefix}-${def.id}`]));
}

function pascal(id: string): string {
  return id.replace(/(^|[-_])([a-z0-9])/g, (_match, _sep: string, char: string) => char.toUpperCase());
}
