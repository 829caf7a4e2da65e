import type { MessageAttributeValue } from '@aws-sdk/client-sqs';

/**
 * Why a consumer sent a record to its DLQ at once (a non-retryable failure), carried on the DLQ copy as message
 * attributes so that `breakwater-dlq peek` shows it without a search through the logs.
 *
 * @example
 * ```ts
 * const reason: FailureReason = {
 *   errorName: 'ContractError',
 *   errorMessage: 'invalid data for order.created v1: currency',
 *   functionName: 'billing',
 *   firstFailedAt: new Date().toISOString(),
 * };
 * ```
 */
export interface FailureReason {
  /** The error's class name, e.g. `PaymentGatewayAuthorizationError`, `ConfigurationError`, `ContractError`. */
  readonly errorName: string;
  /** Its message (bounded; never a payload). */
  readonly errorMessage: string;
  /** The Lambda function that gave up on the record. */
  readonly functionName: string;
  /** The domain event id, when the body carried one. */
  readonly eventId?: string | undefined;
  /**
   * When the record first failed (ISO 8601): its first receive, since every receive of a message still on its queue
   * was a failure (a success deletes it).
   */
  readonly firstFailedAt: string;
}

/**
 * The attribute names. One attribute per field, under a prefix of our own (SQS reserves `AWS.` and `Amazon.`); when
 * the original message leaves fewer than five of SQS's ten attribute slots, the reason travels packed as JSON in
 * one attribute instead.
 *
 * @example
 * ```ts
 * const error = message.MessageAttributes?.[FailureReasonAttributes.errorName]?.StringValue;
 * ```
 */
export const FailureReasonAttributes = {
  errorName: 'breakwater.failure.error',
  errorMessage: 'breakwater.failure.message',
  functionName: 'breakwater.failure.function',
  eventId: 'breakwater.failure.event-id',
  firstFailedAt: 'breakwater.failure.first-failed-at',
  packed: 'breakwater.failure',
} as const;

/**
 * SQS's limit of message attributes per message.
 *
 * @example
 * ```ts
 * const free = MAX_MESSAGE_ATTRIBUTES - Object.keys(attributes).length;
 * ```
 */
export const MAX_MESSAGE_ATTRIBUTES = 10;

/** Longest error message carried (attributes count towards the 256 KB message size). */
const MAX_MESSAGE_CHARS = 1_000;

const reasonNames: ReadonlySet<string> = new Set(Object.values(FailureReasonAttributes));

/**
 * True for the attributes that carry a failure reason (see {@link FailureReasonAttributes}).
 *
 * @example
 * ```ts
 * isFailureReasonAttribute('breakwater.failure.error'); // true
 * ```
 */
export const isFailureReasonAttribute = (name: string): boolean => reasonNames.has(name);

/**
 * The attributes without any failure reason: what a replay sends by default, so the message starts fresh.
 *
 * @example
 * ```ts
 * const fresh = withoutFailureReason(message.MessageAttributes ?? {}); // what a replay sends
 * ```
 */
export const withoutFailureReason = <T>(attributes: Readonly<Record<string, T>>): Record<string, T> =>
  Object.fromEntries(Object.entries(attributes).filter(([name]) => !isFailureReasonAttribute(name)));

/** Replaces characters SQS refuses in attribute values (#x9 #xA #xD #x20–#xD7FF #xE000–#xFFFD #x10000+). */
const sqsSafe = (text: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters SQS refuses
  text.replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');

const bounded = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}…` : text);

const stringAttribute = (value: string): MessageAttributeValue => ({
  DataType: 'String',
  // SQS refuses empty string values.
  StringValue: sqsSafe(value) || '-',
});

/**
 * Where {@link deadLetterAttributes} put the reason.
 *
 * @example
 * ```ts
 * const { placement }: { placement: ReasonPlacement } = deadLetterAttributes({}, reason);
 * ```
 */
export type ReasonPlacement = 'attributes' | 'packed' | 'none';

const reasonFields = (reason: FailureReason): [string, string][] =>
  [
    [FailureReasonAttributes.errorName, reason.errorName],
    [FailureReasonAttributes.errorMessage, bounded(reason.errorMessage, MAX_MESSAGE_CHARS)],
    [FailureReasonAttributes.functionName, reason.functionName],
    [FailureReasonAttributes.eventId, reason.eventId],
    [FailureReasonAttributes.firstFailedAt, reason.firstFailedAt],
  ].filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '');

/**
 * The attributes of a record's DLQ copy: every original attribute, kept as it was (a reason from an earlier
 * failure is replaced), plus the reason: one attribute per field when they fit in SQS's ten, else packed in one,
 * else (ten original attributes) none — the reason is then only in the consumer's log line. Pure.
 *
 * @example
 * ```ts
 * import { deadLetterAttributes } from '@breakwater/dlq/failure-reason';
 *
 * const { attributes } = deadLetterAttributes(sdkMessageAttributes(record.messageAttributes), reason);
 * await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: record.body, MessageAttributes: attributes }));
 * ```
 */
export const deadLetterAttributes = (
  original: Readonly<Record<string, MessageAttributeValue>>,
  reason: FailureReason,
): { attributes: Record<string, MessageAttributeValue>; placement: ReasonPlacement } => {
  const kept = withoutFailureReason(original);
  const free = MAX_MESSAGE_ATTRIBUTES - Object.keys(kept).length;
  const fields = reasonFields(reason);
  if (fields.length <= free) {
    return {
      attributes: {
        ...kept,
        ...Object.fromEntries(fields.map(([name, value]) => [name, stringAttribute(value)])),
      },
      placement: 'attributes',
    };
  }
  if (free >= 1) {
    const packed = JSON.stringify(
      Object.fromEntries(fields.map(([name, value]) => [name.split('.').pop(), value])),
    );
    return {
      attributes: { ...kept, [FailureReasonAttributes.packed]: stringAttribute(packed) },
      placement: 'packed',
    };
  }
  return { attributes: kept, placement: 'none' };
};

const packedKeys = {
  error: 'errorName',
  message: 'errorMessage',
  function: 'functionName',
  'event-id': 'eventId',
  'first-failed-at': 'firstFailedAt',
} as const;

/**
 * Reads the reason back from a DLQ message's attributes (either form), or undefined when it has none. Pure.
 *
 * @example
 * ```ts
 * const reason = readFailureReason(message.MessageAttributes ?? {});
 * if (reason) console.log(`${reason.functionName} gave up: ${reason.errorName}`);
 * ```
 */
export const readFailureReason = (
  attributes: Readonly<Record<string, MessageAttributeValue>>,
): FailureReason | undefined => {
  const value = (name: string): string | undefined => attributes[name]?.StringValue;
  let fields: Partial<Record<keyof FailureReason, string>> = {};
  const packed = value(FailureReasonAttributes.packed);
  if (packed !== undefined) {
    try {
      const json: unknown = JSON.parse(packed);
      if (typeof json === 'object' && json !== null) {
        for (const [key, field] of Object.entries(packedKeys)) {
          const text = (json as Record<string, unknown>)[key];
          if (typeof text === 'string') fields[field] = text;
        }
      }
    } catch {
      // An unreadable packed reason is reported as no reason: the attribute itself is still shown as is.
    }
  } else {
    fields = {
      errorName: value(FailureReasonAttributes.errorName),
      errorMessage: value(FailureReasonAttributes.errorMessage),
      functionName: value(FailureReasonAttributes.functionName),
      eventId: value(FailureReasonAttributes.eventId),
      firstFailedAt: value(FailureReasonAttributes.firstFailedAt),
    };
  }
  if (fields.errorName === undefined) return undefined;
  return {
    errorName: fields.errorName,
    errorMessage: fields.errorMessage ?? '',
    functionName: fields.functionName ?? '',
    ...(fields.eventId === undefined ? {} : { eventId: fields.eventId }),
    firstFailedAt: fields.firstFailedAt ?? '',
  };
};

/**
 * A Lambda SQS record's message attributes (the shape of aws-lambda's `SQSMessageAttributes`).
 *
 * @example
 * ```ts
 * const attributes: LambdaMessageAttributes = record.messageAttributes; // an SQSRecord's
 * ```
 */
export type LambdaMessageAttributes = Readonly<
  Record<string, { readonly dataType: string; readonly stringValue?: string; readonly binaryValue?: string }>
>;

/**
 * A Lambda SQS record's message attributes in the SDK's shape (binary values arrive base64-encoded). Pure.
 *
 * @example
 * ```ts
 * const attributes = sdkMessageAttributes(record.messageAttributes); // SQSRecord → MessageAttributeValue
 * ```
 */
export const sdkMessageAttributes = (
  attributes: LambdaMessageAttributes | undefined,
): Record<string, MessageAttributeValue> =>
  Object.fromEntries(
    Object.entries(attributes ?? {}).map(([name, value]) => [
      name,
      {
        DataType: value.dataType,
        ...(value.stringValue === undefined ? {} : { StringValue: value.stringValue }),
        ...(value.binaryValue === undefined ? {} : { BinaryValue: Buffer.from(value.binaryValue, 'base64') }),
      },
    ]),
  );

/**
 * The domain event id of a body, if it has one (an EventBridge event's `detail.id`, or an envelope's `id`).
 *
 * @example
 * ```ts
 * eventIdOfBody(JSON.stringify({ detail: { id: 'evt-1' } })); // 'evt-1'
 * ```
 */
export const eventIdOfBody = (body: string): string | undefined => {
  try {
    const json = JSON.parse(body) as { id?: unknown; detail?: { id?: unknown } } | null;
    const id = json?.detail?.id ?? (json?.detail === undefined ? json?.id : undefined);
    return typeof id === 'string' && id !== '' ? id : undefined;
  } catch {
    return undefined;
  }
};
