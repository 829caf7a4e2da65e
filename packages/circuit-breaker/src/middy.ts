import type { MiddlewareObj, Request } from '@middy/core';
import type { CircuitBreaker } from './breaker.js';
import { CircuitOpenError } from './errors.js';

/** The key under which the middleware keeps an invocation's guarded call in `request.internal`. */
const PENDING = 'breakwater-circuit-breaker.pending';

/** The invocation's call, admitted by the circuit and waiting for the handler's outcome. */
interface Pending {
  readonly settle: { resolve(value: unknown): void; reject(error: unknown): void };
  readonly run: Promise<unknown>;
}

/**
 * Options of {@link circuitBreakerMiddleware}.
 *
 * @example
 * ```ts
 * const options: CircuitBreakerMiddlewareOptions = {
 *   breaker: (request) => breakers.for(`gateway:${request.event.merchantId}`),
 *   fallback: () => ({ statusCode: 503, body: 'try again later' }),
 * };
 * ```
 */
export interface CircuitBreakerMiddlewareOptions<TEvent = unknown, TResult = unknown> {
  /** The circuit that guards the handler, or how to pick it from the request (a per-key circuit). */
  readonly breaker: CircuitBreaker | ((request: Request<TEvent, TResult>) => CircuitBreaker);
  /**
   * What the invocation answers when the circuit refuses it (nothing was called). @default none: the
   * `CircuitOpenError` is thrown, so that a queue consumer's message comes back later rather than being lost.
   */
  readonly fallback?: (
    error: CircuitOpenError,
    request: Request<TEvent, TResult>,
  ) => TResult | Promise<TResult>;
}

/** Where the middleware keeps its state between `before` and `after`/`onError` (middy's per-request store). */
const internalOf = (request: Request): Record<string, unknown> => request.internal as Record<string, unknown>;

const take = (request: Request): Pending | undefined => {
  const pending = internalOf(request)[PENDING] as Pending | undefined;
  delete internalOf(request)[PENDING];
  return pending;
};

/**
 * A middy middleware, in the style of Powertools' (`before`, `after`, `onError`; the logic stays in the breaker):
 * the whole handler runs as one call through the circuit. `before` asks the circuit to admit the invocation (with
 * Lambda's remaining time as the budget) and answers with `fallback`, or throws `CircuitOpenError`, when it does
 * not; `after` counts the handler's response as the call's result (the breaker's result classifier may still call
 * it a failure); `onError` counts the handler's error. A handler slower than the call timeout ends in
 * `CallTimeoutError` at `after`. To guard one call inside a handler instead, use `breaker.execute` or `guard`.
 *
 * @example
 * ```ts
 * import middy from '@middy/core';
 * import { circuitBreakerMiddleware } from '@breakwater/circuit-breaker/middy';
 *
 * export const handler = middy(chargeCustomer).use(
 *   circuitBreakerMiddleware({ breaker: breakers.for('payment-gateway') }),
 * );
 * ```
 */
export const circuitBreakerMiddleware = <TEvent = unknown, TResult = unknown>(
  options: CircuitBreakerMiddlewareOptions<TEvent, TResult>,
): MiddlewareObj<TEvent, TResult> => {
  const pick = (request: Request<TEvent, TResult>): CircuitBreaker =>
    typeof options.breaker === 'function' ? options.breaker(request) : options.breaker;

  const before = async (request: Request<TEvent, TResult>): Promise<TResult | undefined> => {
    let admitted: () => void = () => undefined;
    const admission = new Promise<undefined>((resolve) => {
      admitted = () => resolve(undefined);
    });
    let settle: Pending['settle'] = { resolve: () => undefined, reject: () => undefined };
    const outcome = new Promise<unknown>((resolve, reject) => {
      settle = { resolve, reject };
    });
    const remainingTimeMs = (
      request.context as { getRemainingTimeInMillis?: () => number } | undefined
    )?.getRemainingTimeInMillis?.();
    const run = pick(request).execute(
      () => {
        admitted();
        return outcome;
      },
      remainingTimeMs === undefined ? {} : { remainingTimeMs },
    );
    // Admission happens synchronously inside `execute`'s call; a refusal settles `run` without calling it.
    const refused = await Promise.race([
      admission,
      run.then(
        () => undefined,
        (error: unknown) => error ?? new Error('the circuit refused the call'),
      ),
    ]);
    if (refused === undefined) {
      internalOf(request as Request)[PENDING] = { settle, run } satisfies Pending;
      return undefined;
    }
    if (refused instanceof CircuitOpenError && options.fallback !== undefined) {
      return options.fallback(refused, request);
    }
    throw refused;
  };

  const after = async (request: Request<TEvent, TResult>): Promise<void> => {
    const pending = take(request as Request);
    if (pending === undefined) return;
    pending.settle.resolve(request.response);
    await pending.run;
  };

  const onError = async (request: Request<TEvent, TResult>): Promise<void> => {
    const pending = take(request as Request);
    if (pending === undefined) return;
    pending.settle.reject(request.error);
    // The handler's error is the invocation's; the breaker only counts it.
    await pending.run.catch(() => undefined);
  };

  return { before, after, onError };
};
