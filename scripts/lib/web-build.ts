/**
 * Builds the FA console (web/ → web/dist) when it has not been built, so `npm start` and
 * `npm run serve` on a fresh clone serve it without a separate step.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const WEB_INDEX = resolve('web/dist/index.html');

/** Run `vite build` for the console unless web/dist/index.html exists; progress on stderr. */
export function ensureWebBuilt(): void {
  if (existsSync(WEB_INDEX)) return;
  process.stderr.write('building the FA console (npm run build:web)…\n');
  const vite = join('node_modules', '.bin', process.platform === 'win32' ? 'vite.cmd' : 'vite');
  const result = spawnSync(vite, ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error('the FA console did not build: run npm run build:web to see why');
}
