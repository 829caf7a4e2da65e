import { AwsServiceError } from '../support/aws-protocol.js';

/**
 * SQS errors as AWS sends them. One error has three faces: the JSON protocol's `__type`
 * (`com.amazonaws.sqs#<shape>`), the query-compatible code that both protocols carry (the JSON protocol in the
 * `x-amzn-query-error: <code>;Sender` header, the query protocol in `<Code>`; SDKs name the error after it), and
 * an HTTP status. The codes and statuses are those of the SQS service model (its `awsQueryError` traits): most
 * codes are bare (`InvalidParameterValue`), a few keep the legacy `AWS.SimpleQueueService.` prefix
 * (`AWS.SimpleQueueService.NonExistentQueue`), and `QueueNameExists` travels as `QueueAlreadyExists`.
 * See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-json-api-responses.html and
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html.
 */
export class SqsServiceError extends AwsServiceError {
  /** The query-compatible code: `<Code>` of the query protocol, first part of `x-amzn-query-error`. */
  public readonly code: string;
  public readonly senderFault: boolean;
  /** The query protocol's wording, where AWS words it differently from the JSON protocol. */
  public readonly queryMessage: string;

  public constructor(
    shape: string,
    message: string,
    {
      code = shape,
      status = 400,
      senderFault = true,
      queryMessage = message,
    }: { code?: string; status?: number; senderFault?: boolean; queryMessage?: string } = {},
  ) {
    super(shape.includes('#') ? shape : `com.amazonaws.sqs#${shape}`, message, status);
    this.name = 'SqsServiceError';
    this.code = code;
    this.senderFault = senderFault;
    this.queryMessage = queryMessage;
  }

  /** The query code (kept for callers of the earlier name). */
  public get queryCode(): string {
    return this.code;
  }

  /** The value of the JSON protocol's `x-amzn-query-error` header. */
  public get queryErrorHeader(): string {
    return `${this.code};${this.senderFault ? 'Sender' : 'Receiver'}`;
  }
}

const LEGACY = 'AWS.SimpleQueueService.';

/** Every SQS error the local SQS engine answers, with AWS's codes, statuses and messages. */
export const SqsErrors = {
  invalidParameterValue: (message: string) =>
    new SqsServiceError('InvalidParameterValueException', message, { code: 'InvalidParameterValue' }),
  /** `Value <value> for parameter <name> is invalid. Reason: <reason>` — AWS's usual wording. */
  invalidValue: (name: string, value: unknown, reason: string) =>
    SqsErrors.invalidParameterValue(
      `Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`,
    ),
  missingParameter: (name: string) =>
    new SqsServiceError(
      'MissingRequiredParameterException',
      `The request must contain the parameter ${name}.`,
      {
        code: 'MissingParameter',
      },
    ),
  invalidAttributeName: (message: string) => new SqsServiceError('InvalidAttributeName', message),
  unknownAttribute: (name: string) => SqsErrors.invalidAttributeName(`Unknown Attribute ${name}.`),
  invalidAttributeValue: (name: string, reason?: string) =>
    new SqsServiceError(
      'InvalidAttributeValue',
      `Invalid value for the parameter ${name}.${reason === undefined ? '' : ` Reason: ${reason}`}`,
    ),
  invalidMessageContents: () =>
    new SqsServiceError(
      'InvalidMessageContents',
      'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    ),
  queueDoesNotExist: () =>
    new SqsServiceError('QueueDoesNotExist', 'The specified queue does not exist.', {
      code: `${LEGACY}NonExistentQueue`,
      queryMessage: 'The specified queue does not exist for this wsdl version.',
    }),
  queueNameExists: (attribute: string) =>
    new SqsServiceError(
      'QueueNameExists',
      `A queue already exists with the same name and a different value for attribute ${attribute}`,
      { code: 'QueueAlreadyExists' },
    ),
  queueDeletedRecently: () =>
    new SqsServiceError(
      'QueueDeletedRecently',
      'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
      { code: `${LEGACY}QueueDeletedRecently` },
    ),
  receiptHandleIsInvalid: (handle: string) =>
    new SqsServiceError(
      'ReceiptHandleIsInvalid',
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
      { status: 404 },
    ),
  purgeQueueInProgress: (queueName: string) =>
    new SqsServiceError(
      'PurgeQueueInProgress',
      `Only one PurgeQueue operation on ${queueName} is allowed every 60 seconds.`,
      { code: `${LEGACY}PurgeQueueInProgress`, status: 403 },
    ),
  emptyBatchRequest: (entryShape: string) =>
    new SqsServiceError('EmptyBatchRequest', `There should be at least one ${entryShape} in the request.`, {
      code: `${LEGACY}EmptyBatchRequest`,
    }),
  tooManyEntriesInBatchRequest: (sent: number) =>
    new SqsServiceError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are 10. You have sent ${sent}.`,
      { code: `${LEGACY}TooManyEntriesInBatchRequest` },
    ),
  invalidBatchEntryId: () =>
    new SqsServiceError(
      'InvalidBatchEntryId',
      'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      { code: `${LEGACY}InvalidBatchEntryId` },
    ),
  batchEntryIdsNotDistinct: (id: string) =>
    new SqsServiceError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`, {
      code: `${LEGACY}BatchEntryIdsNotDistinct`,
    }),
  batchRequestTooLong: (limit: number, sent: number) =>
    new SqsServiceError(
      'BatchRequestTooLong',
      `Batch requests cannot be longer than ${limit} bytes. You have sent ${sent} bytes.`,
      { code: `${LEGACY}BatchRequestTooLong` },
    ),
  overLimit: (message: string) => new SqsServiceError('OverLimit', message, { status: 403 }),
  resourceNotFound: (message: string) =>
    new SqsServiceError('ResourceNotFoundException', message, { status: 404 }),
  resourceNotFoundFor: (parameter: string) =>
    SqsErrors.resourceNotFound(
      `The resource that you specified for the ${parameter} parameter doesn't exist.`,
    ),
  invalidAction: (action: string) =>
    new SqsServiceError('InvalidAction', `The action ${action || '(none)'} is not valid for this endpoint.`),
  unknownOperation: (action: string) =>
    new SqsServiceError(
      'com.amazon.coral.service#UnknownOperationException',
      `The action ${action} is not valid for this endpoint.`,
      {
        code: 'InvalidAction',
      },
    ),
  /** A member of the wrong JSON type (AWS's request deserializer, before any SQS rule). */
  serialization: (message: string) =>
    new SqsServiceError('com.amazon.coral.service#SerializationException', message, {
      code: 'SerializationException',
    }),
} as const;
