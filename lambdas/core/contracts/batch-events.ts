/** zod schemas for the events the batch state machine passes to its Task states. */
import { z } from 'zod';
import { InputValidationError } from '../errors';
import { firstIssue } from '../validation';

export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(value)) && new Date(value).toISOString().startsWith(value), 'is not a real calendar date');

export const TickerSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][A-Z0-9.\-]{0,9}$/, 'must be a stock symbol such as ABC');

export const PrepareBatchEventSchema = z
  .object({
    asOf: IsoDateSchema.optional(),
    limit: z.number().int().positive().optional(),
    tickers: z.array(TickerSchema).min(1).max(5000).optional(),
    /** Map MaxConcurrency: at most 100 children at once, the Bedrock and DynamoDB budget the design is sized for. */
    concurrency: z.number().int().min(1).max(100).default(100),
    runId: z
      .string()
      .regex(/^[\w.-]{1,80}$/)
      .optional(),
  })
  .strict();
export type PrepareBatchEvent = z.infer<typeof PrepareBatchEventSchema>;

export const StockItemSchema = z.object({ runId: z.string().min(1), asOf: IsoDateSchema, ticker: TickerSchema });
export type StockItem = z.infer<typeof StockItemSchema>;

export const RecordFailureEventSchema = StockItemSchema.extend({
  error: z.object({ Error: z.string().default('Unknown'), Cause: z.string().optional() }),
});

export const FinalizeBatchEventSchema = z.object({ runId: z.string().min(1) });

/** Parse an event or throw a one-line InputValidationError naming the field. */
export function parseEvent<T extends z.ZodType>(schema: T, event: unknown): z.infer<T> {
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  const { path, message } = firstIssue(parsed.error);
  throw new InputValidationError(`${path ?? 'event'} ${message}`);
}
