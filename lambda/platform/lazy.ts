/**
 * Runs `load` on first use and keeps its result; a failure is not kept, so the next call tries
 * again (a secret put after the function started is picked up without a redeploy).
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
