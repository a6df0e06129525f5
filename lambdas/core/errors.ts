/**
 * Error classes. Each sets `name` because Step Functions `ErrorEquals` and the model router match
 * on it: retryable failures get distinct names from permanent ones.
 */

abstract class NamedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input at an entry point: a one-line reason, never retried. */
export class InputValidationError extends NamedError {}

/** Configuration or environment that cannot be parsed: fail loudly at start-up. */
export class ConfigError extends NamedError {}

/** The model provider throttled us (Bedrock `ThrottlingException`, 429). Retryable. */
export class ModelThrottledError extends NamedError {}

/** A model call passed its deadline. Retryable. */
export class ModelTimeoutError extends NamedError {}

/** The provider rejected the request as malformed (Bedrock `ValidationException`). Not retryable. */
export class ModelValidationError extends NamedError {}

/** Access denied or model not enabled for the account. Not retryable. */
export class ModelAccessError extends NamedError {}

/** A 5xx or unexpected failure from the provider. Retryable. */
export class ModelServiceError extends NamedError {}

/** A source (EDGAR, vendor API) failed after its own retries. Recorded per source, never fatal for a stock. */
export class SourceUnavailableError extends NamedError {}

/** A source answered but its payload does not have the documented shape. */
export class SourceFormatError extends NamedError {}

/** The requested stock or item does not exist. */
export class NotFoundError extends NamedError {}

/** Errors that Step Functions should retry with backoff (their names appear in the ASL Retry blocks). */
export const RETRYABLE_ERROR_NAMES = ['ModelThrottledError', 'ModelTimeoutError', 'ModelServiceError'] as const;

/** A short, single-line description of any thrown value, safe to store and print. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.split('\n')[0]!.slice(0, 500);
  return String(error).split('\n')[0]!.slice(0, 500);
}
