/** `npm start`: the main job on the embedded default — the nightly batch over the whole demo universe. */
import { z } from 'zod';
import { cli, runCli } from './lib/cli';
import { describeRun, runBatch } from '../local/batch-runner';
import { ensureWebBuilt } from './lib/web-build';

const program = cli('start', 'The main job on the embedded runtime: the nightly batch over the whole demo universe');

runCli(program, z.object({ json: z.boolean().default(false) }).strict(), async () => {
  process.stderr.write(
    `FA Advisor AI: nightly batch over the 1,000-stock demo universe (embedded runtime, FA_LLM=${process.env.FA_LLM || 'local'})\n`,
  );
  ensureWebBuilt();
  const summary = await runBatch({ concurrency: 100, progress: true });
  process.stderr.write(`${describeRun(summary)}\n`);
  const hints: Array<[string, string]> = [
    [`npm run show -- ${summary.exampleTicker ?? '<TICKER>'}`, 'a stored brief with its citations and verification'],
    ['npm run batch -- --json', 'run again: unchanged stocks are reused without a model call'],
    ['npm run serve', 'the FA console at http://127.0.0.1:8787/ and the API (prints a demo key and a curl line)'],
    [`${summary.dataDir}/`, 'local data: dynamodb/, embedding-cache/, metrics.emf.jsonl, logs.jsonl'],
  ];
  const width = Math.max(...hints.map(([left]) => left.length)) + 2;
  process.stderr.write(['', 'Where to look:', ...hints.map(([left, right]) => `  ${left.padEnd(width)}${right}`), ''].join('\n'));
  if (summary.failed > 0) process.exitCode = 1;
  return summary;
});
