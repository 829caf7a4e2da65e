import { AwsServiceError } from '../support/aws-protocol.js';

/** SNS errors (query protocol `<Code>`). See https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html. */
export const SnsErrors = {
  notFound: (message: string) => new AwsServiceError('NotFound', message, 404),
  invalidParameter: (message: string) =>
    new AwsServiceError('InvalidParameter', `Invalid parameter: ${message}`),
  invalidAction: (action: string) =>
    new AwsServiceError(
      'InvalidAction',
      `The action or operation requested is invalid. Verify that the action is typed correctly: ${action}`,
    ),
} as const;
