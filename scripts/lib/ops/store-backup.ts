/**
 * `npm run ops -- export --out DIR | import --in DIR`: every table of the local store as one JSON
 * Lines file each, in the item format of DynamoDB's own export to S3 (`{"Item": {...}}` in DynamoDB
 * JSON, binary values base64), plus a manifest with the item counts. Import validates every file
 * before it writes anything, then puts the items back with BatchWriteItem: it overwrites items with
 * the same keys and deletes nothing, so importing the same export twice leaves the same store.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { BatchWriteItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { TABLES, tableNamesFor } from '../../../lambdas/core/contracts/tables';
import type { TableKey } from '../../../lambdas/core/contracts/tables';
import { OpsError } from './errors';

export const EXPORT_FORMAT = 'fa-store-export/1';

const ManifestSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  exportedAt: z.string(),
  tables: z.record(z.string(), z.object({ file: z.string().regex(/^[\w.-]+\.jsonl$/), items: z.number().int().nonnegative() })),
});
export type ExportManifest = z.infer<typeof ManifestSchema>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** An AttributeValue as JSON: the same shape, with B and BS as base64 strings. */
function toJson(value: AttributeValue): Json {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.M !== undefined) return { M: Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, toJson(v)])) };
  if (value.L !== undefined) return { L: value.L.map(toJson) };
  return value as unknown as Json;
}

const AttributeJsonSchema: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.object({ S: z.string() }).strict(),
    z.object({ N: z.string() }).strict(),
    z.object({ B: z.string() }).strict(),
    z.object({ BOOL: z.boolean() }).strict(),
    z.object({ NULL: z.literal(true) }).strict(),
    z.object({ SS: z.array(z.string()) }).strict(),
    z.object({ NS: z.array(z.string()) }).strict(),
    z.object({ BS: z.array(z.string()) }).strict(),
    z.object({ L: z.array(AttributeJsonSchema) }).strict(),
    z.object({ M: z.record(z.string(), AttributeJsonSchema) }).strict(),
  ]),
);
const LineSchema = z.object({ Item: z.record(z.string(), AttributeJsonSchema) }).strict();

function fromJson(value: Record<string, unknown>): AttributeValue {
  if (typeof value.B === 'string') return { B: Buffer.from(value.B, 'base64') };
  if (Array.isArray(value.BS)) return { BS: (value.BS as string[]).map((b) => Buffer.from(b, 'base64')) };
  if (value.M && typeof value.M === 'object') {
    return { M: Object.fromEntries(Object.entries(value.M as Record<string, Record<string, unknown>>).map(([k, v]) => [k, fromJson(v)])) };
  }
  if (Array.isArray(value.L)) return { L: (value.L as Array<Record<string, unknown>>).map(fromJson) };
  return value as unknown as AttributeValue;
}

export interface ExportResult {
  readonly dir: string;
  readonly tables: Readonly<Record<string, number>>;
  readonly items: number;
}

/** Scan every table into DIR/<table id>.jsonl and write DIR/manifest.json last (a complete export has one). */
export async function exportStore(client: DynamoDBClient, prefix: string, dir: string, now: Date): Promise<ExportResult> {
  mkdirSync(dir, { recursive: true });
  const names = tableNamesFor(prefix);
  const manifest: ExportManifest = { format: EXPORT_FORMAT, exportedAt: now.toISOString(), tables: {} };
  for (const [key, definition] of Object.entries(TABLES)) {
    const lines: string[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: names[key as TableKey], ExclusiveStartKey: start }));
      for (const item of page.Items ?? [])
        lines.push(JSON.stringify({ Item: Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toJson(v)])) }));
      start = page.LastEvaluatedKey;
    } while (start);
    const file = `${definition.id}.jsonl`;
    writeFileSync(join(dir, file), lines.length > 0 ? `${lines.join('\n')}\n` : '');
    manifest.tables[definition.id] = { file, items: lines.length };
  }
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const tables = Object.fromEntries(Object.entries(manifest.tables).map(([id, entry]) => [id, entry.items]));
  return { dir, tables, items: Object.values(tables).reduce((a, b) => a + b, 0) };
}

/** Read and check a whole export; nothing is written until all of it parses. @throws OpsError naming the file and line. */
export function readExport(dir: string): Map<TableKey, Array<Record<string, AttributeValue>>> {
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) throw new OpsError(`${dir} has no manifest.json; it is not a complete export of npm run ops -- export`);
  let manifest: ExportManifest;
  try {
    manifest = ManifestSchema.parse(JSON.parse(readFileSync(manifestFile, 'utf8')));
  } catch (error) {
    throw new OpsError(
      `${manifestFile} is not an export manifest (${EXPORT_FORMAT}): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }
  const byId = new Map<string, TableKey>(Object.entries(TABLES).map(([key, definition]) => [definition.id, key as TableKey]));
  const items = new Map<TableKey, Array<Record<string, AttributeValue>>>();
  for (const [id, entry] of Object.entries(manifest.tables)) {
    const key = byId.get(id);
    if (!key) throw new OpsError(`the export has a table "${id}" this version does not know (known: ${[...byId.keys()].join(', ')})`);
    const file = join(dir, entry.file);
    if (!existsSync(file)) throw new OpsError(`the export lists ${entry.file} but ${dir} has no such file`);
    const rows = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, index) => {
        let parsed;
        try {
          parsed = LineSchema.safeParse(JSON.parse(line));
        } catch {
          parsed = undefined;
        }
        if (!parsed?.success) throw new OpsError(`${entry.file} line ${index + 1} is not {"Item": <DynamoDB JSON>}`);
        return Object.fromEntries(Object.entries(parsed.data.Item).map(([k, v]) => [k, fromJson(v as Record<string, unknown>)]));
      });
    if (rows.length !== entry.items)
      throw new OpsError(`${entry.file} has ${rows.length} items but the manifest says ${entry.items}; the export is incomplete`);
    items.set(key, rows);
  }
  return items;
}

export interface ImportResult {
  readonly dir: string;
  readonly tables: Readonly<Record<string, number>>;
  readonly items: number;
}

/** Put every exported item back (BatchWriteItem by 25, unprocessed items re-sent with backoff). */
export async function importStore(
  client: DynamoDBClient,
  prefix: string,
  dir: string,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<ImportResult> {
  const exported = readExport(dir);
  const names = tableNamesFor(prefix);
  const tables: Record<string, number> = {};
  for (const [key, rows] of exported) {
    const table = names[key];
    for (let start = 0; start < rows.length; start += 25) {
      let pending: WriteRequest[] = rows.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt >= 8)
          throw new OpsError(
            `DynamoDB kept ${pending.length} items of ${table} unprocessed after 8 tries; run the import again (it is idempotent)`,
          );
        if (attempt > 0) await sleep(Math.min(2_000, 50 * 2 ** attempt));
        const response = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
        pending = response.UnprocessedItems?.[table] ?? [];
      }
    }
    tables[TABLES[key].id] = rows.length;
  }
  return { dir, tables, items: Object.values(tables).reduce((a, b) => a + b, 0) };
}
