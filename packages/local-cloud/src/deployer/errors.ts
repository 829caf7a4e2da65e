import { LocalCloudError } from '../support/errors.js';

/** The local deployer could not read, resolve or create something; the message names the stack and resource. */
export class DeployerError extends LocalCloudError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DeployerError';
  }
}
