/** `npm run show -- TICKER [--length hook|medium|expanded] [--json]`: a stored brief with citations and verification. */
import { z } from 'zod';
import { SUMMARY_LENGTHS } from '../lambdas/core/model';
import type { StoredSummary } from '../lambdas/core/model';
import { TickerSchema } from '../lambdas/core/contracts/batch-events';
import { startLocalRuntime } from '../local/runtime';
import { cli, fail, printJson, runCli } from './lib/cli';

const OptionsSchema = z.object({
  ticker: TickerSchema,
  length: z.enum(SUMMARY_LENGTHS).default('medium'),
  json: z.boolean().default(false),
});

/** Sentences with numbered citations, and the numbered source list. */
export function renderBrief(stored: StoredSummary, length: (typeof SUMMARY_LENGTHS)[number]): string {
  const numbers = new Map<string, number>();
  const number = (docId: string) => {
    if (!numbers.has(docId)) numbers.set(docId, numbers.size + 1);
    return numbers.get(docId)!;
  };
  const lines = [
    `${stored.snapshot.companyName} (${stored.ticker}) — ${length} brief as of ${stored.asOf}`,
    `status ${stored.status} · confidence ${stored.confidence} · ${stored.verification.claimsChecked} claims checked, ${stored.verification.findings.length} findings${stored.verification.risk ? ` · risk ${stored.verification.risk.score} (${stored.verification.risk.decision})` : ''} · model ${stored.modelId} · prompt ${stored.promptVersion}`,
    '',
  ];
  for (const { section, sentences } of stored.summary[length].sections) {
    if (length !== 'hook') lines.push(`## ${section.replace(/_/g, ' ')}`);
    lines.push(
      sentences.map((s) => `${s.text}${s.citations.length > 0 ? ` ${s.citations.map((d) => `[${number(d)}]`).join('')}` : ''}`).join(' '),
      '',
    );
  }
  const documents = new Map(stored.documents.map((d) => [d.docId, d]));
  lines.push('Sources:');
  for (const [docId, n] of numbers) {
    const doc = documents.get(docId);
    lines.push(`  [${n}] ${docId} — ${doc ? `${doc.title} (${doc.kind}, ${doc.date})` : 'unknown document'}`);
  }
  for (const finding of stored.verification.findings) lines.push(`  finding: ${finding.kind}: ${finding.detail}`);
  lines.push(
    '',
    `source snapshot ${stored.sourceHash.slice(0, 16)}… · run ${stored.runId} · cost $${stored.costUsd.toFixed(5)}${stored.costEstimated ? ' (estimated)' : ''}`,
  );
  return lines.join('\n');
}

const program = cli('show', 'Print the latest stored brief for a ticker')
  .argument('<ticker>', 'stock symbol')
  .option('--length <length>', 'hook | medium | expanded', 'medium');

runCli(program, OptionsSchema, async (options) => {
  const runtime = await startLocalRuntime();
  try {
    const { batchDependencies } = await import('../lambdas/wiring/batch');
    const deps = await batchDependencies();
    const stored = await deps.repositories.summaries.getLatest(options.ticker);
    await deps.close();
    if (!stored) fail(`no brief stored for ${options.ticker}: run \`npm start\` or \`npm run batch -- --tickers ${options.ticker}\` first`);
    if (options.json) {
      printJson({ ...stored, summary: { [options.length]: stored.summary[options.length] } });
    } else {
      process.stdout.write(`${renderBrief(stored, options.length)}\n`);
    }
  } finally {
    await runtime.close();
  }
});
