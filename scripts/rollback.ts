/** `npm run rollback -- --stage S [--function query-api|stock-processor|all] [--json]` */
import { RollbackOptionsSchema, runRollback } from './lib/ops/commands';
import { opsProgram, runOps } from './lib/ops/program';
import { realDeps } from './lib/ops/runtime';

const program = opsProgram('rollback', 'stop a deployment with rollback, or put the live alias back on the previous version').option(
  '--function <name>',
  'query-api, stock-processor or all (default)',
);

void runOps(
  program,
  RollbackOptionsSchema,
  (options) => runRollback(options, realDeps()),
  (result) => result.actions.map((action) => `${action.function}: ${action.action}`).join(', ') || 'nothing to roll back',
);
