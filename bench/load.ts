/**
 * `npm run load -- [--connections 500] [--duration 30] [--fas N] [--llm local|sim] [--json]`
 *
 * Starts the query API in a child process (`npm run serve` on a free loopback port) and drives it
 * from this process with autocannon: `connections` concurrent FA tools, a realistic mix of questions
 * (bench/question-mix.ts) from `fas` FAs with their own API keys. The model answers at realistic
 * Bedrock latency: by default (FA_LLM=sim) the API's real Bedrock adapters call the Bedrock simulator
 * over HTTP at real-time speed, the simulator running beside dynalite in a process of its own;
 * `--llm local` lets the local answer model wait as Bedrock would instead. Briefs come from the data
 * dir; with too few, a short batch runs first.
 *
 * Prints (last stdout line with --json): {connections, durationS, requests, errors, non2xx,
 * latencyMs {p50, p95, p99, max}, llmLatencyMs {p95}, overheadMsP95, throughputRps,
 * costPerQueryUsd {mean, p95}, answerCacheHitRate, …}. Exits 1 when a docs/DESIGN.md §9 target is missed.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { z } from 'zod';
import { createDemoSources } from '../lambdas/adapters/sources/demo/index';
import { createDocumentClient, DynamoChunkRepository, DynamoSummaryRepository } from '../lambdas/adapters/store/dynamo-repositories';
import { loadModelConfig } from '../lambdas/adapters/llm/model-config';
import { FEATURE_HASH_MODEL_ID } from '../lambdas/core/embedding/feature-hash-embedder';
import { tableNamesFor } from '../lambdas/core/contracts/tables';
import { connectOrStartDynalite } from '../local/dynalite';
import { deleteMatching } from '../local/ttl-sweeper';
import { QuestionMix } from './question-mix';
import type { MixTicker, PlannedRequest } from './question-mix';
import { addKeyRecords, hashKey } from '../local/api-keys';
import { cli, fail, printJson, runCli } from '../scripts/lib/cli';

const OptionsSchema = z
  .object({
    connections: z.coerce.number().int().min(1).max(5000).default(500),
    duration: z.coerce.number().min(1).max(3600).default(30),
    fas: z.coerce.number().int().min(1).max(20_000).optional(),
    llm: z.enum(['local', 'sim']).default('sim'),
    seed: z.coerce.number().int().nonnegative().default(1),
    workers: z.coerce.number().int().min(1).max(16).default(1),
    warmup: z.coerce.number().min(0).max(60).default(5),
    json: z.boolean().default(false),
  })
  .strict();

const program = cli('load', 'Load-test the FA query API: a child API process driven by autocannon on loopback')
  .option('--connections <n>', 'concurrent connections (default 500)')
  .option('--duration <s>', 'seconds of load (default 30)')
  .option('--fas <n>', 'distinct FAs with their own API keys (default: 2 × connections)')
  .option(
    '--llm <mode>',
    'sim: the Bedrock simulator over HTTP at real-time speed (default); local: the local answer model waiting as Bedrock would',
  )
  .option('--seed <n>', 'seed of the question mix')
  .option('--workers <n>', 'API worker processes sharing the port (default 1)')
  .option('--warmup <s>', 'seconds at the start whose latencies are not counted: all connections open at once (default 5)');

/** docs/DESIGN.md §9 targets for 500 concurrent FAs. */
const TARGETS = { errors: 0, latencyP95Ms: 10_000, overheadP95Ms: 100, costPerQueryMeanUsd: 0.02 };

const say = (line: string) => process.stderr.write(`${line}\n`);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const tsx = resolve('node_modules/.bin/tsx');

function forward(child: ChildProcess, prefix: string): void {
  if (!child.stderr) return;
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (line.trim() !== '' && !line.startsWith('npm warn')) say(`${prefix} ${line}`);
  });
}

function jsonLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** Start a child that prints one JSON line when ready, and wait for that line. */
async function startChild<T>(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: z.ZodType<T>,
): Promise<{ child: ChildProcess; info: T }> {
  const child = spawn(tsx, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  forward(child, `[${name}]`);
  const info = await new Promise<T>((resolveInfo, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 90 s`)), 90_000);
    child.once('exit', (code) => reject(new Error(`${name} exited with code ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const parsed = ready.safeParse(jsonLine(line));
      if (parsed.success) {
        clearTimeout(timer);
        resolveInfo(parsed.data);
      }
    });
  });
  return { child, info };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  await exited;
  clearTimeout(timer);
}

/** Covered tickers: stocks of the universe with a stored brief (read through the shared dynalite). */
/** The stocks with a brief (up to `limit`), and the embedding model their stored chunks were embedded with. */
async function coveredTickers(dataDir: string, limit: number): Promise<{ tickers: MixTicker[]; chunkModel?: string }> {
  const dynamo = await connectOrStartDynalite(dataDir);
  const doc = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
  try {
    const tables = tableNamesFor(process.env.FA_TABLE_PREFIX ?? '');
    const summaries = new DynamoSummaryRepository(doc, tables.summaries);
    const universe = (
      await createDemoSources({ seed: process.env.FA_DEMO_SEED ? Number(process.env.FA_DEMO_SEED) : undefined }).universe.list()
    ).slice(0, limit);
    const covered: MixTicker[] = [];
    for (let i = 0; i < universe.length; i += 25) {
      const batch = universe.slice(i, i + 25);
      const prints = await Promise.all(batch.map((c) => summaries.getLatestFingerprint(c.ticker)));
      batch.forEach((c, j) => prints[j] && covered.push({ ticker: c.ticker, name: c.name }));
    }
    const chunks = covered[0] ? await new DynamoChunkRepository(doc, tables.chunks).chunksOf(covered[0].ticker) : [];
    return { tickers: covered, ...(chunks[0] ? { chunkModel: chunks[0].modelId } : {}) };
  } finally {
    doc.destroy();
    await dynamo.close();
  }
}

async function runBatch(env: NodeJS.ProcessEnv, limit: number): Promise<void> {
  say(`load: fewer than 20 stocks have briefs; running the batch over the first ${limit} stocks first`);
  const child = spawn(tsx, ['scripts/batch.ts', '--limit', String(limit)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  forward(child, '[batch]');
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`the batch exited with code ${code}`);
}

/** CPU time processes have used so far, in ms (Linux /proc; undefined elsewhere). */
function cpuMsOf(pids: number[] | number | undefined): number | undefined {
  if (Array.isArray(pids)) {
    const each = pids.map((pid) => cpuMsOf(pid));
    return each.every((ms) => ms !== undefined) ? each.reduce((a, b) => a! + b!, 0) : undefined;
  }
  const pid = pids;
  const file = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(file)) return undefined;
  // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(file, 'utf8')
    .slice(readFileSync(file, 'utf8').lastIndexOf(')') + 2)
    .split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks * 10 : undefined; // USER_HZ is 100 on Linux
}

interface Sample {
  status: number;
  /** When the response arrived, ms since the run started. */
  atMs: number;
  /** The handler's own time for the request (Server-Timing), NaN when not reported. */
  serverMs: number;
  /** Of the handler's time, waiting on DynamoDB (Server-Timing), NaN when not reported. */
  storeMs: number;
  kind: PlannedRequest['kind'];
  latencyMs: number;
  llmMs: number;
  costUsd?: number;
  cacheHit?: boolean;
}

runCli(program, OptionsSchema, async (options) => {
  const fas = options.fas ?? options.connections * 2;
  const dataDir = resolve(process.env.FA_DATA_DIR || '.fa-data');
  mkdirSync(dataDir, { recursive: true });

  // Keys for the load test's FAs, hashed into a key store of their own.
  const scratch = mkdtempSync(join(tmpdir(), 'fa-load-'));
  const keyFile = join(scratch, 'api-keys.json');
  const keys = Array.from({ length: fas }, (_, i) => `faak_load_${i}_${randomBytes(12).toString('base64url')}`);
  addKeyRecords(
    keyFile,
    keys.map((key, i) => ({
      keyId: `key_${hashKey(key).slice(0, 12)}`,
      faId: `fa-load-${i}`,
      label: 'npm run load',
      sha256: hashKey(key),
      createdAt: new Date().toISOString(),
    })),
  );

  const variant = `load-${Date.now().toString(36)}`;
  const runStartedAt = new Date().toISOString();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FA_DATA_DIR: dataDir,
    FA_API_KEYS_FILE: keyFile,
    FA_LLM: options.llm,
    // A prompt variant of its own: the run starts with a cold answer cache (the key includes the
    // variant), so its hit rate comes from repeats within the run, not from earlier runs.
    FA_PROMPT_VARIANT: variant,
    ...(options.llm === 'local' ? { FA_LOCAL_LLM_LATENCY: 'realistic' } : { FA_SIM_SPEEDUP: '1', FA_SIM_LATENCY: 'realistic' }),
  };
  // DynamoDB and Bedrock are services of their own in AWS: locally dynalite and the simulator get a
  // process of their own too, so the API process spends its CPU on the API (unless a running serve
  // or batch already owns them).
  const services = await startChild(
    'services',
    ['bench/local-services-holder.ts'],
    env,
    z.object({ endpoint: z.string(), owner: z.boolean(), pid: z.number(), bedrockEndpoint: z.string().url().optional() }),
  );
  say(
    `load: dynalite at ${services.info.endpoint}${services.info.bedrockEndpoint ? `, Bedrock simulator at ${services.info.bedrockEndpoint}` : ''}${services.info.owner ? ' (own process)' : ' (owned by a running process)'}`,
  );
  if (services.info.bedrockEndpoint) env.FA_BEDROCK_ENDPOINT = services.info.bedrockEndpoint;
  say(
    `load: starting the query API (FA_LLM=${options.llm}${options.llm === 'local' ? ', realistic Bedrock latency' : ', simulator at real-time speed'}) on loopback`,
  );
  // A larger young generation: the API allocates briskly (prompts, answers, SDK requests) and most of
  // it dies young, so fewer, cheaper scavenges (the same NODE_OPTIONS suits a Lambda under load).
  const apiEnv = { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --max-semi-space-size=64`.trim() };
  const api = await startChild(
    'api',
    ['scripts/serve.ts', '--port', '0', '--json', '--workers', String(options.workers)],
    apiEnv,
    z.object({ url: z.string().url(), pid: z.number(), pids: z.array(z.number()) }),
  );
  const { child } = api;
  const { url } = api.info;
  try {
    let covered = await coveredTickers(dataDir, 150);
    if (covered.tickers.length < 20) {
      await runBatch(env, 60);
      covered = await coveredTickers(dataDir, 150);
    }
    const { tickers } = covered;
    if (tickers.length === 0) fail('no stock has a brief to ask about: run `npm start` first');
    // Questions are embedded with the mode's model; chunks stored by a batch in another mode carry
    // another model's vectors, which retrieval cannot compare (it then ranks by document order).
    const questionModel = options.llm === 'local' ? FEATURE_HASH_MODEL_ID : loadModelConfig('config/models.yaml').embeddings.modelId;
    const retrieval = { chunkModel: covered.chunkModel ?? null, questionModel, comparable: covered.chunkModel === questionModel };
    if (!retrieval.comparable) {
      say(
        `load: note: the briefs' chunks were embedded with ${retrieval.chunkModel}, questions under FA_LLM=${options.llm} with ${questionModel}; retrieval ranks chunks by document order (run the batch with FA_LLM=${options.llm} first for comparable vectors)`,
      );
    }
    say(`load: ${tickers.length} covered stocks to ask about, ${fas} FAs, ${options.connections} connections for ${options.duration} s`);

    const mix = new QuestionMix(tickers, fas, options.seed);
    // Warm up outside the measurement, as a warm Lambda fleet would be: JIT, and each covered
    // stock's brief and chunks in the API's cache (one question per stock, 32 at a time).
    say('load: warming up (one question per covered stock)');
    const warm = async (ticker: MixTicker, i: number) => {
      const response = await fetch(`${url}/v1/query`, {
        method: 'POST',
        body: JSON.stringify({ question: `Warm-up: how has ${ticker.ticker} revenue developed?`, depth: 'simple' }),
        headers: { 'content-type': 'application/json', 'x-api-key': keys[i % keys.length]! },
      });
      await response.arrayBuffer();
    };
    for (let i = 0; i < tickers.length; i += 32) await Promise.all(tickers.slice(i, i + 32).map((t, j) => warm(t, i + j)));

    const samples: Sample[] = [];
    const inFlight = new WeakMap<object, PlannedRequest>();
    let last: Omit<Sample, 'latencyMs' | 'atMs'> | undefined;
    const loadBefore = loadavg()[0]!;
    const started = Date.now();
    const apiPids = [...new Set([api.info.pid, ...api.info.pids])];
    const cpuBefore = {
      api: cpuMsOf(apiPids),
      localServices: services.info.owner ? cpuMsOf(services.info.pid) : undefined,
      load: process.cpuUsage(),
    };
    const result = await autocannon({
      url,
      connections: options.connections,
      duration: options.duration,
      pipelining: 1,
      // Long enough that a slow answer is measured as slow, not dropped as a timeout.
      timeout: 60,
      requests: [
        {
          setupRequest: (request, context) => {
            const planned = mix.next();
            inFlight.set(context, planned);
            return {
              ...request,
              method: planned.method,
              path: planned.path,
              headers: { 'content-type': 'application/json', 'x-api-key': keys[planned.fa]! },
              body: planned.body ?? '',
            };
          },
          onResponse: (status, _body, context, headers) => {
            const planned = inFlight.get(context);
            if (planned?.conversation !== undefined) mix.completed(planned.conversation, status === 200);
            const header = (name: string) => {
              const value = headers?.[name];
              return typeof value === 'string' ? value : undefined;
            };
            last = {
              status,
              kind: planned?.kind ?? 'simple',
              llmMs: Number(header('x-fa-llm-ms') ?? 0),
              serverMs: Number(/total;dur=(\d+)/.exec(header('server-timing') ?? '')?.[1] ?? Number.NaN),
              storeMs: Number(/store;dur=(\d+)/.exec(header('server-timing') ?? '')?.[1] ?? Number.NaN),
              ...(header('x-fa-cost-usd') !== undefined ? { costUsd: Number(header('x-fa-cost-usd')) } : {}),
              ...(header('x-fa-answer-cache') !== undefined ? { cacheHit: header('x-fa-answer-cache') === 'hit' } : {}),
            };
          },
        },
      ],
      // autocannon emits 'response' right after onResponse for the same request, on the same client.
      setupClient: (client) => {
        client.on('response', (_status: number, _bytes: number, responseTime: number) => {
          if (last) samples.push({ ...last, latencyMs: responseTime, atMs: Date.now() - started });
          last = undefined;
        });
      },
    });
    const elapsedS = (Date.now() - started) / 1000;
    const cpuAfter = {
      api: cpuMsOf(apiPids),
      localServices: services.info.owner ? cpuMsOf(services.info.pid) : undefined,
      load: process.cpuUsage(cpuBefore.load),
    };
    const perRequest = (before?: number, after?: number) =>
      before !== undefined && after !== undefined
        ? Math.round(((after - before) / Math.max(1, result.requests.total)) * 100) / 100
        : undefined;

    // All connections open at the same instant, which no FA population does: the first seconds are
    // a synchronised burst. Latency percentiles count the steady state after `warmup` seconds
    // (errors and status codes count the whole run); the whole run is reported beside them.
    const allLatencies = samples.map((s) => s.latencyMs).sort((a, b) => a - b);
    const steady = samples.filter((s) => s.atMs - s.latencyMs >= options.warmup * 1000);
    const measured = steady.length > 0 ? steady : samples;
    const latencies = measured.map((s) => s.latencyMs).sort((a, b) => a - b);
    const llm = measured
      .filter((s) => s.llmMs > 0)
      .map((s) => s.llmMs)
      .sort((a, b) => a - b);
    const overhead = measured.map((s) => Math.max(0, s.latencyMs - s.llmMs)).sort((a, b) => a - b);
    const allOverhead = samples.map((s) => Math.max(0, s.latencyMs - s.llmMs)).sort((a, b) => a - b);
    const handler = measured
      .filter((s) => Number.isFinite(s.serverMs))
      .map((s) => s.serverMs)
      .sort((a, b) => a - b);
    const store = measured
      .filter((s) => Number.isFinite(s.storeMs))
      .map((s) => s.storeMs)
      .sort((a, b) => a - b);
    const handlerOverhead = measured
      .filter((s) => Number.isFinite(s.serverMs))
      .map((s) => Math.max(0, s.serverMs - s.llmMs))
      .sort((a, b) => a - b);
    const queries = samples.filter((s) => s.kind !== 'summary' && s.status === 200 && s.costUsd !== undefined);
    const costs = queries.map((s) => s.costUsd!).sort((a, b) => a - b);
    const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
    const statusCounts: Record<string, number> = {};
    for (const s of samples) statusCounts[s.status] = (statusCounts[s.status] ?? 0) + 1;
    const report = {
      connections: options.connections,
      durationS: options.duration,
      requests: result.requests.total,
      errors: result.errors,
      non2xx: result.non2xx,
      latencyMs: {
        p50: round(percentile(latencies, 50)),
        p95: round(percentile(latencies, 95)),
        p99: round(percentile(latencies, 99)),
        max: round(latencies.at(-1) ?? 0),
      },
      llmLatencyMs: { p50: round(percentile(llm, 50)), p95: round(percentile(llm, 95)) },
      overheadMsP95: round(percentile(overhead, 95)),
      overheadMsP50: round(percentile(overhead, 50)),
      // Inside the handler only (Server-Timing): what the same code costs a Lambda that serves one
      // request at a time, without this one process's queue of hundreds of concurrent requests.
      warmupS: options.warmup,
      wholeRun: {
        latencyMs: {
          p50: round(percentile(allLatencies, 50)),
          p95: round(percentile(allLatencies, 95)),
          p99: round(percentile(allLatencies, 99)),
        },
        overheadMsP95: round(percentile(allOverhead, 95)),
      },
      handlerMs: { p50: round(percentile(handler, 50)), p95: round(percentile(handler, 95)) },
      storeMs: { p50: round(percentile(store, 50)), p95: round(percentile(store, 95)) },
      handlerOverheadMs: { p50: round(percentile(handlerOverhead, 50)), p95: round(percentile(handlerOverhead, 95)) },
      throughputRps: round(result.requests.total / elapsedS),
      costPerQueryUsd: {
        mean: round(costs.reduce((a, b) => a + b, 0) / Math.max(1, costs.length), 6),
        p95: round(percentile(costs, 95), 6),
      },
      answerCacheHitRate: round(queries.filter((s) => s.cacheHit).length / Math.max(1, queries.length), 3),
      timeouts: result.timeouts,
      // CPU per request of each process during the run: where the machine's time went.
      cpuMsPerRequest: {
        api: perRequest(cpuBefore.api, cpuAfter.api),
        // The holder process: dynalite and, under FA_LLM=sim, the Bedrock simulator.
        localServices: perRequest(cpuBefore.localServices, cpuAfter.localServices),
        loadGenerator: Math.round(((cpuAfter.load.user + cpuAfter.load.system) / 1000 / Math.max(1, result.requests.total)) * 100) / 100,
      },
      statusCounts,
      mix: { ...mix.counts },
      fas,
      apiWorkers: options.workers,
      // The machine's 1-minute load average before and after: other work on the box shows here.
      machineLoadAverage: { before: round(loadBefore, 2), after: round(loadavg()[0]!, 2), cores: availableParallelism() },
      coveredStocks: tickers.length,
      retrieval,
      llm:
        options.llm === 'local'
          ? 'local answer model, Bedrock-like latency (FA_LOCAL_LLM_LATENCY=realistic)'
          : 'Bedrock simulator over HTTP at real-time speed (FA_LLM=sim)',
      // The simulator counts the tokens of the prompts actually sent; the local model estimates them.
      costEstimated: options.llm === 'local',
      targets: TARGETS,
      passed: false,
    };
    report.passed =
      report.errors === TARGETS.errors &&
      report.non2xx === 0 &&
      report.latencyMs.p95 < TARGETS.latencyP95Ms &&
      report.overheadMsP95 < TARGETS.overheadP95Ms &&
      report.costPerQueryUsd.mean <= TARGETS.costPerQueryMeanUsd;
    say(
      `load: ${report.requests} requests in ${report.durationS} s (${report.throughputRps}/s), ${report.errors} errors, ${report.non2xx} non-2xx; ` +
        `latency p50 ${report.latencyMs.p50} ms, p95 ${report.latencyMs.p95} ms, p99 ${report.latencyMs.p99} ms; model p95 ${report.llmLatencyMs.p95} ms; ` +
        `our overhead p95 ${report.overheadMsP95} ms; cost per query mean $${report.costPerQueryUsd.mean} (p95 $${report.costPerQueryUsd.p95}${report.costEstimated ? ', estimated' : ''}); ` +
        `answer-cache hit rate ${(report.answerCacheHitRate * 100).toFixed(1)} % — ${report.passed ? 'all targets met' : 'TARGETS MISSED'}`,
    );
    if (options.json) printJson(report);
    if (!report.passed) process.exitCode = 1;
  } finally {
    await stopChild(child);
    // Leave the store as it was: the run's sessions and cached answers go (dynalite never expires them).
    try {
      const names = tableNamesFor(process.env.FA_TABLE_PREFIX ?? '');
      const sessions = await deleteMatching(services.info.endpoint, names.sessions, {
        expression: 'begins_with(#pk, :fa)',
        values: { ':fa': 'FA#fa-load-' },
      });
      const answers = await deleteMatching(services.info.endpoint, names.answerCache, {
        // With an A/B test live the answers carry the FA's arm, not the run's variant: cached since the start.
        expression: 'contains(#answer, :variant) OR #cachedAt >= :since',
        names: { '#answer': 'answer', '#cachedAt': 'cachedAt' },
        values: { ':variant': `"promptVariant":"${variant}"`, ':since': runStartedAt },
      });
      say(`load: removed the run's ${sessions} session turns and ${answers} cached answers`);
    } catch (error) {
      say(`load: could not remove the run's sessions and cached answers: ${error instanceof Error ? error.message : String(error)}`);
    }
    await stopChild(services.child);
    rmSync(scratch, { recursive: true, force: true });
  }
});
