import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import { isFailureReasonAttribute, readFailureReason } from './failure-reason.js';
import { type DlqMessage, EventBridgeDlqAttributes, type EventCheck } from './types.js';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const stringField = (object: JsonObject | undefined, key: string): string | undefined => {
  const value = object?.[key];
  return typeof value === 'string' ? value : undefined;
};

const intOrUndefined = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
};

interface EventFields {
  readonly eventId: string | undefined;
  readonly eventType: string | undefined;
  readonly eventSource: string | undefined;
  readonly detailType: string | undefined;
  readonly malformed: string | undefined;
}

/**
 * Reads the event fields out of a body: an EventBridge event (our envelope in `detail`, as EventBridge delivers it
 * to queues and as it lands in a target DLQ) or a bare envelope. Ids and types are read even from a malformed
 * event, so that selection and the report can still name it.
 */
export const readEventFields = (
  json: unknown,
  bodyIsJson: boolean,
  checkEvent: EventCheck = () => undefined,
): EventFields => {
  if (!bodyIsJson) {
    return {
      eventId: undefined,
      eventType: undefined,
      eventSource: undefined,
      detailType: undefined,
      malformed: 'body is not JSON',
    };
  }
  const object = isObject(json) ? json : undefined;
  if (object !== undefined && 'detail' in object && 'detail-type' in object) {
    const detail = isObject(object.detail) ? object.detail : undefined;
    const detailType = stringField(object, 'detail-type');
    const eventType = stringField(detail, 'type') ?? detailType;
    let malformed = checkEvent(object.detail);
    if (malformed === undefined && detailType !== eventType) {
      malformed = `detail-type '${detailType}' does not match envelope type '${eventType}'`;
    }
    return {
      eventId: stringField(detail, 'id'),
      eventType,
      eventSource: stringField(object, 'source'),
      detailType,
      malformed,
    };
  }
  if (object !== undefined && 'type' in object && 'id' in object && 'data' in object) {
    return {
      eventId: stringField(object, 'id'),
      eventType: stringField(object, 'type'),
      eventSource: stringField(object, 'source'),
      detailType: stringField(object, 'type'),
      malformed: checkEvent(object),
    };
  }
  // A stream event source's on-failure record names the failed batch (shard, sequence numbers) but carries no
  // records: the outbox items are still in their table, so the publisher, not a replay, sends them again.
  const streamRecord =
    object !== undefined && ('DDBStreamBatchInfo' in object || 'KinesisBatchInfo' in object);
  return {
    eventId: undefined,
    eventType: undefined,
    eventSource: undefined,
    detailType: undefined,
    malformed: streamRecord
      ? 'a stream on-failure record (batch metadata, not an event): nothing to replay; the records are still at their source'
      : 'body is neither an EventBridge event nor an event envelope',
  };
};

const attributeString = (
  attributes: Readonly<Record<string, MessageAttributeValue>>,
  name: string,
): string | undefined => attributes[name]?.StringValue;

/** Turns a received SQS message into a `DlqMessage`. Never throws. */
export const toDlqMessage = (message: Message, checkEvent?: EventCheck): DlqMessage => {
  const body = message.Body ?? '';
  let json: unknown;
  let bodyIsJson = true;
  try {
    json = JSON.parse(body);
  } catch {
    bodyIsJson = false;
  }
  const system = message.Attributes ?? {};
  const attributes = message.MessageAttributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body,
    json,
    ...readEventFields(json, bodyIsJson, checkEvent),
    attributes,
    receiveCount: intOrUndefined(system.ApproximateReceiveCount) ?? 0,
    sentAt: intOrUndefined(system.SentTimestamp),
    messageGroupId: system.MessageGroupId,
    messageDeduplicationId: system.MessageDeduplicationId,
    traceHeader: system.AWSTraceHeader,
    deadLetterSourceArn: system.DeadLetterQueueSourceArn,
    errorCode: attributeString(attributes, EventBridgeDlqAttributes.errorCode),
    errorMessage: attributeString(attributes, EventBridgeDlqAttributes.errorMessage),
    ruleArn: attributeString(attributes, EventBridgeDlqAttributes.ruleArn),
    targetArn: attributeString(attributes, EventBridgeDlqAttributes.targetArn),
    failure: readFailureReason(attributes),
  };
};

const eventBridgeAttributeNames: ReadonlySet<string> = new Set(Object.values(EventBridgeDlqAttributes));

/**
 * The message attributes to send with a replayed message. A message from an SQS redrive DLQ keeps every attribute
 * (they are the original message's). A message re-delivered to an EventBridge target loses the attributes
 * EventBridge added when it gave up (RULE_ARN, TARGET_ARN, ERROR_CODE, ...): they describe the failed delivery,
 * not the event, and a consumer receiving the event from EventBridge never sees them either.
 *
 * The failure reason a consumer attached when it dead-lettered the message at once (`breakwater.failure.*`) is
 * dropped too, unless `keepFailureReason`: a replayed message starts fresh, and a reason from the last failure
 * would mislead whoever peeks at it after a new one (a new non-retryable failure replaces it anyway).
 */
export const replayAttributes = (
  message: DlqMessage,
  stripEventBridgeAttributes: boolean,
  keepFailureReason = false,
): Record<string, MessageAttributeValue> => {
  const result: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(message.attributes)) {
    if (stripEventBridgeAttributes && eventBridgeAttributeNames.has(name)) continue;
    if (!keepFailureReason && isFailureReasonAttribute(name)) continue;
    result[name] = value;
  }
  return result;
};
