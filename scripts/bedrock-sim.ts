/**
 * `npm run bedrock-sim -- [--port P] [--speed-up S] [--latency realistic|none] [--throttle-rate R]
 * [--error-rate R] [--timeout-rate R] [--timeout-mode hang|error] [--malformed-rate R] [--tpm N]
 * [--rpm N] [--json]`: the Bedrock simulator on its own, on 127.0.0.1, until Ctrl-C. Point any
 * command at it with FA_LLM=sim FA_BEDROCK_ENDPOINT=<the printed endpoint>. Options override the
 * FA_SIM_* environment (see local/bedrock-sim/config.ts). With --json, the simulator's statistics
 * are printed as one JSON object when it stops.
 */
import { z } from 'zod';
import { simulatorConfigFromEnv } from '../local/bedrock-sim/config';
import { startBedrockSimulator } from '../local/bedrock-simulator';
import { cli, printJson, runCli } from './lib/cli';

const share = z.coerce.number().min(0).max(1);
const OptionsSchema = z
  .object({
    port: z.coerce.number().int().min(0).max(65_535).default(0),
    speedUp: z.coerce.number().positive().optional(),
    latency: z.enum(['realistic', 'none']).optional(),
    throttleRate: share.optional(),
    errorRate: share.optional(),
    timeoutRate: share.optional(),
    timeoutMode: z.enum(['hang', 'error']).optional(),
    malformedRate: share.optional(),
    tpm: z.coerce.number().int().positive().optional(),
    rpm: z.coerce.number().int().positive().optional(),
    json: z.boolean().default(false),
  })
  .strict();

const program = cli('bedrock-sim', 'Run the loopback Bedrock simulator (Converse and Titan v2 InvokeModel) until interrupted')
  .option('--port <p>', 'port on 127.0.0.1 (default: any free port)')
  .option('--speed-up <s>', 'simulated time runs this many times faster (default FA_SIM_SPEEDUP or 50)')
  .option('--latency <mode>', 'realistic or none')
  .option('--throttle-rate <r>', 'share of requests answered ThrottlingException')
  .option('--error-rate <r>', 'share answered 500/503')
  .option('--timeout-rate <r>', 'share that time out')
  .option('--timeout-mode <mode>', 'hang (hold the connection) or error (408 ModelTimeoutException)')
  .option('--malformed-rate <r>', 'share answered with a cut-off body')
  .option('--tpm <n>', 'tokens-per-minute quota of every text model (turns quotas on)')
  .option('--rpm <n>', 'requests-per-minute quota of every text model (turns quotas on)');

runCli(program, OptionsSchema, async (options) => {
  const env = { ...process.env };
  const put = (name: string, value: number | string | undefined) => {
    if (value !== undefined) env[name] = String(value);
  };
  put('FA_SIM_SPEEDUP', options.speedUp);
  put('FA_SIM_LATENCY', options.latency);
  put('FA_SIM_THROTTLE_RATE', options.throttleRate);
  put('FA_SIM_ERROR_RATE', options.errorRate);
  put('FA_SIM_TIMEOUT_RATE', options.timeoutRate);
  put('FA_SIM_TIMEOUT_MODE', options.timeoutMode);
  put('FA_SIM_MALFORMED_RATE', options.malformedRate);
  put('FA_SIM_TPM', options.tpm);
  put('FA_SIM_RPM', options.rpm);
  const config = simulatorConfigFromEnv(env);
  const simulator = await startBedrockSimulator({ config, port: options.port });
  const f = config.faults;
  process.stderr.write(
    [
      `Bedrock simulator on ${simulator.endpoint}`,
      `  speed-up ${config.speedUp}×, latency ${config.latency}, prompt-cache TTL ${config.cacheTtlSeconds} s, quotas ${config.enforceQuotas ? 'on' : 'off'}`,
      `  faults: throttle ${f.throttleRate}, 5xx ${f.serverErrorRate}, timeout ${f.timeoutRate} (${f.timeoutMode}), malformed ${f.malformedRate}`,
      `  models: ${config.models.map((m) => m.name).join(', ')}`,
      `use it with: FA_LLM=sim FA_BEDROCK_ENDPOINT=${simulator.endpoint} npm run batch`,
      'Ctrl-C to stop',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  const stats = simulator.stats();
  await simulator.close();
  process.stderr.write(`stopped after ${(stats.simulatedElapsedMs / 1000).toFixed(0)} simulated seconds\n`);
  if (options.json) printJson({ endpoint: simulator.endpoint, ...stats });
});
