import { describe, expect, it } from 'vitest';
import { checkStores } from '../../bench/chaos-checks';
import type { StoreContents } from '../../bench/chaos-checks';
import { attemptsPerExecution } from '../../bench/chaos-run';

function healthyRun(): StoreContents {
  const tickers = ['AAA', 'BBB', 'CCC', 'DDD'];
  return {
    runId: 'run-1',
    asOf: '2026-12-04',
    tickers,
    auditStatus: 'succeeded',
    outcomes: [
      { ticker: 'AAA', status: 'verified', findings: 0 },
      { ticker: 'BBB', status: 'regenerated', findings: 2 },
      { ticker: 'CCC', status: 'facts_only', findings: 5 },
      { ticker: 'DDD', status: 'failed', findings: 0, error: 'ModelThrottledError: throttled past retries' },
    ],
    history: ['AAA', 'BBB', 'CCC'].map((ticker) => ({ ticker, sk: `RUN#2026-12-04#run-1`, runId: 'run-1', status: 'verified' })),
    batchLedger: {
      total: { costUsd: 0.3, attempts: 5 },
      units: [
        { kind: 'stock', unitId: 'AAA', costUsd: 0.1, attempts: 1 },
        { kind: 'stock', unitId: 'BBB', costUsd: 0.1, attempts: 2 },
        { kind: 'stock', unitId: 'CCC', costUsd: 0.05, attempts: 1 },
        { kind: 'stock', unitId: 'DDD', costUsd: 0.05, attempts: 1 },
      ],
    },
    queryLedgers: [
      {
        total: { costUsd: 0.02, attempts: 2 },
        units: [
          { kind: 'query', unitId: 'q1', costUsd: 0.01, attempts: 1 },
          { kind: 'query', unitId: 'q2', costUsd: 0.01, attempts: 1 },
        ],
      },
    ],
  };
}

describe('the chaos store checks', () => {
  it('pass a run whose every stock is stored once or failed with its reason, and count them', () => {
    const check = checkStores(healthyRun(), 20);
    expect(check.problems).toEqual([]);
    expect(check.batch).toEqual({ stocks: 4, stored: 3, lost: 0, duplicated: 0, factsOnly: 1, failed: 1 });
  });

  it('count a stock with no outcome, or whose outcome has no brief, as lost', () => {
    const noOutcome = healthyRun();
    noOutcome.outcomes = noOutcome.outcomes.filter((o) => o.ticker !== 'AAA');
    expect(checkStores(noOutcome, 20).batch.lost).toBe(1);
    const noBrief = healthyRun();
    noBrief.history = noBrief.history.filter((h) => h.ticker !== 'BBB');
    const check = checkStores(noBrief, 20);
    expect(check.batch).toMatchObject({ lost: 1, stored: 2 });
    expect(check.problems.join('\n')).toMatch(/BBB lost: its outcome says regenerated but run run-1 stored no brief/);
  });

  it('count a planted second brief for the same date under another run id, or a second ledger row, as duplicated', () => {
    const twoBriefs = healthyRun();
    twoBriefs.history.push({ ticker: 'AAA', sk: 'RUN#2026-12-04#run-restarted', runId: 'run-restarted', status: 'verified' });
    expect(checkStores(twoBriefs, 20).batch.duplicated).toBe(1);
    const twoRows = healthyRun();
    twoRows.batchLedger.units.push({ kind: 'stock', unitId: 'ccc', costUsd: 0, attempts: 0 });
    expect(checkStores(twoRows, 20).batch.duplicated).toBe(1);
  });

  it('fail a ledger whose run totals are not the sum of its unit rows, a facts-only brief without findings, a failure without a reason and unbounded retries', () => {
    const bad = healthyRun();
    bad.batchLedger.total = { costUsd: 0.31, attempts: 5 };
    bad.queryLedgers[0]!.total = { costUsd: 0.02, attempts: 3 };
    bad.outcomes[2] = { ticker: 'CCC', status: 'facts_only', findings: 0 };
    bad.outcomes[3] = { ticker: 'DDD', status: 'failed', findings: 0 };
    bad.batchLedger.units[1]!.attempts = 2;
    const problems = checkStores(bad, 1).problems.join('\n');
    expect(problems).toMatch(/ledger run run-1: run total \$0.31 but its unit rows add up to \$0.300000000/);
    expect(problems).toMatch(/ledger queries #1: run total of 3 attempts but its unit rows add up to 2/);
    expect(problems).toMatch(/CCC is facts-only without the verifier's findings/);
    expect(problems).toMatch(/DDD failed without a reason/);
    expect(problems).toMatch(/BBB took 2 attempts, more than the retry policy's 1/);
  });

  it('report ledger drift within the attempts a kill -9 can cut as a finding, and beyond it as a problem', () => {
    const drifted = healthyRun();
    drifted.batchLedger.total = { costUsd: 0.2, attempts: 4 };
    const withinKill = checkStores(drifted, 20, 100);
    expect(withinKill.problems).toEqual([]);
    expect(withinKill.findings.join('\n')).toMatch(/cut by the kill -9/);
    expect(checkStores(drifted, 20, 0).problems.length).toBeGreaterThan(0);
  });

  it("bound a stock's attempts by the state machine's ProcessStock retry policy", () => {
    expect(attemptsPerExecution()).toBe(10);
  });
});
