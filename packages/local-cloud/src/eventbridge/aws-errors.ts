import { AwsServiceError } from '../support/aws-protocol.js';

/**
 * The AWS-shaped errors of the emulator, one constructor each, so that every action words them alike. All are 400s
 * except `InternalException`.
 */
export const AwsErrors = {
  validation: (message: string) => new AwsServiceError('ValidationException', message),
  /** Smithy's wording for a member that breaks its constraint (`1 validation error detected: ...`). */
  constraint: (detail: string) =>
    new AwsServiceError('ValidationException', `1 validation error detected: ${detail}`),
  /** A JSON type the action cannot read at all (a number where a string belongs...). */
  serialization: (message: string) => new AwsServiceError('SerializationException', message),
  notFound: (message: string) => new AwsServiceError('ResourceNotFoundException', message),
  alreadyExists: (message: string) => new AwsServiceError('ResourceAlreadyExistsException', message),
  limitExceeded: (message: string) => new AwsServiceError('LimitExceededException', message),
  invalidPattern: (message: string) => new AwsServiceError('InvalidEventPatternException', message),
  unknownOperation: (action: string) =>
    new AwsServiceError(
      'UnknownOperationException',
      `Operation ${action} is not supported by this endpoint.`,
    ),
  internal: (message: string) => new AwsServiceError('InternalException', message, 500),
} as const;

/** `Event bus <name> does not exist.` */
export const busNotFound = (name: string) => AwsErrors.notFound(`Event bus ${name} does not exist.`);

/** `Rule <name> does not exist on EventBus <bus>.` */
export const ruleNotFound = (name: string, busName: string) =>
  AwsErrors.notFound(`Rule ${name} does not exist on EventBus ${busName}.`);
