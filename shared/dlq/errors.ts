import { BreakwaterError } from '../errors';

/** Base class of the errors the DLQ tool raises on purpose; the CLI maps each subclass to an exit code. */
export class DlqError extends BreakwaterError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DlqError';
  }
}

/** The named queue does not exist (or is not visible to these credentials in this region). */
export class QueueNotFoundError extends DlqError {
  public readonly queue: string;

  public constructor(queue: string, options?: ErrorOptions) {
    super(`queue not found: ${queue} (check the name, the region and AWS_ENDPOINT_URL)`, options);
    this.name = 'QueueNotFoundError';
    this.queue = queue;
  }
}

/** The credentials lack a permission the operation needs. */
export class PermissionDeniedError extends DlqError {
  public readonly action: string;

  public constructor(action: string, detail: string, options?: ErrorOptions) {
    super(`permission denied for ${action}: ${detail}`, options);
    this.name = 'PermissionDeniedError';
    this.action = action;
  }
}

/** The endpoint does not implement an operation (e.g. StartMessageMoveTask on an emulator). */
export class UnsupportedOperationError extends DlqError {
  public readonly action: string;

  public constructor(action: string, detail: string, options?: ErrorOptions) {
    super(`${action} is not supported by this endpoint: ${detail}`, options);
    this.name = 'UnsupportedOperationError';
    this.action = action;
  }
}

/** Options that contradict each other or cannot be parsed. */
export class UsageError extends DlqError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}
