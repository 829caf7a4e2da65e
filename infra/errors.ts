import { ConfigurationError } from '../shared/errors';

/**
 * The infrastructure was asked for something that cannot work: an unknown stage, or construct props that break a
 * promise the construct makes (e.g. a visibility timeout too short for the function it feeds). Thrown at synth
 * time, so a bad change fails `cdk synth` and the tests instead of failing a deployment.
 */
export class InfraConfigurationError extends ConfigurationError {
  /** Construct path (or setting) the error is about. */
  public readonly subject: string;

  public constructor(subject: string, message: string, options?: ErrorOptions) {
    super(`${subject}: ${message}`, options);
    this.name = 'InfraConfigurationError';
    this.subject = subject;
  }
}
