/**
 * Runs statemachines/stock-batch.asl.json in aws-local-stepfunctions with every Task state mapped
 * to the same Lambda handler, invoked in-process with a Lambda-like context.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { StateMachine } from 'aws-local-stepfunctions';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';

/** What flows between states: plain JSON. */
type Json = Parameters<StateMachine['run']>[0];

export const STOCK_BATCH_ASL = new URL('../statemachines/stock-batch.asl.json', import.meta.url);

/** The ASL with its CDK substitution variables filled with local placeholders. */
export function localDefinition(file: URL = STOCK_BATCH_ASL): StateMachineDefinition {
  const text = readFileSync(file, 'utf8').replace(/\$\{(\w+)\}/g, (_, name: string) =>
    name.endsWith('Arn') ? `arn:aws:lambda:us-east-1:000000000000:function:${name.replace(/FunctionArn$/, '')}` : `local-${name}`,
  );
  return JSON.parse(text) as StateMachineDefinition;
}

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

function lambdaContext(functionName: string): Context {
  const deadline = Date.now() + 15 * 60_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export interface BatchHandlers {
  PrepareBatch: LambdaHandler;
  ProcessStock: LambdaHandler;
  RecordFailure: LambdaHandler;
  FinalizeBatch: LambdaHandler;
}

export interface RunObserver {
  prepared?(run: { runId: string; tickers: string[] }): void;
  stockDone?(result: { ticker: string; failed: boolean }): void;
}

/** Execute the batch state machine; resolves with FinalizeBatch's output. */
export async function runStockBatch(input: Json, handlers: BatchHandlers, observer: RunObserver = {}): Promise<unknown> {
  const machine = new StateMachine(localDefinition());
  const call = (name: keyof BatchHandlers) => async (event: unknown) => (await handlers[name](event, lambdaContext(name))) as Json;
  const execution = machine.run(input, {
    overrides: {
      taskResourceLocalHandlers: {
        PrepareBatch: async (event: unknown) => {
          const run = (await call('PrepareBatch')(event)) as { runId: string; tickers: string[] };
          observer.prepared?.(run);
          return run;
        },
        ProcessStock: async (event: unknown) => {
          const result = (await call('ProcessStock')(event)) as { ticker: string };
          observer.stockDone?.({ ticker: result.ticker, failed: false });
          return result;
        },
        RecordFailure: async (event: unknown) => {
          const result = (await call('RecordFailure')(event)) as { ticker: string };
          observer.stockDone?.({ ticker: result.ticker, failed: true });
          return result;
        },
        FinalizeBatch: call('FinalizeBatch'),
      },
    },
  });
  return execution.result;
}
