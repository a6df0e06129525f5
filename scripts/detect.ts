/**
 * `npm run detect -- --in FILE.jsonl [--out FILE.jsonl] [--json] [--judge sim|bedrock]`: check every
 * row's text against its sources with the hallucination detector (offline, deterministic). The row
 * formats and the `--json` line are a public contract (docs/DETECTION.md).
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { cli, printJson, runCli } from './lib/cli';
import { fileOutput, runDetect } from './lib/detect-run';
import type { GroundingJudge } from '../lambdas/core/ports/judge';
import { ModelRouter } from '../lambdas/core/routing/model-router';
import { createBedrockRuntimeClient } from '../lambdas/adapters/llm/bedrock-client';
import { BedrockConverseLlm } from '../lambdas/adapters/llm/bedrock-converse';
import { LlmJudge } from '../lambdas/adapters/llm/llm-judge';
import { loadModelConfig } from '../lambdas/adapters/llm/model-config';
import { startBedrockSimulator } from '../local/bedrock-simulator';

/**
 * The judge: Bedrock Converse on the model routed for classification, pinned, at temperature 0 —
 * against real Bedrock, or the loopback simulator (whose judge is deterministic and lexical).
 */
async function createJudge(adapter: 'sim' | 'bedrock'): Promise<{ judge: GroundingJudge; close(): Promise<void> }> {
  const models = loadModelConfig(process.env.FA_MODELS_CONFIG || 'config/models.yaml');
  const modelId = new ModelRouter(models).route('classify').modelId;
  process.env.FA_SIM_LATENCY ||= 'none';
  const simulator = adapter === 'sim' ? await startBedrockSimulator() : undefined;
  const client = createBedrockRuntimeClient({ region: models.region, ...(simulator ? { endpoint: simulator.endpoint } : {}) });
  process.stderr.write(`judge: ${modelId} on ${simulator ? `the Bedrock simulator at ${simulator.endpoint}` : 'Amazon Bedrock'}\n`);
  return {
    judge: new LlmJudge(new BedrockConverseLlm({ client, promptCaching: false }), modelId),
    close: async () => {
      client.destroy();
      await simulator?.close();
    },
  };
}

const OptionsSchema = z
  .object({
    in: z.string().min(1).refine(existsSync, 'no such file'),
    out: z.string().min(1).optional(),
    json: z.boolean().default(false),
    judge: z.enum(['sim', 'bedrock']).optional(),
  })
  .strict();

const program = cli(
  'detect',
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
  .option('--judge <adapter>', 'LLM judge for claims the deterministic checks cannot settle: sim or bedrock');

runCli(program, OptionsSchema, async (options) => {
  const judge = options.judge ? await createJudge(options.judge) : undefined;
  const output = options.out ? fileOutput(options.out) : options.json ? undefined : process.stdout;
  const summary = await runDetect({
    input: options.in,
    output,
    progress: (line) => process.stderr.write(`${line}\n`),
    warn: (line) => process.stderr.write(`malformed: ${line}\n`),
    ...(judge ? { judge: judge.judge } : {}),
  }).finally(() => judge?.close());
  if (options.out && output) await new Promise<void>((resolve) => output.end(resolve));
  const c = summary.confusion;
  process.stderr.write(
    `detect: ${summary.rows} rows in ${summary.seconds.toFixed(1)} s (${Math.round(summary.rows / Math.max(summary.seconds, 1e-9))} rows/s), ${summary.hallucinated} flagged, ${summary.malformed} malformed` +
      (c ? `; labelled ${c.n}: precision ${c.precision}, recall ${c.recall}, f1 ${c.f1}, balanced accuracy ${c.balancedAccuracy}` : '') +
      (options.out ? `; rows written to ${options.out}` : '') +
      '\n',
  );
  if (options.json) {
    printJson(
      c ?? {
        n: summary.rows,
        hallucinated: summary.hallucinated,
        malformed: summary.malformed,
        seconds: Math.round(summary.seconds * 100) / 100,
      },
    );
  }
});
