/**
 * A hard deadline for a promise: whatever the client library does with its own timeouts, the caller
 * gets an answer within `ms`. The timer is always cleared, so a finished call leaves nothing behind
 * to keep the process (or a Lambda invocation) alive.
 */

/** Thrown when a call passes its deadline. */
export class DeadlineExceededError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Resolve or reject with `work()`, or reject with `DeadlineExceededError` after `ms`. The late
 * outcome of `work()` is swallowed (it is nobody's business any more), never left unhandled.
 */
export async function withDeadline<T>(work: () => Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const running = Promise.resolve().then(work);
  running.catch(() => undefined);
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(ms)), ms);
  });
  try {
    return await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
