import type { FaultService } from './fault-model.js';

/**
 * The error codes a fault answers with, per service, with the status AWS sends them with (each service's API
 * reference, "Errors" and "Common Errors"). A code not listed here keeps the status the rule gives, else 400 for a
 * sender's fault and 500 for a name that says internal or unavailable.
 */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  // Common to every AWS API (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html)
  ThrottlingException: 400,
  InternalFailure: 500,
  ServiceUnavailable: 503,
  // DynamoDB (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html)
  ProvisionedThroughputExceededException: 400,
  RequestLimitExceeded: 400,
  // also SSM's (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html)
  InternalServerError: 500,
  // SQS (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html#API_SendMessage_Errors)
  RequestThrottled: 400,
  // EventBridge (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html#API_PutEvents_Errors)
  InternalException: 500,
  // Secrets Manager (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html#API_GetSecretValue_Errors)
  InternalServiceError: 500,
  // Lambda (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_Errors)
  TooManyRequestsException: 429,
  ServiceException: 500,
  ResourceNotFoundException: 404,
};

/** The code a rule without one answers: each service's throttling error. */
export const DEFAULT_ERROR_CODE: Readonly<Record<FaultService, string>> = {
  sqs: 'RequestThrottled',
  dynamodb: 'ProvisionedThroughputExceededException',
  events: 'ThrottlingException',
  secretsmanager: 'ThrottlingException',
  ssm: 'ThrottlingException',
  upstash: 'ERR injected fault',
  lambda: 'TooManyRequestsException',
  redis: 'ServiceUnavailable',
  gateway: 'ServiceUnavailable',
};

/** The status of an error code. */
export const statusOfCode = (code: string, given?: number): number =>
  given ?? STATUS_BY_CODE[code] ?? (/internal|unavailable/i.test(code) ? 500 : 400);

/**
 * The `__type` of an AWS JSON error as each service writes it: DynamoDB namespaces its codes
 * (`com.amazonaws.dynamodb.v20120810#…`); the SDKs read the part after `#`.
 */
export const jsonErrorType = (service: FaultService, code: string): string =>
  service === 'dynamodb' ? `com.amazonaws.dynamodb.v20120810#${code}` : code;

/**
 * SQS's JSON protocol also names the query-protocol code in `x-amzn-query-error: <code>;<Sender|Receiver>`, which
 * the SDKs prefer over `__type`.
 */
export const queryErrorHeaderOf = (
  service: FaultService,
  code: string,
  status: number,
): string | undefined => (service === 'sqs' ? `${code};${status < 500 ? 'Sender' : 'Receiver'}` : undefined);
