/** `npm run deploy -- --stage S [--require-approval never|broadening|any-change] [--no-wait] [--json]` */
import { runDeploy, DeployOptionsSchema } from './lib/ops/commands';
import { opsProgram, runOps } from './lib/ops/program';
import { realDeps } from './lib/ops/runtime';

const program = opsProgram('deploy', 'cdk deploy every stack of a stage, then follow the canary / pre-traffic deployments it starts')
  .option('--require-approval <level>', 'cdk approval for security-sensitive changes: never, broadening (default) or any-change')
  .option('--no-wait', 'do not wait for the CodeDeploy deployments to finish');

void runOps(
  program,
  DeployOptionsSchema,
  (options) => runDeploy(options, realDeps()),
  (result) =>
    result.deployments.length === 0
      ? `stage ${result.stage} deployed; outputs in ${result.outputsFile}`
      : `stage ${result.stage} deployed; ${result.deployments.map((d) => `${d.function} ${d.deploymentId} ${d.status}`).join(', ')}`,
  (result) => result.succeeded,
);
