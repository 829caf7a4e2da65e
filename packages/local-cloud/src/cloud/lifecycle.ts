/**
 * Starting and stopping many parts as one: each part's stop is registered as soon as it is up, and stops run
 * last-started first, so a part never outlives what it depends on.
 */

/** The stop functions of the parts started so far, and one call that stops them all. */
export interface Stops {
  /** Registers a stop; it runs before every stop registered earlier. */
  add(stop: () => Promise<void> | void): void;
  /** Runs every registered stop once (errors are ignored: the rest must stop too); safe to call more than once. */
  stopAll(): Promise<void>;
}

/** A new, empty {@link Stops}. */
export const createStops = (): Stops => {
  const stops: (() => Promise<void> | void)[] = [];
  return {
    add: (stop) => {
      stops.push(stop);
    },
    stopAll: async () => {
      for (const stop of stops.splice(0).reverse()) await Promise.resolve(stop()).catch(() => undefined);
    },
  };
};

/** Registers the stop function of a started component as soon as it is up. */
export const track = async <T extends { stop(): Promise<void> }>(
  starting: Promise<T>,
  stops: Stops,
): Promise<T> => {
  const component = await starting;
  stops.add(() => component.stop());
  return component;
};

/**
 * The values of settled starts, or the first failure. `allSettled`, not `all`: when one part fails, the others must
 * have finished starting so they can be stopped.
 */
export const settledOrThrow = <T extends readonly unknown[]>(
  results: {
    readonly [K in keyof T]: PromiseSettledResult<T[K]>;
  },
): T => {
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
};
