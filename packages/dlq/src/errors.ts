/**
 * Base class of the errors the DLQ tool raises on purpose; the CLI maps each subclass to an exit code.
 *
 * @example
 * ```ts
 * try {
 *   await replayDlq(clients, 'billing-dlq');
 * } catch (error) {
 *   if (error instanceof DlqError) console.error(error.message); // one of the subclasses below
 * }
 * ```
 */
export class DlqError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DlqError';
  }
}

/**
 * The named queue does not exist (or is not visible to these credentials in this region).
 *
 * @example
 * ```ts
 * await replayDlq(clients, 'no-such-dlq').catch((error) => {
 *   if (error instanceof QueueNotFoundError) console.error(`no queue ${error.queue}`);
 * });
 * ```
 */
export class QueueNotFoundError extends DlqError {
  public readonly queue: string;

  public constructor(queue: string, options?: ErrorOptions) {
    super(`queue not found: ${queue} (check the name, the region and AWS_ENDPOINT_URL)`, options);
    this.name = 'QueueNotFoundError';
    this.queue = queue;
  }
}

/**
 * The credentials lack a permission the operation needs.
 *
 * @example
 * ```ts
 * await replayDlq(clients, 'billing-dlq').catch((error) => {
 *   if (error instanceof PermissionDeniedError) console.error(`grant ${error.action}`);
 * });
 * ```
 */
export class PermissionDeniedError extends DlqError {
  public readonly action: string;

  public constructor(action: string, detail: string, options?: ErrorOptions) {
    super(`permission denied for ${action}: ${detail}`, options);
    this.name = 'PermissionDeniedError';
    this.action = action;
  }
}

/**
 * The endpoint does not implement an operation (e.g. StartMessageMoveTask on an emulator).
 *
 * @example
 * ```ts
 * await nativeRedrive(sqs, 'billing-dlq').catch((error) => {
 *   if (error instanceof UnsupportedOperationError) console.error(`${error.action}: use replayDlq instead`);
 * });
 * ```
 */
export class UnsupportedOperationError extends DlqError {
  public readonly action: string;

  public constructor(action: string, detail: string, options?: ErrorOptions) {
    super(`${action} is not supported by this endpoint: ${detail}`, options);
    this.name = 'UnsupportedOperationError';
    this.action = action;
  }
}

/**
 * Options that contradict each other or cannot be parsed.
 *
 * @example
 * ```ts
 * await replayDlq(clients, 'billing-dlq', { selection: { since: 'yesterday' } }).catch((error) => {
 *   if (error instanceof UsageError) console.error(error.message); // the selection cannot be parsed
 * });
 * ```
 */
export class UsageError extends DlqError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}
