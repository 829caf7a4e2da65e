import { PermissionDeniedError, QueueNotFoundError, UnsupportedOperationError } from './errors.js';

/** The parts of an AWS SDK v3 service error we classify on (read structurally, whatever the client). */
interface AwsErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly Code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $retryable?: { readonly throttling?: boolean };
}

const shape = (error: unknown): AwsErrorShape =>
  typeof error === 'object' && error !== null ? (error as AwsErrorShape) : {};

/** The error code of an AWS error (`name`, or the legacy query-protocol `Code`), or '' for anything else. */
export const awsErrorCode = (error: unknown): string => {
  const { name, Code } = shape(error);
  return typeof name === 'string' ? name : typeof Code === 'string' ? Code : '';
};

/** The message of any thrown value, for reports. */
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);

const queueMissingCodes = new Set([
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  'NonExistentQueue',
]);
const accessDeniedCodes = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'KMS.AccessDeniedException',
  'AuthorizationError',
  'UnauthorizedOperation',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'ExpiredToken',
]);
const throttlingCodes = new Set([
  'ThrottlingException',
  'Throttling',
  'RequestThrottled',
  'AWS.SimpleQueueService.RequestThrottled',
  'TooManyRequestsException',
  'KMS.ThrottlingException',
  'KmsThrottled',
  'ProvisionedThroughputExceededException',
  'SlowDown',
]);
// Only "this endpoint does not implement the action". SQS's own UnsupportedOperation is a refusal of a valid
// action (e.g. a move task from a queue that is not a DLQ) and is deliberately not listed.
const unsupportedCodes = new Set([
  'InvalidAction',
  'UnknownOperationException',
  'UnknownOperation',
  'NotImplemented',
]);

/** The queue named in the request does not exist. */
export const isQueueMissing = (error: unknown): boolean => queueMissingCodes.has(awsErrorCode(error));

/** The caller is not allowed to do this (IAM, KMS key policy, bad credentials). */
export const isAccessDenied = (error: unknown): boolean =>
  accessDeniedCodes.has(awsErrorCode(error)) || shape(error).$metadata?.httpStatusCode === 403;

/** The service asked us to slow down: back off and retry. */
export const isThrottling = (error: unknown): boolean =>
  throttlingCodes.has(awsErrorCode(error)) ||
  shape(error).$retryable?.throttling === true ||
  shape(error).$metadata?.httpStatusCode === 429;

/** The endpoint does not know the action (emulators without move tasks, for instance). */
export const isUnsupported = (error: unknown): boolean =>
  unsupportedCodes.has(awsErrorCode(error)) || shape(error).$metadata?.httpStatusCode === 501;

/** A Lambda function or other resource the request names does not exist. */
export const isResourceMissing = (error: unknown): boolean =>
  awsErrorCode(error) === 'ResourceNotFoundException' || isQueueMissing(error);

/**
 * Turns an SDK error about `queue` into the tool's own error (queue not found, permission denied, unsupported), or
 * returns it unchanged when it is none of those.
 */
export const translateQueueError = (error: unknown, queue: string, action: string): unknown => {
  if (isQueueMissing(error)) return new QueueNotFoundError(queue, { cause: error });
  if (isAccessDenied(error)) return new PermissionDeniedError(action, errorMessage(error), { cause: error });
  if (isUnsupported(error))
    return new UnsupportedOperationError(action, errorMessage(error), { cause: error });
  return error;
};
