/**
 * The local API Gateway stand-in over loopback: API keys checked against the hashed key store,
 * identity passed only through the authorizer context, body limits, and the event shape.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { startHttpApi } from '../../local/http-api';
import type { HttpApi } from '../../local/http-api';
import { addKeyRecords, createApiKey, hashKey, KeyStore, readKeyRecords } from '../../local/api-keys';

let dir: string;
let keyFile: string;
let api: HttpApi;
let aliceKey: string;
const events: any[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fa-http-'));
  keyFile = join(dir, 'api-keys.json');
  aliceKey = createApiKey(keyFile, 'fa-alice', 'test').apiKey;
  const keys = new KeyStore(keyFile);
  api = await startHttpApi({
    port: 0,
    maxBodyBytes: 1024,
    publicPaths: ['/health'],
    authenticate: (key) => keys.authenticate(key),
    handler: async (event): Promise<APIGatewayProxyResult> => {
      events.push(event);
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json', 'x-test': 'yes' },
        body: JSON.stringify({ seen: (event as { path: string }).path }),
      };
    },
  });
});

afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the local HTTP API', () => {
  it('listens on loopback only', () => {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses a request without a key with 401 and a wrong key with 403, before the handler runs', async () => {
    const count = events.length;
    const missing = await fetch(`${api.url}/v1/query`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const wrong = await fetch(`${api.url}/v1/query`, { method: 'POST', body: '{}', headers: { 'x-api-key': `${aliceKey}x` } });
    expect(wrong.status).toBe(403);
    expect(events.length).toBe(count);
  });

  it('serves public paths without a key', async () => {
    const response = await fetch(`${api.url}/health`);
    expect(response.status).toBe(200);
    expect(events.at(-1).requestContext.authorizer).toBeUndefined();
  });

  it('turns a request into a REST proxy event with the FA in the authorizer context and no secret in the headers', async () => {
    const response = await fetch(`${api.url}/v1/stocks/KQRV/summary?length=hook&length=medium`, {
      headers: { 'x-api-key': aliceKey, authorization: 'secret', 'x-trace': 't1' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-test')).toBe('yes');
    const event = events.at(-1);
    expect(event).toMatchObject({
      httpMethod: 'GET',
      path: '/v1/stocks/KQRV/summary',
      queryStringParameters: { length: 'hook' },
      multiValueQueryStringParameters: { length: ['hook', 'medium'] },
      body: null,
      isBase64Encoded: false,
      requestContext: {
        stage: 'local',
        authorizer: { claims: { sub: 'fa-alice' } },
        identity: { apiKeyId: expect.stringMatching(/^key_/) },
      },
    });
    expect(event.headers['x-trace']).toBe('t1');
    expect(event.headers['x-api-key']).toBeUndefined();
    expect(event.headers.authorization).toBeUndefined();
  });

  it('refuses a body over the limit with 413 without calling the handler', async () => {
    const count = events.length;
    const response = await fetch(`${api.url}/v1/query`, { method: 'POST', headers: { 'x-api-key': aliceKey }, body: 'x'.repeat(5000) });
    expect(response.status).toBe(413);
    expect(events.length).toBe(count);
  });

  it("passes an operator key's role on as membership of the Cognito operators group, and an FA key's as none", async () => {
    const { apiKey } = createApiKey(keyFile, 'ops-olga', 'operator', { role: 'operator' });
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the store re-reads at most once a second
    await fetch(`${api.url}/v1/query`, { method: 'POST', headers: { 'x-api-key': apiKey }, body: '{}' });
    expect(events.at(-1).requestContext.authorizer.claims).toEqual({ sub: 'ops-olga', 'cognito:groups': 'operators' });
    await fetch(`${api.url}/v1/query`, { method: 'POST', headers: { 'x-api-key': aliceKey }, body: '{}' });
    expect(events.at(-1).requestContext.authorizer.claims).toEqual({ sub: 'fa-alice' });
  });

  it('picks up a key created while the server runs', async () => {
    const { apiKey } = createApiKey(keyFile, 'fa-bob', 'later');
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the store re-reads at most once a second
    const response = await fetch(`${api.url}/v1/query`, { method: 'POST', headers: { 'x-api-key': apiKey }, body: '{}' });
    expect(response.status).toBe(200);
    expect(events.at(-1).requestContext.authorizer.claims.sub).toBe('fa-bob');
  });
});

describe('the local API key store', () => {
  it('keeps only hashes, in a file only its owner can read', () => {
    const text = readFileSync(keyFile, 'utf8');
    expect(text).not.toContain(aliceKey);
    expect(text).toContain(hashKey(aliceKey));
    expect(statSync(keyFile).mode & 0o077).toBe(0);
  });

  it('authenticates a key to its FA and nothing else to anyone', () => {
    const store = new KeyStore(keyFile);
    expect(store.authenticate(aliceKey)).toMatchObject({ faId: 'fa-alice' });
    expect(store.authenticate(` ${aliceKey} `)).toMatchObject({ faId: 'fa-alice' });
    expect(store.authenticate(undefined)).toBe('missing');
    expect(store.authenticate('')).toBe('missing');
    expect(store.authenticate(hashKey(aliceKey))).toBe('invalid');
  });

  it('adds pre-hashed records and rejects malformed ones', () => {
    const file = join(dir, 'more.json');
    addKeyRecords(file, [
      { keyId: 'key_0123456789ab', faId: 'fa-load-1', label: '', sha256: hashKey('k1'), createdAt: new Date().toISOString() },
    ]);
    // A record written before keys had roles is an FA's key.
    expect(new KeyStore(file).authenticate('k1')).toEqual({ faId: 'fa-load-1', keyId: 'key_0123456789ab', role: 'fa' });
    expect(() => addKeyRecords(file, [{ keyId: 'nope', faId: 'x', label: '', sha256: 'y', createdAt: '' }])).toThrow();
    expect(readKeyRecords(join(dir, 'absent.json'))).toEqual([]);
  });
});
