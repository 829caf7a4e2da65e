/**
 * Memoizes an async factory for the life of the container: the first call starts it, later calls share the same
 * promise. A rejected attempt is forgotten, so a transient failure (a secret read during a throttling burst) is
 * retried by the next invocation instead of poisoning the container until it is recycled.
 */
export const once = <T>(factory: () => Promise<T>): (() => Promise<T>) => {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= factory().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
};
