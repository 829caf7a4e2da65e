import { AwsServiceError } from '../support/aws-protocol.js';

/** CloudWatch Logs errors (JSON 1.1: `__type` is the shape name). See https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/CommonErrors.html. */
export const LogsErrors = {
  groupNotFound: () =>
    new AwsServiceError('ResourceNotFoundException', 'The specified log group does not exist.'),
  streamNotFound: () =>
    new AwsServiceError('ResourceNotFoundException', 'The specified log stream does not exist.'),
  groupExists: () =>
    new AwsServiceError('ResourceAlreadyExistsException', 'The specified log group already exists'),
  streamExists: () =>
    new AwsServiceError('ResourceAlreadyExistsException', 'The specified log stream already exists'),
  invalidParameter: (message: string) => new AwsServiceError('InvalidParameterException', message),
  unknownOperation: (action: string) =>
    new AwsServiceError(
      'UnknownOperationException',
      `Operation ${action} is not supported by this endpoint.`,
    ),
} as const;
