/**
 * Props that break a promise the construct makes (e.g. a visibility timeout too short for the function it feeds).
 * Thrown at synth time, so a bad change fails `cdk synth` and the tests instead of failing a deployment.
 *
 * @example
 * ```ts
 * expect(() => new EventConsumer(stack, 'Billing', { ...props, maxReceiveCount: 1 })).toThrow(
 *   EventConsumerConfigurationError,
 * );
 * ```
 */
export class EventConsumerConfigurationError extends Error {
  /** Construct path the error is about. */
  public readonly subject: string;

  public constructor(subject: string, message: string, options?: ErrorOptions) {
    super(`${subject}: ${message}`, options);
    this.name = 'EventConsumerConfigurationError';
    this.subject = subject;
  }
}
