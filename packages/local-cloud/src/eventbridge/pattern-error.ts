import { LocalCloudError } from '../support/errors.js';

/**
 * An event pattern that EventBridge would refuse (`InvalidEventPatternException`). `reason` is the bare cause, `path`
 * the dotted location of the offending field (empty for the pattern as a whole); the message's first line is
 * AWS's.
 */
export class EventPatternError extends LocalCloudError {
  public readonly reason: string;
  public readonly path: string;

  public constructor(reason: string, path = '', options?: ErrorOptions) {
    // AWS's first line is exactly this; its second line locates the problem (`at [Source: ...]`), ours names the path.
    super(`Event pattern is not valid. Reason: ${reason}${path === '' ? '' : `\n at ${path}`}`, options);
    this.name = 'EventPatternError';
    this.reason = reason;
    this.path = path;
  }
}

/** A syntax problem inside one operand (wildcard, CIDR, numeric range); the compiler adds the path. */
export class OperandError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'OperandError';
  }
}
