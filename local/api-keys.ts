/**
 * The local API key store: which key identifies which FA when the API runs on this machine (in AWS,
 * Cognito and API Gateway do this). Keys are stored only as sha256 hashes, in a JSON file in the
 * data dir (mode 0600); a key is shown once, when it is created. The file is re-read when it changes
 * (checked at most once a second) or an unknown key is presented, so a key created while the server
 * runs works at once and a key removed from the file (revoked) stops working.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ConfigError, describeError } from '../lambdas/core/errors';
import { describeIssue } from '../lambdas/core/validation';

export const KEY_STORE_FILE = 'api-keys.json';

export const ApiKeyRoleSchema = z.enum(['fa', 'operator']);
export type ApiKeyRole = z.infer<typeof ApiKeyRoleSchema>;

const RecordSchema = z.object({
  keyId: z.string().regex(/^key_[0-9a-f]{12}$/),
  faId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/),
  label: z.string().max(200),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
  /** `operator` keys also reach the operator routes (in AWS: membership of the Cognito operators group). */
  role: ApiKeyRoleSchema.default('fa'),
});
export type ApiKeyRecord = z.output<typeof RecordSchema>;

const StoreSchema = z.object({ version: z.literal(1), keys: z.array(RecordSchema) });

/** The key store path: FA_API_KEYS_FILE, or api-keys.json in the data dir. */
export function keyStorePath(dataDir: string, environment: NodeJS.ProcessEnv = process.env): string {
  return environment.FA_API_KEYS_FILE || join(dataDir, KEY_STORE_FILE);
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Every record in the file; a missing file is an empty store, a malformed one a ConfigError. */
export function readKeyRecords(file: string): ApiKeyRecord[] {
  if (!existsSync(file)) return [];
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`the API key store ${file} is not JSON: ${describeError(error)}`);
  }
  const parsed = StoreSchema.safeParse(document);
  if (!parsed.success) {
    throw new ConfigError(`the API key store ${file} is invalid at ${describeIssue(parsed.error, 'the top level')}`);
  }
  return parsed.data.keys;
}

function writeRecords(file: string, keys: ApiKeyRecord[]): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ version: 1, keys }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
  chmodSync(file, 0o600);
}

/**
 * Create a key for `faId`, store its hash, and return the key itself — the only time it exists in
 * clear. Keys are 32 random bytes, base64url, behind a recognisable prefix.
 */
export function createApiKey(
  file: string,
  faId: string,
  label: string,
  options: { now?: Date; role?: ApiKeyRole } = {},
): { apiKey: string; record: ApiKeyRecord } {
  const apiKey = `faak_${randomBytes(32).toString('base64url')}`;
  const sha256 = hashKey(apiKey);
  const createdAt = (options.now ?? new Date()).toISOString();
  const record = RecordSchema.parse({ keyId: `key_${sha256.slice(0, 12)}`, faId, label, sha256, createdAt, role: options.role ?? 'fa' });
  writeRecords(file, [...readKeyRecords(file), record]);
  return { apiKey, record };
}

/** Remove a key from the store (revoke it); true when it was there. A running server stops accepting it within a second. */
export function revokeApiKey(file: string, keyId: string): boolean {
  const records = readKeyRecords(file);
  const kept = records.filter((r) => r.keyId !== keyId);
  if (kept.length === records.length) return false;
  writeRecords(file, kept);
  return true;
}

/** Add pre-hashed records (the load test's FAs) in one write. */
export function addKeyRecords(file: string, records: z.input<typeof RecordSchema>[]): void {
  writeRecords(file, [...readKeyRecords(file), ...records.map((r) => RecordSchema.parse(r))]);
}

export interface KeyIdentity {
  faId: string;
  keyId: string;
  role: ApiKeyRole;
}

export type Authentication = KeyIdentity | 'missing' | 'invalid';

/** Verifies presented keys against the store's hashes. */
export class KeyStore {
  private byHash = new Map<string, ApiKeyRecord>();
  private loadedMtimeMs = -1;
  private lastReload = 0;
  private lastCheck = 0;

  constructor(
    private readonly file: string,
    private readonly now: () => number = Date.now,
  ) {
    this.reload();
  }

  get size(): number {
    return this.byHash.size;
  }

  private reload(): void {
    const mtime = existsSync(this.file) ? statSync(this.file).mtimeMs : 0;
    if (mtime === this.loadedMtimeMs) return;
    this.byHash = new Map(readKeyRecords(this.file).map((r) => [r.sha256, r]));
    this.loadedMtimeMs = mtime;
  }

  authenticate(presented: string | undefined): Authentication {
    if (presented === undefined || presented.trim() === '') return 'missing';
    const hash = hashKey(presented.trim());
    // A revoked key (its record removed from the file) stops working within a second, as a deleted
    // API Gateway key does: the file's mtime is checked at most once a second, even for known keys.
    if (this.now() - this.lastCheck > 1_000) {
      this.lastCheck = this.now();
      try {
        this.reload();
      } catch {
        // A half-written or damaged file keeps the keys already loaded.
      }
    }
    let record = this.byHash.get(hash);
    if (!record && this.now() - this.lastReload > 1_000) {
      this.lastReload = this.now();
      try {
        this.reload();
      } catch {
        // A half-written or damaged file keeps the keys already loaded.
      }
      record = this.byHash.get(hash);
    }
    // The map lookup already matched; compare again in constant time so no timing reveals how close a guess came.
    if (!record || !timingSafeEqual(Buffer.from(record.sha256, 'hex'), Buffer.from(hash, 'hex'))) return 'invalid';
    return { faId: record.faId, keyId: record.keyId, role: record.role };
  }
}
