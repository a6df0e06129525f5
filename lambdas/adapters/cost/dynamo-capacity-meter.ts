/**
 * Measures the DynamoDB capacity a unit of work really consumes: a middleware on the DynamoDB
 * client asks every data-plane call for `ReturnConsumedCapacity: TOTAL` and reports the units
 * DynamoDB (or dynalite, which computes them the same way) says it charged. On-demand tables bill
 * exactly these read and write request units, so infrastructure cost is measured, not guessed.
 */
import type {
  InitializeHandler,
  InitializeHandlerArguments,
  InitializeHandlerOutput,
  InitializeMiddleware,
  MiddlewareStack,
} from '@smithy/types';
import type { ConsumedCapacity } from '../../core/cost/infrastructure';

const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sum of `CapacityUnits` in a ConsumedCapacity member (one object, or one per table for batches). */
export function capacityUnitsOf(consumed: unknown): number {
  const items = Array.isArray(consumed) ? consumed : [consumed];
  let units = 0;
  for (const item of items) if (isRecord(item) && typeof item.CapacityUnits === 'number') units += item.CapacityUnits;
  return units;
}

/**
 * Add the meter to a DynamoDB client (a DynamoDBDocumentClient shares its base client's stack, so
 * either may be passed). `onConsumed` receives each call's units as they come back.
 */
export function meterConsumedCapacity(
  client: { middlewareStack: Pick<MiddlewareStack<object, object>, 'add'> },
  onConsumed: (consumed: ConsumedCapacity) => void,
): void {
  const middleware: InitializeMiddleware<object, object> =
    (next: InitializeHandler<object, object>, context) =>
    async (args: InitializeHandlerArguments<object>): Promise<InitializeHandlerOutput<object>> => {
      const command = typeof context.commandName === 'string' ? context.commandName : '';
      const read = READS.has(command);
      if (!read && !WRITES.has(command)) return next(args);
      const input: unknown = args.input;
      if (isRecord(input) && input.ReturnConsumedCapacity === undefined) input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const output: unknown = result.output;
      const units = isRecord(output) ? capacityUnitsOf(output.ConsumedCapacity) : 0;
      if (units > 0) onConsumed(read ? { readUnits: units, writeUnits: 0 } : { readUnits: 0, writeUnits: units });
      return result;
    };
  client.middlewareStack.add(middleware, { step: 'initialize', name: 'faConsumedCapacityMeter', override: true });
}
