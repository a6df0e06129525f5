/** The real outside world of the ops commands: AWS clients, the CDK CLI, stderr, timers. */
import { spawn } from 'node:child_process';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { REPO_ROOT } from '../../../lib/paths';
import type { DeployDeps } from './commands';
import { loadStage } from './stage';

/** Run the project's CDK CLI; its output goes to stderr so stdout stays ours (`--json`). */
function runCdk(args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['--no-install', 'cdk', ...args], { cwd: REPO_ROOT, stdio: ['inherit', process.stderr, process.stderr] });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

export function realDeps(): DeployDeps {
  return {
    loadStage: (name) => loadStage(name),
    codeDeploy: (region) => new CodeDeployClient({ region }),
    lambda: (region) => new LambdaClient({ region }),
    log: (line) => process.stderr.write(`${line}\n`),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => new Date(),
    runCdk,
  };
}
