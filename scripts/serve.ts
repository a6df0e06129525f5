/**
 * `npm run serve -- [--port P] [--json]`: the FA query API on 127.0.0.1, on the embedded runtime
 * (dynalite shared with a running batch through the data dir). Also:
 *   --new-key FA_ID [--label TEXT]   create an API key for an FA (printed once, stored as a hash) and exit
 *   --write-openapi FILE             write the OpenAPI document generated from the zod schemas and exit
 * On first start, with no key in the store, it creates a demo key and prints it with a curl example.
 */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { z } from 'zod';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../lambdas/adapters/store/dynamo-repositories';
import { MAX_BODY_BYTES, openApiDocument } from '../lambdas/shared/api-schemas';
import { tableNamesFor } from '../lambdas/shared/tables';
import { startLocalRuntime } from '../local/runtime';
import { startHttpApi } from '../local/http-api';
import { createApiKey, KeyStore, keyStorePath, readKeyRecords } from './lib/api-keys';
import { fail, parseOptions, printJson, runMain } from './lib/cli';

const DEMO_FA_ID = 'fa-demo';

const OptionsSchema = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).default(8787),
    json: z.boolean().default(false),
    newKey: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/, 'must be an FA id such as fa-jane.doe').optional(),
    label: z.string().max(200).default(''),
    writeOpenapi: z.string().min(1).optional(),
  })
  .strict();

const program = new Command('serve')
  .description('Serve the FA query API on 127.0.0.1 (the same handler as the query Lambda)')
  .option('--port <port>', 'port on 127.0.0.1 (default 8787; 0 picks a free one)')
  .option('--json', 'when ready, print {url, port, pid} as one JSON line on stdout')
  .option('--new-key <faId>', 'create an API key for this FA, print it once, and exit')
  .option('--label <text>', 'a note stored with a new key')
  .option('--write-openapi <file>', 'write the OpenAPI document to this file and exit')
  .allowExcessArguments(false)
  .exitOverride((error) => fail(error.message.replace(/^error: /, ''), error.exitCode || 2))
  .configureOutput({ writeErr: () => {} });

function curlExamples(url: string, apiKey: string, ticker: string): string {
  return [
    `  curl -s ${url}/health`,
    `  curl -s ${url}/v1/query -H 'x-api-key: ${apiKey}' -H 'content-type: application/json' \\`,
    `       -d '{"question":"What drove ${ticker}'"'"'s most recent quarter?"}'`,
    `  curl -s '${url}/v1/stocks/${ticker}/summary?length=hook' -H 'x-api-key: ${apiKey}'`,
  ].join('\n');
}

/** One ticker that has a stored brief, for the examples (undefined when the batch has not run). */
async function aCoveredTicker(endpoint: string): Promise<string | undefined> {
  const doc = createDocumentClient({ region: process.env.AWS_REGION ?? 'us-east-1', endpoint });
  try {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableNamesFor(process.env.FA_TABLE_PREFIX ?? '').summaries,
        FilterExpression: 'sk = :latest',
        ExpressionAttributeValues: { ':latest': 'LATEST' },
        ProjectionExpression: 'ticker',
        Limit: 200,
      }),
    );
    const ticker = page.Items?.[0]?.ticker;
    return typeof ticker === 'string' ? ticker : undefined;
  } finally {
    doc.destroy();
  }
}

runMain(async () => {
  program.parse();
  const options = parseOptions(OptionsSchema, program.opts());

  if (options.writeOpenapi) {
    writeFileSync(options.writeOpenapi, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
    process.stderr.write(`wrote the OpenAPI document to ${options.writeOpenapi}\n`);
    if (options.json) printJson({ openapi: options.writeOpenapi });
    return;
  }

  const runtime = await startLocalRuntime();
  const keyFile = keyStorePath(runtime.dataDir);
  if (options.newKey) {
    const { apiKey, record } = createApiKey(keyFile, options.newKey, options.label);
    process.stderr.write(`created API key ${record.keyId} for FA ${record.faId} (stored as a sha256 hash in ${keyFile}; shown only now):\n${apiKey}\n`);
    if (options.json) printJson({ faId: record.faId, keyId: record.keyId, apiKey });
    await runtime.close();
    return;
  }

  let demoKey: string | undefined;
  if (readKeyRecords(keyFile).length === 0) {
    demoKey = createApiKey(keyFile, DEMO_FA_ID, 'demo key created by the first npm run serve').apiKey;
  }
  const keys = new KeyStore(keyFile);
  const { createQueryApiHandler } = await import('../lambdas/handlers/query-api');
  const { queryDependencies } = await import('../lambdas/shared/query-dependencies');
  const deps = await queryDependencies();
  const handler = createQueryApiHandler(async () => deps);

  let api;
  try {
    api = await startHttpApi({
      port: options.port,
      handler,
      authenticate: (key) => keys.authenticate(key),
      publicPaths: ['/health'],
      maxBodyBytes: MAX_BODY_BYTES,
      stage: process.env.FA_STAGE ?? 'local',
    });
  } catch (error) {
    await deps.close();
    await runtime.close();
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    fail(code === 'EADDRINUSE' ? `port ${options.port} on 127.0.0.1 is in use: pick another with --port` : String(error));
  }

  const ticker = await aCoveredTicker(runtime.dynamo.endpoint);
  const lines = [`FA query API listening on ${api.url} (data dir ${runtime.dataDir}, FA_LLM=${process.env.FA_LLM ?? 'local'})`];
  if (demoKey) {
    lines.push(
      '',
      `Created a demo API key for FA "${DEMO_FA_ID}" (stored only as a sha256 hash in ${keyFile}; shown once, keep it):`,
      `  ${demoKey}`,
    );
  } else {
    lines.push(`API keys: ${keys.size} in ${keyFile} (create another: npm run serve -- --new-key <fa-id>)`);
  }
  if (!ticker) lines.push('', 'No briefs are stored yet: run `npm start` (or `npm run batch -- --limit 50`) so questions have something to cite.');
  lines.push('', 'Try:', curlExamples(api.url, demoKey ?? '<your API key>', ticker ?? 'TICKER'), '', 'OpenAPI: GET /openapi.json (with your key) · Ctrl-C stops the server', '');
  process.stderr.write(`${lines.join('\n')}\n`);
  if (options.json) printJson({ url: api.url, port: api.port, pid: process.pid });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write('stopping the query API\n');
    await api.close();
    await deps.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  // Keep running until signalled.
  await new Promise<never>(() => {});
});
