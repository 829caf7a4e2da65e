import type { FunctionError } from './types.js';

/**
 * Messages between the runner and one execution environment (a child process running `bootstrap.ts`), over the
 * Node IPC channel with JSON serialization.
 */

/** Runner → environment: run the handler once. */
export interface InvokeMessage {
  readonly type: 'invoke';
  readonly requestId: string;
  readonly event: unknown;
  /** Epoch milliseconds when the invocation times out (for `context.getRemainingTimeInMillis()`). */
  readonly deadlineMs: number;
  /** `Root=1-<time>-<id>;Parent=<id>;Sampled=0`, set as `_X_AMZN_TRACE_ID` during the invocation. */
  readonly traceId: string;
}

/** Environment → runner. `payload` is the handler's result serialized as Lambda does it (JSON text). */
export type EnvironmentMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly error: FunctionError }
  | { readonly type: 'result'; readonly requestId: string; readonly ok: true; readonly payload: string }
  | {
      readonly type: 'result';
      readonly requestId: string;
      readonly ok: false;
      readonly error: FunctionError;
    };

/** Command-line arguments of the bootstrap, in order. */
export interface BootstrapArguments {
  readonly codeDirectory: string;
  readonly handler: string;
  /** A file URL from which `@aws-sdk/*` and `@smithy/*` resolve when the bundle leaves them external. */
  readonly runtimeModulesParent: string;
  /** The ARN reported as `context.invokedFunctionArn`. */
  readonly functionArn: string;
}
