/** An ops command cannot do what was asked; the message is the one line the operator reads. */
export class OpsError extends Error {
  override readonly name = 'OpsError';
}
