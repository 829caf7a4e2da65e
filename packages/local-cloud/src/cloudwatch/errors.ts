import { AwsServiceError } from '../support/aws-protocol.js';

/**
 * CloudWatch errors as AWS sends them. CloudWatch speaks JSON 1.0 with query compatibility: the body's `__type` is
 * the shape (`com.amazonaws.cloudwatch#<shape>`), the `x-amzn-query-error: <code>;Sender` header carries the query
 * code the SDKs and the CLI name the error after (`InvalidParameterValue`, `ResourceNotFound`, ...). The query
 * protocol writes the same code in `<Code>`. See
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html.
 */
export class CloudWatchError extends AwsServiceError {
  public constructor(
    public readonly code: string,
    message: string,
    status = 400,
    shape = code,
  ) {
    super(`com.amazonaws.cloudwatch#${shape}`, message, status);
    this.name = 'CloudWatchError';
  }

  /** The value of the JSON protocol's `x-amzn-query-error` header. */
  public get queryErrorHeader(): string {
    return `${this.code};${this.status >= 500 ? 'Receiver' : 'Sender'}`;
  }
}

/** Every error the local CloudWatch answers, with AWS's codes (the `awsQueryError` codes of its model). */
export const CloudWatchErrors = {
  invalidParameterValue: (message: string) =>
    new CloudWatchError('InvalidParameterValue', message, 400, 'InvalidParameterValueException'),
  missingParameter: (message: string) =>
    new CloudWatchError('MissingParameter', message, 400, 'MissingRequiredParameterException'),
  invalidParameterCombination: (message: string) =>
    new CloudWatchError('InvalidParameterCombination', message, 400, 'InvalidParameterCombinationException'),
  resourceNotFound: (message: string) =>
    new CloudWatchError('ResourceNotFound', message, 404, 'ResourceNotFound'),
  invalidNextToken: () => new CloudWatchError('InvalidNextToken', 'The service cannot process the token.'),
  invalidFormat: (message: string) =>
    new CloudWatchError('InvalidFormat', message, 400, 'InvalidFormatFault'),
  limitExceeded: (message: string) =>
    new CloudWatchError('LimitExceeded', message, 400, 'LimitExceededFault'),
  unknownOperation: (action: string) =>
    new AwsServiceError(
      'UnknownOperationException',
      `Operation ${action} is not supported by this endpoint.`,
    ),
  internal: (message: string) =>
    new CloudWatchError('InternalServiceError', message, 500, 'InternalServiceFault'),
} as const;
