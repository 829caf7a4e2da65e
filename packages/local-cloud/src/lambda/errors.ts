import { LocalCloudError } from '../support/errors.js';

/** Base class of the Lambda runner's errors. */
export class LambdaRunnerError extends LocalCloudError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LambdaRunnerError';
  }
}

/** No deployed function has this name or ARN (Lambda's `ResourceNotFoundException`). */
export class FunctionNotFoundError extends LambdaRunnerError {
  public constructor(public readonly functionName: string) {
    super(`Function not found: ${functionName}`);
    this.name = 'FunctionNotFoundError';
  }
}
