/** Bad arguments or input: the CLI exits 2 with the message on one line. */
export class UsageError extends Error {
  override name = 'UsageError';
}
