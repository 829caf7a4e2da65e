/** Base class of every error the local cloud throws on purpose. Subclasses set `name` and may carry typed context. */
export class LocalCloudError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalCloudError';
  }
}

/** A setting (a flag, an environment variable, an option) is malformed. */
export class ConfigurationError extends LocalCloudError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}
