/**
 * The lint rules that hold the layers fail on the imports they exist to stop (eslint.config.mjs),
 * checked through ESLint's own API on source text placed in each layer.
 */
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: repo });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${repo}${filePath}` });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('lint holds the layers', () => {
  it('fails a core file that imports an adapter', async () => {
    const ids = await ruleIds(
      'lambdas/core/pipeline/leak.ts',
      "import { createRepositories } from '../../adapters/store/dynamo-repositories';\nexport const leak = createRepositories;\n",
    );
    expect(ids).toContain('import-x/no-restricted-paths');
  });

  it('fails a core file that imports the composition root or a handler', async () => {
    expect(
      await ruleIds('lambdas/core/leak.ts', "import { runtimeConfig } from '../wiring/config';\nexport const leak = runtimeConfig;\n"),
    ).toContain('import-x/no-restricted-paths');
    expect(
      await ruleIds('lambdas/core/leak.ts', "import { handler } from '../handlers/prepare-batch';\nexport const leak = handler;\n"),
    ).toContain('import-x/no-restricted-paths');
  });

  it('fails a handler that reaches past the composition root to an adapter', async () => {
    const ids = await ruleIds(
      'lambdas/handlers/leak.ts',
      "import { FileHashCache } from '../adapters/cache/file-hash-cache';\nexport const leak = FileHashCache;\n",
    );
    expect(ids).toContain('import-x/no-restricted-paths');
  });

  it('fails a CLI or benchmark that imports from test/', async () => {
    const ids = await ruleIds(
      'bench/leak.ts',
      "import { startTestDynamo } from '../test/support/dynalite';\nexport const leak = startTestDynamo;\n",
    );
    expect(ids).toContain('import-x/no-restricted-paths');
  });

  it('fails a core file that imports the evaluation suite, and evals code that imports a CLI', async () => {
    expect(
      await ruleIds(
        'lambdas/core/evaluation/leak.ts',
        "import { runEvaluation } from '../../../evals/lib/run-eval';\nexport const leak = runEvaluation;\n",
      ),
    ).toContain('import-x/no-restricted-paths');
    expect(await ruleIds('evals/lib/leak.ts', "import { fail } from '../../scripts/lib/cli';\nexport const leak = fail;\n")).toContain(
      'import-x/no-restricted-paths',
    );
  });

  it('passes the same import where the layering allows it', async () => {
    const ids = await ruleIds(
      'lambdas/wiring/fine.ts',
      "import { FileHashCache } from '../adapters/cache/file-hash-cache';\nexport const fine = FileHashCache;\n",
    );
    expect(ids).toEqual([]);
  });

  it('fails an import cycle', async () => {
    // The pipeline's writer imports the brief composer, so the composer importing the writer closes a cycle.
    const composer = readFileSync(`${repo}lambdas/core/summary/compose-brief.ts`, 'utf8');
    const ids = await ruleIds(
      'lambdas/core/summary/compose-brief.ts',
      `import { writeAndVerify } from '../pipeline/write-and-verify';\nexport const cycle = writeAndVerify;\n${composer}`,
    );
    expect(ids).toContain('import-x/no-cycle');
  });
});
