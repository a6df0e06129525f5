/**
 * `npm run serve -- [--port P] [--json]`: the FA query API on 127.0.0.1, on the embedded runtime
 * (dynalite shared with a running batch through the data dir). Also:
 *   --new-key FA_ID [--label TEXT]   create an API key for an FA (printed once, stored as a hash) and exit
 *   --write-openapi FILE             write the OpenAPI document generated from the zod schemas and exit
 * On first start, with no key in the store, it creates a demo key and prints it with a curl example.
 */
import cluster from 'node:cluster';
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { z } from 'zod';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../lambdas/adapters/store/dynamo-repositories';
import { MAX_BODY_BYTES, openApiDocument } from '../lambdas/core/contracts/api';
import { tableNamesFor } from '../lambdas/core/contracts/tables';
import { sweepExpired } from '../local/ttl-sweeper';
import { startLocalRuntime } from '../local/runtime';
import { startHttpApi } from '../local/http-api';
import { createApiKey, KeyStore, keyStorePath, readKeyRecords } from '../local/api-keys';
import { fail, parseOptions, printJson, runMain } from './lib/cli';

const DEMO_FA_ID = 'fa-demo';

const OptionsSchema = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).default(8787),
    json: z.boolean().default(false),
    newKey: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/, 'must be an FA id such as fa-jane.doe').optional(),
    label: z.string().max(200).default(''),
    writeOpenapi: z.string().min(1).optional(),
    workers: z.coerce.number().int().min(1).max(64).default(1),
  })
  .strict();

const program = new Command('serve')
  .description('Serve the FA query API on 127.0.0.1 (the same handler as the query Lambda)')
  .option('--port <port>', 'port on 127.0.0.1 (default 8787; 0 picks a free one)')
  .option('--json', 'when ready, print {url, port, pid} as one JSON line on stdout')
  .option('--new-key <faId>', 'create an API key for this FA, print it once, and exit')
  .option('--label <text>', 'a note stored with a new key')
  .option('--write-openapi <file>', 'write the OpenAPI document to this file and exit')
  .option('--workers <n>', 'serve from N processes sharing the port (default 1)')
  .allowExcessArguments(false)
  .exitOverride((error) => fail(error.message.replace(/^error: /, ''), error.exitCode || 2))
  .configureOutput({ writeErr: () => {} });

/** Start the V8 profiler in this process; `stop()` returns the profile (a .cpuprofile document). */
async function startCpuProfile(): Promise<{ stop(): Promise<unknown> }> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}

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

interface Served {
  url: string;
  port: number;
  /** Processes serving requests (this one, or the workers). */
  pids: number[];
  close(): Promise<void>;
}

/** Serve in this process (and profile it when FA_CPU_PROFILE names a file). */
async function serveHere(port: number, keys: KeyStore): Promise<Served> {
  const { createQueryApiHandler } = await import('../lambdas/handlers/query-api');
  const { queryDependencies } = await import('../lambdas/wiring/query');
  const deps = await queryDependencies();
  let api;
  try {
    api = await startHttpApi({
      port,
      handler: createQueryApiHandler(async () => deps),
      authenticate: (key) => keys.authenticate(key),
      publicPaths: ['/health'],
      maxBodyBytes: MAX_BODY_BYTES,
      stage: process.env.FA_STAGE ?? 'local',
    });
  } catch (error) {
    await deps.close();
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    throw new Error(code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 is in use: pick another with --port` : String(error));
  }
  const profileFile = process.env.FA_CPU_PROFILE ? `${process.env.FA_CPU_PROFILE}${cluster.isWorker ? `.${cluster.worker!.id}` : ''}` : undefined;
  const profile = profileFile ? await startCpuProfile() : undefined;
  return {
    url: api.url,
    port: api.port,
    pids: [process.pid],
    close: async () => {
      if (profile && profileFile) {
        writeFileSync(profileFile, JSON.stringify(await profile.stop()));
        process.stderr.write(`wrote a CPU profile to ${profileFile}\n`);
      }
      await api.close();
      await deps.close();
    },
  };
}

/** Fork `count` workers that serve on one shared port (the primary keeps the database). */
async function startWorkers(count: number, port: number): Promise<Served> {
  cluster.setupPrimary({ args: process.argv.slice(2) });
  const workers = Array.from({ length: count }, () => cluster.fork({ FA_SERVE_WORKER_PORT: String(port) }));
  const ports = await Promise.all(
    workers.map(
      (worker) =>
        new Promise<number>((resolvePort, reject) => {
          worker.once('exit', (code) => reject(new Error(`worker ${worker.id} exited with code ${code} before it was ready`)));
          worker.once('listening', (address) => resolvePort(address.port));
        }),
    ),
  );
  return {
    url: `http://127.0.0.1:${ports[0]}`,
    port: ports[0]!,
    pids: workers.flatMap((w) => (w.process.pid === undefined ? [] : [w.process.pid])),
    close: async () => {
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((done) => {
              if (worker.isDead()) return done();
              worker.once('exit', () => done());
              worker.process.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

/** A worker of --workers: serve on the shared port until told to stop. */
async function runWorker(): Promise<void> {
  const runtime = await startLocalRuntime('query');
  const served = await serveHere(Number(process.env.FA_SERVE_WORKER_PORT ?? 0), new KeyStore(keyStorePath(runtime.dataDir)));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await served.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => {}); // the primary decides when workers stop
  await new Promise<never>(() => {});
}

// One process serves every FA here (Lambda serves one request per instance) against a
// single-threaded dynalite, which pays far more per call than per item: few batch calls of each
// kind at a time, the rest grouped behind them (query-dependencies.ts).
process.env.FA_STORE_MAX_IN_FLIGHT ??= '1';

runMain(async () => {
  if (cluster.isWorker) return runWorker();
  program.parse();
  const options = parseOptions(OptionsSchema, program.opts());

  if (options.writeOpenapi) {
    writeFileSync(options.writeOpenapi, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
    process.stderr.write(`wrote the OpenAPI document to ${options.writeOpenapi}\n`);
    if (options.json) printJson({ openapi: options.writeOpenapi });
    return;
  }

  const runtime = await startLocalRuntime('query');
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

  // One process serves all FAs by default; --workers N runs N processes on the same port, like
  // Lambda runs many instances, so a busy machine can use more than one core.
  const served = options.workers > 1 ? await startWorkers(options.workers, options.port) : await serveHere(options.port, keys);

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
  if (!ticker) lines.push('', 'No briefs are stored yet: run `npm start` (or `npm run batch -- --limit 50`) so questions have something to cite.');
  lines.push('', 'Try:', curlExamples(served.url, demoKey ?? '<your API key>', ticker ?? 'TICKER'), '', 'OpenAPI: GET /openapi.json (with your key) · Ctrl-C stops the server', '');
  process.stderr.write(`${lines.join('\n')}\n`);
  if (options.json) printJson({ url: served.url, port: served.port, pid: process.pid, pids: served.pids });

  // Expired sessions and cached answers go every 10 minutes, as DynamoDB TTL would delete them.
  const sweep = async () => {
    try {
      const gone = await sweepExpired(runtime.dynamo.endpoint, Math.floor(Date.now() / 1000), tableNamesFor(process.env.FA_TABLE_PREFIX ?? ''));
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
