import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import aslValidator from 'asl-validator';
import { StateMachine } from 'aws-local-stepfunctions';
import { localDefinition, runStockBatch, STOCK_BATCH_ASL } from '../../local/state-machine';
import type { BatchHandlers } from '../../local/state-machine';
import { RETRYABLE_ERROR_NAMES } from '../../lambdas/core/errors';

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
}

/** Every state of the definition, nested Map processors included. */
function allStates(definition: { States: Record<string, Record<string, unknown>> }): Array<[string, Record<string, unknown>]> {
  return Object.entries(definition.States).flatMap(([name, state]) => [
    [name, state] as [string, Record<string, unknown>],
    ...(state.ItemProcessor ? allStates(state.ItemProcessor as { States: Record<string, Record<string, unknown>> }) : []),
  ]);
}

/** Our own lint: asl-validator accepts retry blocks Step Functions would handle badly. */
function lintRetries(definition: { States: Record<string, Record<string, unknown>> }): string[] {
  const problems: string[] = [];
  for (const [name, state] of allStates(definition)) {
    const retriers = (state.Retry ?? []) as Retrier[];
    retriers.forEach((retrier, index) => {
      const where = `${name}.Retry[${index}]`;
      if (retrier.ErrorEquals.includes('States.ALL') && (index !== retriers.length - 1 || retrier.ErrorEquals.length !== 1)) {
        problems.push(`${where}: States.ALL must stand alone in the last retrier`);
      }
      if ((retrier.BackoffRate ?? 2) < 1) problems.push(`${where}: BackoffRate below 1`);
      if (retrier.JitterStrategy !== 'FULL') problems.push(`${where}: JitterStrategy is not FULL`);
      if (!retrier.MaxAttempts || retrier.MaxAttempts > 10) problems.push(`${where}: MaxAttempts must be set and at most 10`);
      if (!retrier.MaxDelaySeconds) problems.push(`${where}: MaxDelaySeconds must cap the backoff`);
    });
    if (state.Type === 'Task' && retriers.length === 0) problems.push(`${name}: a Task without a Retry`);
  }
  return problems;
}

const definition = localDefinition() as unknown as { States: Record<string, Record<string, unknown>> };

function handlers(overrides: Partial<BatchHandlers> = {}): BatchHandlers & { failures: unknown[] } {
  const failures: unknown[] = [];
  return {
    failures,
    PrepareBatch: async (event) => ({
      runId: 'r1',
      asOf: '2026-11-24',
      tickers: ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF'],
      concurrency: (event as { concurrency?: number }).concurrency ?? 2,
    }),
    ProcessStock: async (event) => ({ ticker: (event as { ticker: string }).ticker }),
    RecordFailure: async (event) => {
      failures.push(event);
      return { ticker: (event as { ticker: string }).ticker };
    },
    FinalizeBatch: async (event) => ({ finalized: event }),
    ...overrides,
  };
}

describe('the stock-batch state machine definition', () => {
  it('is valid Amazon States Language', () => {
    const { isValid, errorsText } = aslValidator(definition as never);
    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
  });

  it('passes our retry lint: States.ALL last, backoff ≥ 1, full jitter, bounded attempts and delays', () => {
    expect(lintRetries(definition)).toEqual([]);
  });

  it('the lint catches a bad retrier', () => {
    const bad = structuredClone(definition);
    (bad.States.PrepareBatch!.Retry as Retrier[]).unshift({ ErrorEquals: ['States.ALL'], BackoffRate: 0.5, MaxAttempts: 50 });
    expect(lintRetries(bad).map((p) => p.replace(/^.*: /, ''))).toEqual([
      'States.ALL must stand alone in the last retrier',
      'BackoffRate below 1',
      'JitterStrategy is not FULL',
      'MaxAttempts must be set and at most 10',
      'MaxDelaySeconds must cap the backoff',
    ]);
  });

  it('retries every retryable error name the code throws', () => {
    const processStock = allStates(definition).find(([name]) => name === 'ProcessStock')![1];
    const retried = (processStock.Retry as Retrier[]).flatMap((r) => r.ErrorEquals);
    for (const name of RETRYABLE_ERROR_NAMES) expect(retried).toContain(name);
  });

  it('declares the distributed-map settings AWS needs, which the local runner ignores', () => {
    const map = definition.States.ProcessStocks!;
    expect(map.ToleratedFailurePercentage).toBe(5);
    expect((map.ItemProcessor as { ProcessorConfig: { Mode: string } }).ProcessorConfig.Mode).toBe('DISTRIBUTED');
    expect(map.MaxConcurrencyPath).toBe('$.run.concurrency');
    expect(readFileSync(STOCK_BATCH_ASL, 'utf8')).toContain('${ProcessStockFunctionArn}');
  });
});

describe('running the definition locally', () => {
  it('turns a failing stock into a recorded failure and still finalizes the run', async () => {
    const h = handlers({
      ProcessStock: async (event) => {
        const { ticker } = event as { ticker: string };
        if (ticker === 'CCC') throw Object.assign(new Error('source exploded'), { name: 'SourceFormatError' });
        return { ticker };
      },
    });
    const result = await runStockBatch({}, h);
    expect(result).toEqual({ finalized: { runId: 'r1' } });
    expect(h.failures).toEqual([
      { runId: 'r1', asOf: '2026-11-24', ticker: 'CCC', error: { Error: 'SourceFormatError', Cause: 'source exploded' } },
    ]);
  });

  it('retries throttling before giving up on a stock', async () => {
    let calls = 0;
    const machine = new StateMachine(localDefinition() as never);
    const h = handlers({
      ProcessStock: async (event) => {
        calls += 1;
        if (calls <= 2) throw Object.assign(new Error('slow down'), { name: 'ModelThrottledError' });
        return { ticker: (event as { ticker: string }).ticker };
      },
    });
    const execution = machine.run(
      {},
      {
        overrides: {
          taskResourceLocalHandlers: {
            PrepareBatch: async () => ({ runId: 'r1', asOf: '2026-11-24', tickers: ['AAA'], concurrency: 1 }),
            ProcessStock: (e) => h.ProcessStock(e, {} as never) as never,
            RecordFailure: (e) => h.RecordFailure(e, {} as never) as never,
            FinalizeBatch: (e) => h.FinalizeBatch(e, {} as never) as never,
          },
          retryIntervalOverrides: { ProcessStock: 0 },
        },
      },
    );
    await execution.result;
    expect(calls).toBe(3);
    expect(h.failures).toEqual([]);
  });

  it('never runs more stocks at once than the concurrency the run asks for', async () => {
    let inFlight = 0;
    let peak = 0;
    const h = handlers({
      ProcessStock: async (event) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        return { ticker: (event as { ticker: string }).ticker };
      },
    });
    await runStockBatch({ concurrency: 2 }, h);
    expect(peak).toBe(2);
  });
});
