import { randomUUID } from 'node:crypto';
import type {
  APIGatewayProxyEventV2,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  EventBridgeEvent,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import type { EventType } from '../../shared/contracts';
import {
  createEvent,
  type EventEnvelope,
  type EventOfType,
  EventTypes,
  type NewEvent,
} from '../../shared/contracts';
import { toOutboxItem } from '../../shared/outbox/outbox-item';

/** Event factories: the shapes AWS delivers, built around our envelopes. */

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

/** A valid `order.created` envelope; override any part. */
export const orderCreatedEvent = (
  overrides: Partial<NewEvent<typeof EventTypes.orderCreated>> = {},
): EventOfType<typeof EventTypes.orderCreated> =>
  createEvent({
    type: EventTypes.orderCreated,
    correlationId: 'corr-1',
    data: {
      orderId: randomUUID(),
      customerId: 'customer-1',
      items: [{ sku: 'SKU-1', quantity: 2, unitPriceCents: 1250 }],
      totalCents: 2500,
      currency: 'EUR',
    },
    ...overrides,
  });

/** A valid `payment.succeeded` envelope for `orderId`. */
export const paymentSucceededEvent = (
  orderId: string,
  overrides: Partial<NewEvent<typeof EventTypes.paymentSucceeded>> = {},
): EventOfType<typeof EventTypes.paymentSucceeded> =>
  createEvent({
    type: EventTypes.paymentSucceeded,
    correlationId: 'corr-1',
    data: { orderId, paymentId: 'ch_1', amountCents: 2500, currency: 'EUR' },
    ...overrides,
  });

/** A valid `payment.failed` envelope for `orderId`. */
export const paymentFailedEvent = (
  orderId: string,
  overrides: Partial<NewEvent<typeof EventTypes.paymentFailed>> = {},
): EventOfType<typeof EventTypes.paymentFailed> =>
  createEvent({
    type: EventTypes.paymentFailed,
    correlationId: 'corr-1',
    data: {
      orderId,
      amountCents: 2500,
      currency: 'EUR',
      reason: 'declined',
      declineCode: 'insufficient_funds',
    },
    ...overrides,
  });

/** The EventBridge event that carries `envelope` (what a rule delivers to its SQS target). */
export const eventBridgeEventOf = <T extends EventType>(
  envelope: EventEnvelope<T>,
): EventBridgeEvent<string, EventEnvelope<T>> => ({
  version: '0',
  id: randomUUID(),
  'detail-type': envelope.type,
  source: envelope.source,
  account: ACCOUNT,
  time: envelope.occurredAt,
  region: REGION,
  resources: [],
  detail: envelope,
});

/** An SQS record with `body`; override any attribute. */
export const sqsRecord = (body: string, overrides: Partial<SQSRecord> = {}): SQSRecord => ({
  messageId: randomUUID(),
  receiptHandle: `receipt-${randomUUID()}`,
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: String(Date.now()),
    SenderId: 'AROAEXAMPLE',
    ApproximateFirstReceiveTimestamp: String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: 'not-checked',
  eventSource: 'aws:sqs',
  eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:breakwater-test`,
  awsRegion: REGION,
  ...overrides,
});

/** The SQS record an EventBridge rule target delivers for `envelope`. */
export const sqsRecordOf = <T extends EventType>(
  envelope: EventEnvelope<T>,
  overrides: Partial<SQSRecord> = {},
) => sqsRecord(JSON.stringify(eventBridgeEventOf(envelope)), overrides);

/** An SQS batch. */
export const sqsEvent = (records: SQSRecord[]): SQSEvent => ({ Records: records });

let sequence = 1000;

/** A DynamoDB stream record of the outbox table: an INSERT of the item holding `envelope`. */
export const outboxInsertRecord = (
  envelope: EventEnvelope,
  overrides: Partial<DynamoDBRecord> = {},
): DynamoDBRecord => {
  const item = toOutboxItem(envelope);
  return dynamoDbStreamRecord(
    'INSERT',
    { pk: { S: item.pk } },
    { pk: { S: item.pk }, event: { S: item.event }, createdAt: { S: item.createdAt } },
    overrides,
  );
};

/** A DynamoDB stream record with raw attribute-value images. */
export const dynamoDbStreamRecord = (
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  keys: Record<string, { S: string }>,
  newImage: Record<string, { S: string }> | undefined,
  overrides: Partial<DynamoDBRecord> = {},
): DynamoDBRecord => {
  sequence += 1;
  return {
    eventID: randomUUID(),
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: REGION,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys: keys,
      ...(newImage === undefined ? {} : { NewImage: newImage }),
      SequenceNumber: String(sequence),
      SizeBytes: 100,
      StreamViewType: 'NEW_IMAGE',
    },
    eventSourceARN: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/outbox/stream/2026-11-27T00:00:00.000`,
    ...overrides,
  };
};

/** A DynamoDB stream batch. */
export const dynamoDbStreamEvent = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

/** Options of `httpApiEvent`. */
export interface HttpApiRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | object;
  pathParameters?: Record<string, string>;
  isBase64Encoded?: boolean;
  /**
   * The caller's ARN, as API Gateway's IAM authorizer fills `requestContext.authorizer.iam`. Default
   * {@link TEST_CALLER_ARN}; `null` for a request without IAM authorization.
   */
  caller?: string | null;
}

/** The caller of `httpApiEvent` requests unless a test names another. */
export const TEST_CALLER_ARN = 'arn:aws:iam::000000000000:user/test-caller';

/** `requestContext.authorizer.iam` of an IAM-authorized HTTP API request by `userArn`. */
export const iamAuthorizer = (userArn: string) => {
  const accountId = /^arn:[^:]+:[^:]+::(\d{12}):/.exec(userArn)?.[1] ?? ACCOUNT;
  return {
    iam: {
      accessKey: 'AKIAIOSFODNN7EXAMPLE',
      accountId,
      callerId: 'AIDAEXAMPLECALLER',
      cognitoIdentity: null,
      principalOrgId: null,
      userArn,
      userId: 'AIDAEXAMPLECALLER',
    },
  };
};

/** An API Gateway HTTP API (payload format 2.0) request, as a `$default` route delivers it. */
export const httpApiEvent = ({
  method,
  path,
  headers = {},
  body,
  pathParameters,
  isBase64Encoded = false,
  caller = TEST_CALLER_ARN,
}: HttpApiRequest): APIGatewayProxyEventV2 => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: path,
  rawQueryString: '',
  headers: {
    host: 'api.example.test',
    ...(body !== undefined && typeof body === 'object' ? { 'content-type': 'application/json' } : {}),
    ...headers,
  },
  ...(pathParameters === undefined ? {} : { pathParameters }),
  requestContext: {
    accountId: ACCOUNT,
    apiId: 'api123',
    domainName: 'api.example.test',
    domainPrefix: 'api',
    http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'vitest' },
    requestId: randomUUID(),
    routeKey: '$default',
    stage: '$default',
    time: '27/Nov/2026:10:00:00 +0000',
    timeEpoch: Date.now(),
    ...(caller === null ? {} : { authorizer: iamAuthorizer(caller) }),
  },
  ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  isBase64Encoded,
});
