/**
 * Runs every closer in order, even when some fail, and empties the list; the first failure is
 * rethrown at the end. Shutting down must not stop halfway because one connection was broken.
 */
export async function closeAll(closers: (() => Promise<unknown>)[]): Promise<void> {
  let failure: unknown;
  for (const close of closers.splice(0)) {
    try {
      await close();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}
