/** Base class of every error Breakwater throws on purpose. Subclasses set `name` and may carry typed context. */
export class BreakwaterError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BreakwaterError';
  }
}

/**
 * Input that can never succeed, however often it is retried: a malformed message, an unknown event type or
 * version, a request body that fails its schema. Consumers report it as a batch-item failure with this reason so
 * that the message reaches the DLQ after its retries without failing the rest of its batch.
 */
export class ContractError extends BreakwaterError {
  public readonly issues: readonly string[];

  public constructor(message: string, issues: readonly string[] = [], options?: ErrorOptions) {
    super(issues.length > 0 ? `${message}: ${issues.join('; ')}` : message, options);
    this.name = 'ContractError';
    this.issues = issues;
  }
}

/** A required setting (environment variable, secret field) is missing or malformed. */
export class ConfigurationError extends BreakwaterError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}
