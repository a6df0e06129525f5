/**
 * `npm run edgar-replay -- --dir DIR [--port P] [--rate N] [--inject-429 N] [--inject-429-every K]
 * [--retry-after S] [--json]`: serve a folder laid out like EDGAR's URL paths as data.sec.gov and
 * www.sec.gov on 127.0.0.1, until Ctrl-C (see local/edgar-replay.ts). Point the batch at it with
 * `--edgar-url <the printed URL>`. With --json, the request counts are printed as one JSON object
 * when it stops.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { startEdgarReplay } from '../local/edgar-replay';
import { cli, printJson, runCli } from './lib/cli';

const isFolder = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

const count = z.coerce.number().int().min(0);
const OptionsSchema = z
  .object({
    dir: z.string({ error: 'is required: the folder that mirrors EDGAR URL paths' }).refine(isFolder, 'must be an existing folder'),
    port: z.coerce.number().int().min(0).max(65_535).default(0),
    rate: count.default(10),
    inject429: count.default(0),
    inject429Every: count.optional(),
    retryAfter: count.optional(),
    json: z.boolean().default(false),
  })
  .strict();

const program = cli('edgar-replay', 'Serve a folder as SEC EDGAR (data.sec.gov and www.sec.gov) on 127.0.0.1 until interrupted')
  .option('--dir <dir>', 'folder mirroring EDGAR URL paths: submissions/, api/xbrl/companyfacts/, Archives/edgar/data/')
  .option('--port <p>', 'port on 127.0.0.1 (default: any free port)')
  .option('--rate <n>', 'requests per 1-second window before 429, as SEC (default 10; 0: no limit)')
  .option('--inject-429 <n>', 'answer 429 to the first N requests (default 0)')
  .option('--inject-429-every <k>', 'answer 429 to every k-th request')
  .option('--retry-after <s>', 'send Retry-After: S with every 429 (default: none)');

runCli(program, OptionsSchema, async (options) => {
  const dir = resolve(options.dir);
  const replay = await startEdgarReplay({
    dir,
    port: options.port,
    ratePerSecond: options.rate,
    inject429First: options.inject429,
    ...(options.inject429Every !== undefined ? { inject429Every: options.inject429Every } : {}),
    ...(options.retryAfter !== undefined ? { retryAfterSeconds: options.retryAfter } : {}),
  });
  process.stderr.write(
    [
      `EDGAR replay on ${replay.url} serving ${dir}`,
      `  rate limit ${options.rate === 0 ? 'off' : `${options.rate} requests/s`}, injected 429s: first ${options.inject429}${options.inject429Every ? `, every ${options.inject429Every}th` : ''}`,
      `  request counts: ${replay.url}/__replay/stats`,
      `use it with: npm run batch -- --sources edgar --edgar-url ${replay.url}`,
      'Ctrl-C to stop',
      '',
    ].join('\n'),
  );
  process.stdout.write(`${replay.url}\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  const stats = replay.stats();
  await replay.close();
  process.stderr.write(`stopped after ${stats.requests} requests\n`);
  if (options.json) printJson({ url: replay.url, ...stats });
});
