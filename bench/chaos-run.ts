/**
 * A chaos run (`npm run chaos`, docs/CHAOS.md): the batch over the demo universe through the Bedrock
 * simulator and, while it runs, concurrent FA connections against the query API, with every fault
 * at once — Bedrock throttling, model timeouts (hung connections) and malformed model output (the
 * simulator's own faults, FA_SIM_*), DynamoDB throttling and 5xx, a black-holed embedding cache
 * window and vendor outages (the fault plan, FA_FAULTS, applied at the composition root), and a
 * `kill -9` of the batch process at a seeded point followed by a restart of the same run. Then the
 * stores are checked for real (bench/chaos-checks.ts).
 *
 * The CLI is bench/chaos.ts. Processes, as in the load test: dynalite and the simulator in one of their own
 * (bench/local-services-holder.ts), the query API in another (`scripts/serve.ts`), the batch in a
 * third (bench/chaos-batch.ts), autocannon and the checks in this one. Everything on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, DynamoSummaryRepository } from '../lambdas/adapters/store/dynamo-repositories';
import { createDemoSources } from '../lambdas/adapters/sources/demo/index';
import { FaultPlan } from '../lambdas/adapters/faults/fault-plan';
import type { FaultPlanInput } from '../lambdas/adapters/faults/fault-plan';
import { tableNamesFor } from '../lambdas/core/contracts/tables';
import { mergeSnapshots } from '../lambdas/core/guardrails/output-guardrails';
import type { FactSnapshot } from '../lambdas/core/model/index';
import { addKeyRecords, hashKey } from '../local/api-keys';
import { QuestionMix } from './question-mix';
import type { MixTicker, PlannedRequest } from './question-mix';
import { checkStores, readStores, unverifiedFigures } from './chaos-checks';
import type { BatchCheck, ServedAnswer } from './chaos-checks';

/** The fault rates of a chaos run (docs/CHAOS.md). */
export const CHAOS_RATES = {
  bedrockThrottle: 0.1,
  modelTimeout: 0.01,
  malformedOutput: 0.02,
  dynamoThrottle: 0.02,
  dynamo5xx: 0.01,
  vendorOutage: 0.03,
  /** How long the embedding cache is black-holed, and from how far into the batch (seeded in the range). */
  cacheBlackholeMs: 20_000,
  cacheBlackholeStartMs: [10_000, 30_000] as const,
  /** Where in the batch (share of its stocks done) the batch is killed, seeded in the range. */
  killAt: [0.2, 0.6] as const,
} as const;

/**
 * The simulator runs 50× faster than Bedrock, so the batch's model deadlines are scaled down with
 * it (a 90 s writer deadline becomes 10 s): a hung call then costs the batch what a hung Bedrock
 * call costs a real one, in proportion, instead of stalling a 3-minute run for 90 s. The query
 * path keeps its real deadlines (8–9 s): they are what an FA waits.
 */
const BATCH_MODEL_DEADLINE_MS = 10_000;

export interface ChaosOptions {
  stocks: number;
  queries: number;
  connections: number;
  seed: number;
  concurrency: number;
  /** Keep the scratch data dir (its path is printed) instead of removing it. */
  keep: boolean;
}

export interface ChaosReport {
  batch: BatchCheck;
  queries: { requests: number; errors5xx: number; unexpected5xx: number; p95Ms: number };
  faults: Record<string, number>;
  seed: number;
}

export interface ChaosResult {
  report: ChaosReport;
  /** Everything a check found wrong, one line each (empty when the run passed). */
  problems: string[];
  wallMs: number;
}

const say = (line: string) => process.stderr.write(`chaos: ${line}\n`);
/**
 * Children run as `node --import tsx <file>`: one process each, so a signal reaches the process
 * doing the work (node_modules/.bin/tsx would put a wrapper process between, which a kill -9 of
 * its pid leaves the real batch running behind).
 */
const node = process.execPath;
const withTsx = (args: string[]) => ['--import', 'tsx', ...args];

function forward(child: ChildProcess, prefix: string, quiet: boolean): void {
  if (!child.stderr) return;
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (!quiet && line.trim() !== '' && !line.startsWith('npm warn')) process.stderr.write(`${prefix} ${line}\n`);
  });
}

/** Start a child that prints one JSON line when ready, and wait (at most 90 s) for that line. */
async function startChild<T>(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: z.ZodType<T>,
): Promise<{ child: ChildProcess; info: T }> {
  const child = spawn(node, withTsx(args), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  forward(child, `[${name}]`, false);
  const info = await new Promise<T>((resolveInfo, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 90 s`)), 90_000);
    child.once('exit', (code) => reject(new Error(`${name} exited with code ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        return;
      }
      const parsed = ready.safeParse(json);
      if (parsed.success) {
        clearTimeout(timer);
        resolveInfo(parsed.data);
      }
    });
  });
  return { child, info };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The batch's models config: the house config with every deadline capped at BATCH_MODEL_DEADLINE_MS. */
function batchModelsConfig(file: string): void {
  const config = parseYaml(readFileSync('config/models.yaml', 'utf8')) as {
    defaults?: { timeoutMs?: number };
    tasks?: Record<string, { timeoutMs?: number }>;
  };
  const cap = (ms: number | undefined) => Math.min(ms ?? BATCH_MODEL_DEADLINE_MS, BATCH_MODEL_DEADLINE_MS);
  config.defaults = { ...config.defaults, timeoutMs: cap(config.defaults?.timeoutMs) };
  for (const task of Object.values(config.tasks ?? {})) task.timeoutMs = cap(task.timeoutMs);
  writeFileSync(file, stringifyYaml(config));
}

/** The most attempts the state machine lets one stock make in one execution (1 + every ProcessStock retrier's MaxAttempts). */
export function attemptsPerExecution(aslFile = 'statemachines/stock-batch.asl.json'): number {
  const asl = JSON.parse(readFileSync(aslFile, 'utf8')) as {
    States: Record<string, { ItemProcessor?: { States: Record<string, { Retry?: Array<{ MaxAttempts?: number }> }> } }>;
  };
  const map = Object.values(asl.States).find((state) => state.ItemProcessor);
  const retry = map?.ItemProcessor?.States.ProcessStock?.Retry ?? [];
  return 1 + retry.reduce((sum, r) => sum + (r.MaxAttempts ?? 3), 0);
}

async function outcomesSoFar(doc: DynamoDBDocumentClient, table: string, runId: string): Promise<string[]> {
  const tickers: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :stock)',
        FilterExpression: '#status <> :failed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pk': `RUN#${runId}`, ':stock': 'STOCK#', ':failed': 'failed' },
        ProjectionExpression: 'ticker',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) if (typeof item.ticker === 'string') tickers.push(item.ticker);
    start = page.LastEvaluatedKey;
  } while (start);
  return tickers;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

const ModelStatsSchema = z.object({ throttledInjected: z.number(), timeouts: z.number(), malformed: z.number(), serverErrors: z.number() });
const SimStatsSchema = z.object({ models: z.record(z.string(), ModelStatsSchema) });

/** Injected faults by kind: the simulator's counters and the fault plan's log (which survives kill -9). */
function faultCounts(simStats: z.infer<typeof SimStatsSchema> | undefined, faultLog: string, kills: number): Record<string, number> {
  const models = Object.values(simStats?.models ?? {});
  const sum = (pick: (m: z.infer<typeof ModelStatsSchema>) => number) => models.reduce((total, m) => total + pick(m), 0);
  const counts: Record<string, number> = {
    bedrock_throttle: sum((m) => m.throttledInjected),
    model_timeout: sum((m) => m.timeouts),
    malformed_output: sum((m) => m.malformed),
    dynamo_throttle: 0,
    dynamo_5xx: 0,
    cache_blackhole: 0,
    vendor_outage: 0,
    batch_kill: kills,
  };
  const outageStocks = new Set<string>();
  const lines = existsSync(faultLog) ? readFileSync(faultLog, 'utf8').split('\n') : [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const entry = z.object({ kind: z.string(), key: z.union([z.string(), z.number()]) }).safeParse(JSON.parse(line));
    if (!entry.success) continue;
    // A stock's outage is one fault however often its source is asked (retries, the restart).
    if (entry.data.kind === 'vendor_outage') outageStocks.add(String(entry.data.key).split(':')[1] ?? String(entry.data.key));
    else counts[entry.data.kind] = (counts[entry.data.kind] ?? 0) + 1;
  }
  counts.vendor_outage = outageStocks.size;
  return counts;
}

interface Served {
  status: number;
  latencyMs: number;
  kind: PlannedRequest['kind'];
  body?: string;
}

/** Run the chaos scenario end to end. Never leaves a process behind. */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const started = Date.now();
  const scratch = mkdtempSync(join(tmpdir(), 'fa-chaos-'));
  const dataDir = join(scratch, 'data');
  mkdirSync(dataDir, { recursive: true });
  const faultLog = join(scratch, 'faults.jsonl');
  const modelsFile = join(scratch, 'models.yaml');
  batchModelsConfig(modelsFile);
  const choices = new FaultPlan({ seed: options.seed });
  const killAt = Math.max(
    1,
    Math.floor(options.stocks * (CHAOS_RATES.killAt[0] + choices.draw('chaos', 'kill') * (CHAOS_RATES.killAt[1] - CHAOS_RATES.killAt[0]))),
  );
  const [fromMs, toMs] = CHAOS_RATES.cacheBlackholeStartMs;
  const blackholeOffsetMs = Math.round(fromMs + choices.draw('chaos', 'cache') * (toMs - fromMs));
  const runId = `chaos-${options.seed}-${Date.now().toString(36)}`;
  const asOf = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date());

  const fas = Math.max(1, options.connections * 2);
  const keyFile = join(scratch, 'api-keys.json');
  const keys = Array.from({ length: fas }, (_, i) => `faak_chaos_${i}_${randomBytes(12).toString('base64url')}`);
  addKeyRecords(
    keyFile,
    keys.map((key, i) => ({
      keyId: `key_${hashKey(key).slice(0, 12)}`,
      faId: `fa-chaos-${i}`,
      label: 'npm run chaos',
      sha256: hashKey(key),
      createdAt: new Date().toISOString(),
    })),
  );

  const { FA_FAULTS: _inheritedFaults, FA_BEDROCK_ENDPOINT: _inheritedEndpoint, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    FA_DATA_DIR: dataDir,
    FA_LLM: 'sim',
    FA_API_KEYS_FILE: keyFile,
    FA_SIM_SEED: String(options.seed),
    FA_SIM_LATENCY: 'realistic',
    FA_SIM_THROTTLE_RATE: String(CHAOS_RATES.bedrockThrottle),
    FA_SIM_TIMEOUT_RATE: String(CHAOS_RATES.modelTimeout),
    FA_SIM_TIMEOUT_MODE: 'hang',
    // Held past every client deadline (the clients give up first), then dropped.
    FA_SIM_HANG_MS: '20000',
    FA_SIM_MALFORMED_RATE: String(CHAOS_RATES.malformedOutput),
  };
  say(
    `seed ${options.seed}: ${options.stocks} stocks, ${options.queries} queries on ${options.connections} connections; kill -9 at ${killAt} stocks, cache black-holed ${blackholeOffsetMs / 1000}–${(blackholeOffsetMs + CHAOS_RATES.cacheBlackholeMs) / 1000} s into the batch`,
  );
  const children: ChildProcess[] = [];
  let doc: DynamoDBDocumentClient | undefined;
  const problems: string[] = [];
  try {
    const services = await startChild(
      'services',
      ['bench/local-services-holder.ts'],
      env,
      z.object({ endpoint: z.string(), pid: z.number(), bedrockEndpoint: z.string().url() }),
    );
    children.push(services.child);
    env.FA_BEDROCK_ENDPOINT = services.info.bedrockEndpoint;
    doc = createDocumentClient({ region: 'us-east-1', endpoint: services.info.endpoint });
    const names = tableNamesFor(process.env.FA_TABLE_PREFIX ?? '');

    const batchStartsAt = Date.now();
    const plan: FaultPlanInput = {
      seed: options.seed,
      dynamoThrottleRate: CHAOS_RATES.dynamoThrottle,
      dynamoErrorRate: CHAOS_RATES.dynamo5xx,
      cacheBlackhole: {
        fromEpochMs: batchStartsAt + blackholeOffsetMs,
        untilEpochMs: batchStartsAt + blackholeOffsetMs + CHAOS_RATES.cacheBlackholeMs,
        timeoutMs: 200,
      },
      vendorOutageRate: CHAOS_RATES.vendorOutage,
      vendorOutageSources: ['fundamentals', 'news'],
      log: faultLog,
    };
    const faultEnv = { ...env, FA_FAULTS: JSON.stringify(plan) };
    const api = await startChild(
      'api',
      ['scripts/serve.ts', '--port', '0', '--json'],
      { ...faultEnv, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --max-semi-space-size=64`.trim() },
      z.object({ url: z.string().url(), pid: z.number() }),
    );
    children.push(api.child);

    const batchArgs = ['bench/chaos-batch.ts', '--run-id', runId, '--as-of', asOf, '--limit', String(options.stocks)];
    batchArgs.push('--concurrency', String(options.concurrency), '--json');
    const startBatch = (incarnation: number) => {
      const child = spawn(node, withTsx(batchArgs), {
        env: { ...faultEnv, FA_MODELS_CONFIG: modelsFile },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      forward(child, `[batch ${incarnation}]`, false);
      children.push(child);
      return child;
    };

    // The batch, killed once it has stored `killAt` stocks and started again on the same run.
    const batchDone = (async () => {
      const first = startBatch(1);
      let kills = 0;
      for (let polls = 0; ; polls++) {
        if (first.exitCode !== null || first.signalCode !== null) break;
        const done = (await outcomesSoFar(doc!, names.runs, runId)).length;
        if (done >= killAt) {
          first.kill('SIGKILL');
          await exitOf(first);
          kills = 1;
          say(`kill -9 of the batch (pid ${first.pid}) after ${done} stocks; restarting run ${runId}`);
          break;
        }
        if (polls > 20 * 60 * 4) throw new Error('the batch made no progress in 20 minutes');
        await sleep(250);
      }
      const firstExit = await exitOf(first);
      if (kills === 0) say(`the batch finished (exit ${firstExit.code}) before the kill point; restarting it on the same run anyway`);
      const second = startBatch(2);
      const secondExit = await exitOf(second);
      if (secondExit.code !== 0 && secondExit.code !== 1)
        problems.push(`the restarted batch exited with ${secondExit.code ?? secondExit.signal}`);
      return kills;
    })();

    // The FA load, once the batch has stored enough briefs to ask about.
    const served: Served[] = [];
    const loadDone = (async () => {
      const enough = Math.min(40, Math.max(1, Math.floor(options.stocks / 2)));
      let covered: string[] = [];
      for (let polls = 0; covered.length < enough; polls++) {
        if (polls > 20 * 60 * 4) throw new Error('no briefs to ask about after 20 minutes');
        await sleep(250);
        covered = await outcomesSoFar(doc!, names.runs, runId);
      }
      const universe = await createDemoSources({
        seed: process.env.FA_DEMO_SEED ? Number(process.env.FA_DEMO_SEED) : undefined,
      }).universe.list();
      const nameOf = new Map(universe.map((c) => [c.ticker, c.name]));
      const tickers: MixTicker[] = covered.slice(0, 150).map((ticker) => ({ ticker, name: nameOf.get(ticker) ?? ticker }));
      say(`${covered.length} briefs stored: ${options.connections} FA connections start asking about ${tickers.length} stocks`);
      const mix = new QuestionMix(tickers, fas, options.seed);
      const inFlight = new WeakMap<object, PlannedRequest>();
      let last: Omit<Served, 'latencyMs'> | undefined;
      const result = await autocannon({
        url: api.info.url,
        connections: Math.min(options.connections, options.queries),
        amount: options.queries,
        pipelining: 1,
        timeout: 30,
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
            onResponse: (status, body, context) => {
              const planned = inFlight.get(context);
              if (planned?.conversation !== undefined) mix.completed(planned.conversation, status === 200);
              last = { status, kind: planned?.kind ?? 'simple', body };
            },
          },
        ],
        setupClient: (client) => {
          client.on('response', (_status: number, _bytes: number, responseTime: number) => {
            if (last) served.push({ ...last, latencyMs: responseTime });
            last = undefined;
          });
        },
      });
      return { timeouts: result.timeouts, errors: result.errors };
    })();

    const [kills, load] = await Promise.all([batchDone, loadDone]);
    await stopChild(api.child);
    const simStats = await fetch(`${services.info.bedrockEndpoint}/__simulator/stats`)
      .then(async (r) => SimStatsSchema.parse(await r.json()))
      .catch(() => undefined);

    // The checks, against what the stores hold.
    const contents = await readStores(doc, names, runId);
    const stores = checkStores(contents, 2 * attemptsPerExecution(), kills > 0 ? options.concurrency : 0);
    problems.push(...stores.problems);
    for (const finding of stores.findings) say(`finding: ${finding}`);

    const summaries = new DynamoSummaryRepository(doc, names.summaries);
    const snapshots = new Map<string, FactSnapshot | undefined>();
    let answersChecked = 0;
    for (const response of served) {
      if (response.status !== 200 || response.kind === 'summary' || !response.body) continue;
      const answer = JSON.parse(response.body) as ServedAnswer;
      if (!Array.isArray(answer.sentences)) continue;
      for (const ticker of answer.tickers) if (!snapshots.has(ticker)) snapshots.set(ticker, (await summaries.getLatest(ticker))?.snapshot);
      const own = answer.tickers.map((t) => snapshots.get(t)).filter((s): s is FactSnapshot => s !== undefined);
      const wrong = unverifiedFigures(answer, mergeSnapshots(own));
      answersChecked += 1;
      for (const line of wrong.slice(0, 3))
        problems.push(`an answer about ${answer.tickers.join(', ')} served an unverified figure: ${line}`);
    }

    const documented = (r: Served) => {
      if (r.status !== 503 || !r.body) return false;
      try {
        return (JSON.parse(r.body) as { error?: { code?: string } }).error?.code === 'model_unavailable';
      } catch {
        return false;
      }
    };
    const errors5xx = served.filter((r) => r.status >= 500);
    // A request that got no answer at all (autocannon's errors include its timeouts) is as unexpected as a 500.
    const unexpected = errors5xx.filter((r) => !documented(r)).length + load.errors;
    for (const r of errors5xx.filter((e) => !documented(e)).slice(0, 5))
      problems.push(`an undocumented ${r.status}: ${(r.body ?? '').slice(0, 200)}`);
    if (load.errors > 0) problems.push(`${load.errors} requests got no response (${load.timeouts} timed out after 30 s)`);
    const latencies = served.map((r) => r.latencyMs).sort((a, b) => a - b);
    say(
      `${served.length} responses (${answersChecked} answers re-verified against the stored facts), ${errors5xx.length} 5xx of which ${errors5xx.length - errors5xx.filter((r) => !documented(r)).length} documented 503 model_unavailable`,
    );
    const report: ChaosReport = {
      batch: stores.batch,
      queries: {
        // Every request sent: those answered and those that got no response.
        requests: served.length + load.errors,
        errors5xx: errors5xx.length,
        unexpected5xx: unexpected,
        p95Ms: Math.round(percentile(latencies, 95)),
      },
      faults: faultCounts(simStats, faultLog, kills),
      seed: options.seed,
    };
    return { report, problems, wallMs: Date.now() - started };
  } finally {
    doc?.destroy();
    for (const child of children.reverse()) await stopChild(child);
    if (options.keep) say(`kept the data dir ${dataDir}`);
    else rmSync(scratch, { recursive: true, force: true });
  }
}
