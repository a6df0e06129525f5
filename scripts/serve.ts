/**
 * `npm run serve -- [--port P] [--json]`: the FA query API on 127.0.0.1, on the embedded runtime
 * (dynalite shared with a running batch through the data dir). Also:
 *   --new-key FA_ID [--label TEXT] [--role fa|operator]   create an API key (printed once, stored as a hash) and exit
 *   --write-openapi FILE             write the OpenAPI document generated from the zod schemas and exit
 *   --sources … --universe FILE        resolve tickers from the same universe as the batch (see npm run batch)
 * On first start, with no key in the store, it creates a demo key and prints it with a curl example.
 */
import cluster from 'node:cluster';
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../lambdas/adapters/store/dynamo-repositories';
import { openApiDocument } from '../lambdas/core/contracts/api';
import { tableNamesFor } from '../lambdas/core/contracts/tables';
import { sweepExpired } from '../local/ttl-sweeper';
import { startLocalRuntime } from '../local/runtime';
import { runWorker, serveHere, startWorkers } from '../local/query-server';
import { ensureWebBuilt } from './lib/web-build';
import { ApiKeyRoleSchema, createApiKey, KeyStore, keyStorePath, readKeyRecords } from '../local/api-keys';
import { cli, printJson, runCli, runMain } from './lib/cli';
import { applySourceOptions, SourceOptionsShape, withSourceOptions } from './lib/source-options';

const DEMO_FA_ID = 'fa-demo';

const OptionsSchema = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).default(8787),
    json: z.boolean().default(false),
    newKey: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/, 'must be an FA id such as fa-jane.doe')
      .optional(),
    label: z.string().max(200).default(''),
    role: ApiKeyRoleSchema.default('fa'),
    writeOpenapi: z.string().min(1).optional(),
    workers: z.coerce.number().int().min(1).max(64).default(1),
    ...SourceOptionsShape,
  })
  .strict();

const program = withSourceOptions(
  cli('serve', 'Serve the FA query API on 127.0.0.1 (the same handler as the query Lambda)')
    .option('--port <port>', 'port on 127.0.0.1 (default 8787; 0 picks a free one)')
    .option('--json', 'when ready, print {url, port, pid} as one JSON line on stdout')
    .option('--new-key <faId>', 'create an API key for this FA, print it once, and exit')
    .option('--label <text>', 'a note stored with a new key')
    .option('--role <role>', "a new key's role: fa (default) or operator (also reads the operator routes)")
    .option('--write-openapi <file>', 'write the OpenAPI document to this file and exit')
    .option('--workers <n>', 'serve from N processes sharing the port (default 1)'),
);

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

// One process serves every FA here (Lambda serves one request per instance) against a
// single-threaded dynalite, which pays far more per call than per item: few batch calls of each
// kind at a time, the rest grouped behind them (lambdas/wiring/query.ts).
process.env.FA_STORE_MAX_IN_FLIGHT ??= '1';

if (cluster.isWorker) runMain(runWorker);
else
  runCli(program, OptionsSchema, async ({ sources, universe, feeds, edgarUrl, ...options }) => {
    // Before the runtime starts: workers inherit the environment, and the wiring reads it once.
    applySourceOptions({ sources, universe, feeds, edgarUrl });
    if (options.writeOpenapi) {
      writeFileSync(options.writeOpenapi, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
      process.stderr.write(`wrote the OpenAPI document to ${options.writeOpenapi}\n`);
      if (options.json) printJson({ openapi: options.writeOpenapi });
      return;
    }

    const runtime = await startLocalRuntime('query');
    const keyFile = keyStorePath(runtime.dataDir);
    if (options.newKey) {
      const { apiKey, record } = createApiKey(keyFile, options.newKey, options.label, { role: options.role });
      process.stderr.write(
        `created ${record.role} API key ${record.keyId} for ${record.faId} (stored as a sha256 hash in ${keyFile}; shown only now):\n${apiKey}\n`,
      );
      if (options.json) printJson({ faId: record.faId, keyId: record.keyId, role: record.role, apiKey });
      await runtime.close();
      return;
    }

    let demoKey: string | undefined;
    if (readKeyRecords(keyFile).length === 0) {
      demoKey = createApiKey(keyFile, DEMO_FA_ID, 'demo key created by the first npm run serve').apiKey;
    }
    const keys = new KeyStore(keyFile);
    ensureWebBuilt();

    // One process serves all FAs by default; --workers N runs N processes on the same port, like
    // Lambda runs many instances, so a busy machine can use more than one core.
    const served =
      options.workers > 1 ? await startWorkers(options.workers, options.port) : await serveHere(options.port, keys, { keyFile });

    const ticker = await aCoveredTicker(runtime.dynamo.endpoint);
    const lines = [
      `FA query API listening on ${served.url} (data dir ${runtime.dataDir}, FA_LLM=${process.env.FA_LLM ?? 'local'}${options.workers > 1 ? `, ${options.workers} worker processes` : ''})`,
    ];
    if (demoKey) {
      lines.push(
        '',
        `Created a demo API key for FA "${DEMO_FA_ID}" (stored only as a sha256 hash in ${keyFile}; shown once, keep it):`,
        `  ${demoKey}`,
      );
    } else {
      lines.push(`API keys: ${keys.size} in ${keyFile} (create another: npm run serve -- --new-key <fa-id>)`);
    }
    if (!ticker)
      lines.push('', 'No briefs are stored yet: run `npm start` (or `npm run batch -- --limit 50`) so questions have something to cite.');
    lines.push(
      '',
      'Try:',
      curlExamples(served.url, demoKey ?? '<your API key>', ticker ?? 'TICKER'),
      '',
      `FA console: ${served.url}/ (dev sign-in: pick an FA id, or the operator role for the dashboard)`,
      'OpenAPI: GET /openapi.json (with your key) · Ctrl-C stops the server',
      '',
    );
    process.stderr.write(`${lines.join('\n')}\n`);
    if (options.json) printJson({ url: served.url, port: served.port, pid: process.pid, pids: served.pids });

    // Expired sessions and cached answers go every 10 minutes, as DynamoDB TTL would delete them.
    const sweep = async () => {
      try {
        const gone = await sweepExpired(
          runtime.dynamo.endpoint,
          Math.floor(Date.now() / 1000),
          tableNamesFor(process.env.FA_TABLE_PREFIX ?? ''),
        );
        if (gone > 0) process.stderr.write(`removed ${gone} expired sessions turns and cached answers\n`);
      } catch (error) {
        process.stderr.write(`could not sweep expired items: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    };
    void sweep();
    const sweeper = setInterval(() => void sweep(), 10 * 60_000);
    sweeper.unref();

    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      clearInterval(sweeper);
      process.stderr.write('stopping the query API\n');
      await served.close();
      await runtime.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
    // Keep running until signalled.
    await new Promise<never>(() => {});
  });
