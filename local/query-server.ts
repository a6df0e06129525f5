/**
 * The FA query API served from this machine: the query Lambda's handler behind the local HTTP
 * adapter (local/http-api.ts), in this process or in N worker processes sharing one port, as
 * Lambda runs many instances. `npm run serve` is its CLI.
 */
import cluster from 'node:cluster';
import { writeFileSync } from 'node:fs';
import { MAX_BODY_BYTES } from '../lambdas/core/contracts/api';
import { startHttpApi } from './http-api';
import { createApiKey, KeyStore, keyStorePath } from './api-keys';
import { createConsoleSite, isSitePath, WEB_DIST } from './console-site';
import type { HttpApiOptions } from './http-api';
import { startLocalRuntime } from './runtime';

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

export interface Served {
  url: string;
  port: number;
  /** Processes serving requests (this one, or the workers). */
  pids: number[];
  close(): Promise<void>;
}

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * The limits `npm run serve` applies, from the environment: per key FA_RATE_LIMIT_PER_MINUTE
 * (default 600) with a burst of FA_RATE_LIMIT_BURST (100); per source address a lockout of
 * FA_LOCKOUT_SECONDS (900) after FA_LOCKOUT_BAD_KEYS (20) invalid keys in FA_LOCKOUT_WINDOW_SECONDS (300).
 */
export function limitsFromEnv(): Pick<HttpApiOptions, 'rateLimit' | 'lockout'> {
  return {
    rateLimit: { requestsPerMinute: positive('FA_RATE_LIMIT_PER_MINUTE', 600), burst: positive('FA_RATE_LIMIT_BURST', 100) },
    lockout: {
      badKeys: positive('FA_LOCKOUT_BAD_KEYS', 20),
      windowSeconds: positive('FA_LOCKOUT_WINDOW_SECONDS', 300),
      lockSeconds: positive('FA_LOCKOUT_SECONDS', 900),
    },
  };
}

/**
 * What a caller may change about the served API (the security suite plants weaknesses through it:
 * a public path added, the handler wrapped).
 */
export interface ServeOverrides extends Partial<Pick<HttpApiOptions, 'publicPaths' | 'rateLimit' | 'lockout' | 'now'>> {
  wrapHandler?: (handler: HttpApiOptions['handler']) => HttpApiOptions['handler'];
  /** The key store the console's dev sign-in mints keys into (local stage only). */
  keyFile?: string;
}

/** Serve in this process (and profile it when FA_CPU_PROFILE names a file). */
export async function serveHere(port: number, keys: KeyStore, overrides: ServeOverrides = {}): Promise<Served> {
  const { createQueryApiHandler } = await import('../lambdas/handlers/query-api');
  const { queryDependencies } = await import('../lambdas/wiring/query');
  const deps = await queryDependencies();
  const { wrapHandler, keyFile, ...options } = overrides;
  const handler = createQueryApiHandler(async () => deps);
  const stage = process.env.FA_STAGE ?? 'local';
  const site = createConsoleSite({
    dir: process.env.FA_WEB_DIST || WEB_DIST,
    stage,
    // The dev sign-in mints keys into the same store the key check reads; only on the local stage.
    ...(keyFile && stage === 'local'
      ? { mintKey: (faId: string, role: 'fa' | 'operator') => createApiKey(keyFile, faId, 'console dev sign-in', { role }).apiKey }
      : {}),
  });
  let api;
  try {
    api = await startHttpApi({
      port,
      handler: wrapHandler ? wrapHandler(handler) : handler,
      authenticate: (key) => keys.authenticate(key),
      publicPaths: ['/health'],
      maxBodyBytes: MAX_BODY_BYTES,
      stage,
      site: { handles: isSitePath, serve: site },
      corsOrigins: deps.corsOrigins,
      ...limitsFromEnv(),
      ...options,
    });
  } catch (error) {
    await deps.close();
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    throw new Error(code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 is in use: pick another with --port` : String(error));
  }
  const profileFile = process.env.FA_CPU_PROFILE
    ? `${process.env.FA_CPU_PROFILE}${cluster.isWorker ? `.${cluster.worker!.id}` : ''}`
    : undefined;
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
export async function startWorkers(count: number, port: number): Promise<Served> {
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
export async function runWorker(): Promise<void> {
  const runtime = await startLocalRuntime('query');
  const keyFile = keyStorePath(runtime.dataDir);
  const served = await serveHere(Number(process.env.FA_SERVE_WORKER_PORT ?? 0), new KeyStore(keyFile), { keyFile });
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
