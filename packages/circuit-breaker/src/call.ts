import { CallTimeoutError } from './errors.js';

/**
 * What a guarded call receives: abort its I/O on `signal` (fired on timeout or when the caller aborts).
 *
 * @example
 * ```ts
 * await breaker.execute(({ signal, probe, timeoutMs }) => fetch(url, { signal, headers: { 'x-probe': String(probe) } }));
 * ```
 */
export interface CallContext {
  readonly signal: AbortSignal;
  /** True when this call is a half-open probe (useful in logs and for tagging the request). */
  readonly probe: boolean;
  /** The time the call has, in ms: the smaller of the call timeout and what the caller's deadline leaves. */
  readonly timeoutMs: number;
}

/**
 * A call guarded by a circuit. A function taking no argument fits too (it then cannot be aborted, only abandoned).
 *
 * @example
 * ```ts
 * const call: GuardedCall<Response> = ({ signal }) => fetch(url, { signal });
 * ```
 */
export type GuardedCall<T> = (context: CallContext) => Promise<T>;

/**
 * Runs a call with a timeout: after `timeoutMs` its signal aborts with a CallTimeoutError and the returned promise
 * rejects with it, even if the call ignores the signal. An abort of the caller's `signal` is passed on as-is.
 */
export const runWithTimeout = async <T>(
  call: GuardedCall<T>,
  options: { circuitId: string; timeoutMs: number; probe: boolean; signal?: AbortSignal },
): Promise<T> => {
  const { circuitId, timeoutMs, probe, signal } = options;
  signal?.throwIfAborted();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onCallerAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new CallTimeoutError(circuitId, timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    onCallerAbort = () => {
      controller.abort(signal?.reason);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onCallerAbort, { once: true });
  });
  try {
    const running = call({ signal: controller.signal, probe, timeoutMs });
    // The call may settle after the race is lost: its late rejection must not become an unhandled one.
    running.catch(() => undefined);
    return await Promise.race([running, stopped]);
  } finally {
    clearTimeout(timer);
    if (onCallerAbort !== undefined) signal?.removeEventListener('abort', onCallerAbort);
  }
};
