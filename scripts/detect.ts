/**
 * `npm run detect -- --in FILE.jsonl [--out FILE.jsonl] [--json] [--judge sim|bedrock]`: check every
 * row's text against its sources with the hallucination detector (offline, deterministic).
 */
import { existsSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { fileOutput, runDetect } from './lib/detect-run';

function usage(message: string): never {
  process.stderr.write(`error: ${message.replace(/^error: /, '').split('\n')[0]}\n`);
  process.exit(2);
}

const program = new Command('detect')
  .description(
    [
      'Flag hallucinations in financial text: each input row {"id","text","sources":[{"id","text","title"?,"date"?,"rank"?,"tables"?}],"facts"?,"asOf"?,"label"?}',
      'becomes an output row {"id","hallucinated","score","decision","claims":[{"text","status","span","reason","evidence"?}]}.',
      'Output rows go to --out when given; otherwise to stdout, unless --json is set (then stdout carries only the summary object).',
      'Progress and malformed-row reasons go to stderr. With --json the last stdout line is one JSON object:',
      'with labelled rows {"n","tp","fp","tn","fn","precision","recall","f1","balancedAccuracy"}, else {"n","hallucinated","malformed","seconds"}.',
    ].join('\n'),
  )
  .requiredOption('--in <file>', 'input JSONL, one row per line')
  .option('--out <file>', 'write result rows (JSONL) here')
  .option('--json', 'print one JSON summary object as the last line of stdout')
  .addOption(
    new Option('--judge <adapter>', 'LLM judge for claims the deterministic checks cannot settle').argParser((v) => {
      if (v !== 'sim' && v !== 'bedrock') throw new InvalidArgumentError('must be sim or bedrock');
      return v;
    }),
  )
  .allowExcessArguments(false)
  .exitOverride((error) => {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') process.exit(0);
    usage(error.message);
  })
  .configureOutput({ writeErr: () => {}, writeOut: (s) => process.stdout.write(s) });

program.parse(process.argv);
const opts = program.opts<{ in: string; out?: string; json?: boolean; judge?: 'sim' | 'bedrock' }>();
if (opts.judge) usage(`--judge ${opts.judge}: judge adapter not wired yet`);
if (!existsSync(opts.in)) usage(`--in ${opts.in}: no such file`);

const output = opts.out ? fileOutput(opts.out) : opts.json ? undefined : process.stdout;
runDetect({
  input: opts.in,
  output,
  progress: (l) => process.stderr.write(`${l}\n`),
  warn: (l) => process.stderr.write(`malformed: ${l}\n`),
})
  .then(async (summary) => {
    if (opts.out && output) await new Promise<void>((resolve) => output.end(resolve));
    const c = summary.confusion;
    process.stderr.write(
      `detect: ${summary.rows} rows in ${summary.seconds.toFixed(1)} s (${Math.round(summary.rows / Math.max(summary.seconds, 1e-9))} rows/s), ${summary.hallucinated} flagged, ${summary.malformed} malformed` +
        (c ? `; labelled ${c.n}: precision ${c.precision}, recall ${c.recall}, f1 ${c.f1}, balanced accuracy ${c.balancedAccuracy}` : '') +
        (opts.out ? `; rows written to ${opts.out}` : '') +
        '\n',
    );
    if (opts.json) {
      process.stdout.write(
        `${JSON.stringify(c ?? { n: summary.rows, hallucinated: summary.hallucinated, malformed: summary.malformed, seconds: Math.round(summary.seconds * 100) / 100 })}\n`,
      );
    }
  })
  .catch((error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    process.exit(1);
  });
