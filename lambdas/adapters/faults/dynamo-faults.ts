/**
 * DynamoDB faults through the SDK's own middleware stack: a middleware inside the retry step that
 * answers a drawn request with a throttling error or a 500 instead of sending it. The SDK's retry
 * strategy sees exactly what a real throttled or failing table returns, so its backoff, attempt
 * limit and error mapping are the ones under test. Nothing reaches the table on an injected fault,
 * so no write is ever applied twice by one.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FaultPlan } from './fault-plan';

function injectedError(kind: 'dynamo_throttle' | 'dynamo_5xx'): Error {
  return kind === 'dynamo_throttle'
    ? Object.assign(new Error('The level of configured provisioned throughput for the table was exceeded (injected).'), {
        name: 'ProvisionedThroughputExceededException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      })
    : Object.assign(new Error('Internal server error (injected).'), {
        name: 'InternalServerError',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
      });
}

/** Add the plan's DynamoDB faults to `client` (and to every document client built over it). */
export function injectDynamoFaults(client: DynamoDBClient, plan: FaultPlan): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const fault = plan.nextDynamoFault();
      if (fault) {
        plan.record(fault, String(context.commandName ?? 'request'));
        throw injectedError(fault);
      }
      return next(args);
    },
    // finalizeRequest runs once per attempt inside the retry middleware (which is `high` in this step).
    { step: 'finalizeRequest', priority: 'low', name: 'faInjectedDynamoFaults' },
  );
}
