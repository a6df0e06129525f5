/** `npm run traffic -- --stage S --percent P [--function query-api|stock-processor] [--to-version N] [--json]` */
import { runTraffic, TrafficOptionsSchema } from './lib/ops/commands';
import { opsProgram, runOps } from './lib/ops/program';
import { realDeps } from './lib/ops/runtime';

const program = opsProgram('traffic', "shift a percentage of a function's live alias to a new version by hand")
  .requiredOption('--percent <p>', 'share of traffic for the new version, 0-100 (100 promotes it, 0 sends everything back)')
  .option('--function <name>', 'query-api (default) or stock-processor')
  .option('--to-version <n>', 'version to shift to (default: the one already split off, else the newest published)');

void runOps(
  program,
  TrafficOptionsSchema,
  (options) => runTraffic(options, realDeps()),
  (result) => `${result.function}: ${result.percent} % on version ${result.newVersion}, primary ${result.primaryVersion}`,
);
