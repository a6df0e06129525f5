/**
 * What `npm run chaos` checks once the faults are over, read back from the stores for real
 * (DynamoDB scans through the SDK, never the runner's own counters):
 *
 * - every stock of the run stored exactly once: one outcome, and for a stock that succeeded one
 *   brief in the summaries' history for the run's as-of date (a verified brief, or facts-only with
 *   the verifier's findings that made it so); a failed stock carries its reason;
 * - no stock lost (no outcome, or an outcome whose brief is missing) and none duplicated (two
 *   briefs for one stock and date, two outcomes or two ledger rows for one stock);
 * - the cost ledger's run totals equal the sum of its per-unit rows, for the batch and the queries;
 * - every stock's attempts bounded by the state machine's retry policy;
 * - every answer served carries only figures the stored fact snapshots verify.
 */
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FactSnapshot, StockStatus } from '../lambdas/core/model/index';
import type { TableNames } from '../lambdas/core/contracts/tables';
import { checkOutput } from '../lambdas/core/guardrails/output-guardrails';
import { extractClaims } from '../lambdas/core/grounding/index';
import type { OutputFlag } from '../lambdas/core/guardrails/output-guardrails';

export interface OutcomeRow {
  ticker: string;
  status: StockStatus;
  findings: number;
  error?: string;
}

export interface SummaryRow {
  ticker: string;
  /** `RUN#<asOf>#<runId>` for history rows. */
  sk: string;
  runId: string;
  status: string;
}

export interface LedgerUnitRow {
  kind: string;
  unitId: string;
  costUsd: number;
  attempts: number;
}

export interface LedgerRun {
  /** The run's totals row (`pk = RUNS`), absent when nothing was recorded. */
  total?: { costUsd: number; attempts: number };
  units: LedgerUnitRow[];
}

/** Everything the checks read, as the stores hold it. */
export interface StoreContents {
  runId: string;
  asOf: string;
  /** The tickers the run was asked to process (its audit). */
  tickers: string[];
  auditStatus?: string;
  outcomes: OutcomeRow[];
  /** History rows of the run's as-of date, of every run (a second run id would be a duplicate). */
  history: SummaryRow[];
  batchLedger: LedgerRun;
  queryLedgers: LedgerRun[];
}

export interface BatchCheck {
  stocks: number;
  stored: number;
  lost: number;
  duplicated: number;
  factsOnly: number;
  failed: number;
}

export interface StoreCheck {
  batch: BatchCheck;
  /** One line per thing wrong, for stderr; empty when every check passed. */
  problems: string[];
  /**
   * Known damage a kill -9 does and the run survives: the cost ledger's run totals drifting from
   * its unit rows by attempts that were in flight when the batch was killed (its two UpdateItems
   * per attempt are not one transaction). Reported, not failed, within that bound.
   */
  findings: string[];
}

const SUCCEEDED: ReadonlySet<string> = new Set(['verified', 'regenerated', 'facts_only']);
const USD_TOLERANCE = 1e-6;

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    groups.set(k, [...(groups.get(k) ?? []), row]);
  }
  return groups;
}

function ledgerProblems(name: string, ledger: LedgerRun): string[] {
  return ledgerDrift(name, ledger).lines;
}

function ledgerDrift(name: string, ledger: LedgerRun): { lines: string[]; attempts: number } {
  if (!ledger.total && ledger.units.length === 0) return { lines: [], attempts: 0 };
  const total = ledger.total ?? { costUsd: 0, attempts: 0 };
  const sumUsd = ledger.units.reduce((sum, u) => sum + u.costUsd, 0);
  const sumAttempts = ledger.units.reduce((sum, u) => sum + u.attempts, 0);
  const problems: string[] = [];
  if (Math.abs(total.costUsd - sumUsd) > USD_TOLERANCE)
    problems.push(`ledger ${name}: run total $${total.costUsd} but its unit rows add up to $${sumUsd.toFixed(9)}`);
  if (total.attempts !== sumAttempts)
    problems.push(`ledger ${name}: run total of ${total.attempts} attempts but its unit rows add up to ${sumAttempts}`);
  return { lines: problems, attempts: Math.abs(total.attempts - sumAttempts) };
}

/**
 * Check the stores after a chaos run.
 * @param maxAttemptsPerStock the most attempts the retry policy allows one stock over every execution of the run.
 */
export function checkStores(
  contents: StoreContents,
  maxAttemptsPerStock: number,
  /** Attempts that a kill -9 may have cut between their two ledger writes (the Map's concurrency; 0 without a kill). */
  interruptedAttempts = 0,
): StoreCheck {
  const problems: string[] = [];
  const findings: string[] = [];
  const outcomes = groupBy(contents.outcomes, (o) => o.ticker.toUpperCase());
  const history = groupBy(
    contents.history.filter((h) => h.sk.startsWith(`RUN#${contents.asOf}#`)),
    (h) => h.ticker.toUpperCase(),
  );
  const units = groupBy(
    contents.batchLedger.units.filter((u) => u.kind === 'stock'),
    (u) => u.unitId.toUpperCase(),
  );
  const batch: BatchCheck = { stocks: contents.tickers.length, stored: 0, lost: 0, duplicated: 0, factsOnly: 0, failed: 0 };
  if (contents.auditStatus !== 'succeeded') problems.push(`run ${contents.runId} is ${contents.auditStatus ?? 'missing'}, not succeeded`);
  for (const ticker of contents.tickers) {
    const own = outcomes.get(ticker) ?? [];
    const briefs = history.get(ticker) ?? [];
    const ledgerRows = units.get(ticker) ?? [];
    if (own.length > 1 || briefs.length > 1 || ledgerRows.length > 1) {
      batch.duplicated += 1;
      problems.push(
        `${ticker} duplicated: ${own.length} outcomes, ${briefs.length} briefs for ${contents.asOf}, ${ledgerRows.length} ledger rows`,
      );
    }
    const outcome = own[0];
    if (!outcome) {
      batch.lost += 1;
      problems.push(`${ticker} lost: no outcome in run ${contents.runId}`);
      continue;
    }
    if (outcome.status === 'failed') {
      batch.failed += 1;
      if (!outcome.error) problems.push(`${ticker} failed without a reason`);
      else findings.push(`${ticker} failed, recorded with its reason: ${outcome.error.slice(0, 300)}`);
    } else if (SUCCEEDED.has(outcome.status)) {
      const brief = briefs.find((b) => b.runId === contents.runId);
      if (!brief) {
        batch.lost += 1;
        problems.push(`${ticker} lost: its outcome says ${outcome.status} but run ${contents.runId} stored no brief for it`);
        continue;
      }
      batch.stored += 1;
      if (outcome.status === 'facts_only') {
        batch.factsOnly += 1;
        if (outcome.findings === 0) problems.push(`${ticker} is facts-only without the verifier's findings that made it so`);
      }
    }
    const attempts = ledgerRows.reduce((sum, u) => sum + u.attempts, 0);
    if (attempts > maxAttemptsPerStock)
      problems.push(`${ticker} took ${attempts} attempts, more than the retry policy's ${maxAttemptsPerStock}`);
  }
  const known = new Set(contents.tickers);
  for (const ticker of outcomes.keys()) if (!known.has(ticker)) problems.push(`${ticker} has an outcome but is not a stock of the run`);
  const drift = ledgerDrift(`run ${contents.runId}`, contents.batchLedger);
  if (drift.lines.length > 0 && drift.attempts > 0 && drift.attempts <= interruptedAttempts)
    findings.push(...drift.lines.map((line) => `${line} (attempts cut by the kill -9 between their two ledger writes)`));
  else problems.push(...drift.lines);
  contents.queryLedgers.forEach((ledger, i) => problems.push(...ledgerProblems(`queries #${i + 1}`, ledger)));
  return { batch, problems, findings };
}

/** The figure flags: a sentence whose number, scale, period or date the facts do not bear out. */
const FIGURE_FLAGS: ReadonlySet<OutputFlag> = new Set(['ungrounded_number', 'wrong_scale', 'wrong_period', 'future_date']);

export interface ServedAnswer {
  tickers: string[];
  sentences: Array<{ text: string; citations: number[] }>;
  /** With the passage or data line each citation quotes: what a sentence's figure may rest on. */
  citations: Array<{ n: number; sourceId: string; quote?: string }>;
}

/**
 * The sentences of a served answer whose figures the stored fact snapshots of its stocks do not
 * verify (empty when every figure is verified).
 */
export function unverifiedFigures(answer: ServedAnswer, snapshot: FactSnapshot): string[] {
  const sourceOf = new Map(answer.citations.map((c) => [c.n, c.sourceId]));
  // Only sentences that state a figure: a sentence of prose rests on passages, which are not facts.
  const sentences = answer.sentences
    .filter((s) => extractClaims(s.text).some((c) => c.kind === 'numeric'))
    .map((s) => ({
      text: s.text,
      citations: s.citations.flatMap((n) => (sourceOf.has(n) ? [sourceOf.get(n)!] : [])),
    }));
  if (sentences.length === 0) return [];
  const documentText = Object.fromEntries(answer.citations.map((c) => [c.sourceId, c.quote ?? '']));
  const check = checkOutput(sentences, snapshot, { knownEntities: answer.tickers, documentText });
  return check.removed.filter((r) => FIGURE_FLAGS.has(r.flag)).map((r) => `${r.flag}: ${r.text}`);
}

async function scanAll(
  doc: DynamoDBDocumentClient,
  input: ConstructorParameters<typeof ScanCommand>[0],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function queryAll(
  doc: DynamoDBDocumentClient,
  input: ConstructorParameters<typeof QueryCommand>[0],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

async function ledgerRun(doc: DynamoDBDocumentClient, table: string, runId: string): Promise<LedgerRun> {
  const totals = await queryAll(doc, {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND sk = :sk',
    ExpressionAttributeValues: { ':pk': 'RUNS', ':sk': `RUN#${runId}` },
  });
  const rows = await queryAll(doc, {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :unit)',
    ExpressionAttributeValues: { ':pk': `RUN#${runId}`, ':unit': 'UNIT#' },
  });
  const total = totals[0];
  return {
    ...(total ? { total: { costUsd: num(total.costUsd), attempts: num(total.attempts) } } : {}),
    units: rows.map((r) => ({ kind: str(r.kind), unitId: str(r.unitId), costUsd: num(r.costUsd), attempts: num(r.attempts) })),
  };
}

/** Read what the checks need from DynamoDB: scans and queries through the SDK. */
export async function readStores(doc: DynamoDBDocumentClient, names: TableNames, runId: string): Promise<StoreContents> {
  const run = await queryAll(doc, {
    TableName: names.runs,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': `RUN#${runId}` },
  });
  const audit = run.find((item) => item.sk === 'AUDIT');
  const asOf = str(audit?.asOf);
  const outcomes = run
    .filter((item) => str(item.sk).startsWith('STOCK#'))
    .map((item) => ({
      ticker: str(item.ticker),
      status: str(item.status) as StockStatus,
      findings: num(item.findings),
      ...(typeof item.error === 'string' ? { error: item.error } : {}),
    }));
  const history = (
    await scanAll(doc, {
      TableName: names.summaries,
      FilterExpression: 'begins_with(sk, :run)',
      ExpressionAttributeValues: { ':run': `RUN#${asOf}#` },
      ProjectionExpression: 'pk, sk, ticker, runId, #status',
      ExpressionAttributeNames: { '#status': 'status' },
    })
  ).map((item) => ({ ticker: str(item.ticker), sk: str(item.sk), runId: str(item.runId), status: str(item.status) }));
  const queryRunIds = (
    await queryAll(doc, {
      TableName: names.costLedger,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :queries)',
      ExpressionAttributeValues: { ':pk': 'RUNS', ':queries': 'RUN#queries-' },
    })
  ).map((item) => str(item.sk).slice('RUN#'.length));
  return {
    runId,
    asOf,
    tickers: Array.isArray(audit?.tickers) ? (audit.tickers as unknown[]).map(str) : [],
    ...(audit ? { auditStatus: str(audit.status) } : {}),
    outcomes,
    history,
    batchLedger: await ledgerRun(doc, names.costLedger, runId),
    queryLedgers: await Promise.all(queryRunIds.map((id) => ledgerRun(doc, names.costLedger, id))),
  };
}
