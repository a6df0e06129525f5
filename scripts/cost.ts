/**
 * `npm run cost -- [--run ID] [--json] [--out FILE]`: where a run's money went, from the cost
 * ledger — by agent, model, task and AWS service; cost per stock (p50, p95, max) and per query
 * against the budgets — and a self-contained HTML report with charts written to the data dir.
 * Without --run: the latest batch run (and the latest day of queries, if any).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { createDocumentClient } from '../lambdas/adapters/store/dynamo-repositories';
import { DynamoCostLedger } from '../lambdas/adapters/store/cost-ledger-repository';
import { loadBudgets } from '../lambdas/adapters/cost/budgets-file';
import { costReport } from '../lambdas/core/cost/report';
import type { CostReport, UnitSection } from '../lambdas/core/cost/report';
import { tableNamesFor } from '../lambdas/core/contracts/tables';
import { startLocalRuntime } from '../local/runtime';
import { cli, fail, printJson, runCli } from './lib/cli';
import { money, renderCostReportHtml } from './lib/cost-report-html';

const OptionsSchema = z
  .object({
    run: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,120}$/, 'must be a run id such as run-2026-11-24-abc123')
      .optional(),
    out: z.string().min(1).optional(),
    json: z.boolean().default(false),
  })
  .strict();

const program = cli('cost', "Break down a run's cost from the cost ledger and write an HTML report")
  .option('--run <id>', 'run id (default: the latest batch run)')
  .option('--out <file>', 'HTML report path (default: <data dir>/reports/cost-<run>.html)');

function describeUnits(section: UnitSection, noun: string): string[] {
  const d = section.distribution;
  const verdict = section.meetsTarget ? 'meets the target' : 'ABOVE the target';
  return [
    `  per ${noun}: mean ${money(d.meanUsd)} (target ${money(section.budget.targetUsd)}, cap ${money(section.budget.capUsd)}) — ${verdict}`,
    `    p50 ${money(d.p50Usd)}, p95 ${money(d.p95Usd)}, max ${money(d.maxUsd)} over ${d.count} ${noun}s; over target ${section.overTarget}, over cap ${section.overCap}, downgrades ${section.downgrades}, skipped steps ${section.skippedSteps}, retried ${section.retried}`,
  ];
}

function describe(report: CostReport, file: string): string {
  const t = report.total;
  const share = (items: Array<{ name: string; costUsd: number; share: number }>) =>
    items.map((i) => `${i.name} ${money(i.costUsd)} (${(i.share * 100).toFixed(1)}%)`).join(', ');
  return [
    `cost of ${report.runId} (price table ${report.priceVersion}${report.estimated ? '; model figures estimated from local token counts' : ''}): ${money(t.costUsd)} total`,
    `  models ${money(t.modelUsd)}, embeddings ${money(t.embeddingUsd)}, infrastructure ${money(t.infrastructureUsd)}`,
    ...(report.stocks ? describeUnits(report.stocks, 'stock') : []),
    ...(report.queries ? describeUnits(report.queries, 'query') : []),
    `  by agent: ${share(report.byAgent)}`,
    `  by model: ${share(report.byModel)}`,
    `  infrastructure: ${share(report.infrastructure)}`,
    `report: ${file}`,
  ].join('\n');
}

runCli(program, OptionsSchema, async (options) => {
  const runtime = await startLocalRuntime();
  const doc = createDocumentClient({ region: process.env.AWS_REGION ?? 'us-east-1', endpoint: runtime.dynamo.endpoint });
  try {
    const ledger = new DynamoCostLedger({ doc, tableName: tableNamesFor(process.env.FA_TABLE_PREFIX ?? '').costLedger });
    const budgets = loadBudgets(process.env.FA_BUDGETS_CONFIG || 'config/budgets.yaml');
    const runs = await ledger.listRuns(1_000);
    const runId = options.run ?? runs.find((r) => !r.runId.startsWith('queries-'))?.runId ?? runs[0]?.runId;
    if (!runId) fail(`the cost ledger in ${runtime.dataDir} has no runs yet; run \`npm run batch\` first`, 1);
    const run = await ledger.readRun(runId);
    if (!run)
      fail(
        `run ${runId} is not in the cost ledger (known: ${
          runs
            .slice(0, 5)
            .map((r) => r.runId)
            .join(', ') || 'none'
        })`,
        1,
      );
    const report = costReport(run, budgets);
    // Without --run, the latest day of queries rides along (its own section in JSON).
    const queriesRunId = options.run ? undefined : runs.find((r) => r.runId.startsWith('queries-'))?.runId;
    const queriesRun = queriesRunId ? await ledger.readRun(queriesRunId) : undefined;
    const queries = queriesRun ? costReport(queriesRun, budgets) : undefined;
    const file = resolve(options.out ?? join(runtime.dataDir, 'reports', `cost-${runId}.html`));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, renderCostReportHtml(report, new Date().toISOString()));
    process.stderr.write(`${describe(report, file)}\n`);
    if (queries?.queries) process.stderr.write(`${describeUnits(queries.queries, 'query').join('\n')}\n  (queries of ${queries.runId})\n`);
    if (options.json) printJson({ ...report, htmlFile: file, ...(queries ? { latestQueries: queries } : {}) });
  } finally {
    doc.destroy();
    await runtime.close();
  }
});
