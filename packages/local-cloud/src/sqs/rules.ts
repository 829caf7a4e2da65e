import type { MessageAttributeValue, MessageSystemAttributeValue } from '@aws-sdk/client-sqs';
import { SqsErrors } from './errors.js';
import type { StoredAttributes, StoredAttributeValue } from './md5.js';

/**
 * The value half of the SQS input validator: the rules AWS applies to what a request carries, with AWS's error
 * codes and wording. Sources: the SendMessage, SendMessageBatch, ReceiveMessage and MessageAttributeValue pages of
 * the API reference and the developer guide's message-metadata page
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html).
 */

/**
 * The characters SQS accepts in bodies and string attribute values: #x9 | #xA | #xD | #x20–#xD7FF |
 * #xE000–#xFFFD | #x10000–#x10FFFF. With the `u` flag a character outside the Basic Multilingual Plane (an
 * emoji) is one code point, so it is allowed; a lone surrogate, #xFFFE/#xFFFF and control characters are not.
 */
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Whether text holds only characters SQS accepts. */
export const hasOnlyValidCharacters = (text: string): boolean => !INVALID_CHARACTER.test(text);

/** Throws AWS's InvalidMessageContents when a body holds a character SQS refuses. */
export const checkBodyCharacters = (body: string): void => {
  if (!hasOnlyValidCharacters(body)) throw SqsErrors.invalidMessageContents();
};

/** An integer within bounds, or AWS's `Value <v> for parameter <name> is invalid. Reason: <reason>`. */
export const checkRange = (
  value: number | undefined,
  name: string,
  min: number,
  max: number,
  reason: string,
): number | undefined => {
  if (value === undefined) return undefined;
  if (value < min || value > max) throw SqsErrors.invalidValue(name, value, reason);
  return value;
};

/**
 * MessageGroupId, MessageDeduplicationId and ReceiveRequestAttemptId: 1–128 characters, each an ASCII letter or
 * digit or one of the punctuation characters the API reference lists.
 */
const FIFO_TOKEN = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

export const checkFifoToken = (value: string | undefined, name: string): void => {
  if (value === undefined) return;
  if (!FIFO_TOKEN.test(value)) {
    throw SqsErrors.invalidValue(
      name,
      value,
      `${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
  }
};

/** Batch entry ids: alphanumerics, hyphens and underscores, 1 to 80. */
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The envelope checks of every batch action, in AWS's order: at least one entry, at most 10, each id well
 * formed, no id twice.
 */
export const checkBatchEntries = <E extends { readonly Id?: string | undefined }>(
  entries: readonly E[] | undefined,
  entryShape: string,
): readonly E[] => {
  if (entries === undefined || entries.length === 0) throw SqsErrors.emptyBatchRequest(entryShape);
  if (entries.length > 10) throw SqsErrors.tooManyEntriesInBatchRequest(entries.length);
  const seen = new Set<string>();
  for (const entry of entries) {
    const id = entry.Id ?? '';
    if (!BATCH_ENTRY_ID.test(id)) throw SqsErrors.invalidBatchEntryId();
    if (seen.has(id)) throw SqsErrors.batchEntryIdsNotDistinct(id);
    seen.add(id);
  }
  return entries;
};

/** Attribute names: letters, digits, `_`, `-` and `.`; no reserved prefix; no leading, trailing or double `.`. */
const ATTRIBUTE_NAME = /^[\p{L}\p{N}_.-]+$/u;
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;
const MAX_ATTRIBUTES = 10;
const MAX_NAME_LENGTH = 256;

/** Number attributes: up to 38 significant digits, from 10^-128 to 10^126 in magnitude. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const checkNumber = (name: string, value: string): void => {
  const trimmed = value.trim();
  if (!NUMBER.test(trimmed)) {
    throw SqsErrors.invalidParameterValue(
      `Can't cast the value of message (user) attribute '${name}' to a number.`,
    );
  }
  const [mantissa = '', exponentText] = trimmed.replace(/^[+-]/, '').split(/[eE]/);
  const digits = mantissa.replace('.', '').replace(/^0+/, '');
  const significant = digits.replace(/0+$/, '');
  const number = Number(trimmed);
  const magnitude = Math.abs(number);
  const exponent = Number(exponentText ?? '0');
  if (
    significant.length > 38 ||
    !Number.isFinite(number) ||
    (magnitude !== 0 && (magnitude >= 1e126 || magnitude < 1e-128)) ||
    Math.abs(exponent) > 10_000
  ) {
    throw SqsErrors.invalidParameterValue(
      `Value ${value} for parameter MessageAttributes.${name} is invalid. Reason: Number values must be between 10^-128 and 10^126 with at most 38 significant digits.`,
    );
  }
};

const checkAttributeName = (name: string, kind: 'user' | 'system'): void => {
  if (name === '') {
    throw SqsErrors.invalidParameterValue(
      `The request must contain non-empty message ${kind} attribute names.`,
    );
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw SqsErrors.invalidParameterValue(
      `Message (${kind}) attribute name ${name} is invalid. Reason: It must be shorter than ${MAX_NAME_LENGTH} characters.`,
    );
  }
  const lower = name.toLowerCase();
  if (lower.startsWith('aws.') || lower.startsWith('amazon.')) {
    throw SqsErrors.invalidParameterValue(
      "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use.",
    );
  }
  if (!ATTRIBUTE_NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
    throw SqsErrors.invalidParameterValue(
      `Message (${kind}) attribute name ${name} is invalid. Reason: It can only contain alphanumeric characters, hyphens, underscores and periods, and must not start or end with a period or contain consecutive periods.`,
    );
  }
};

/** Checks one attribute value and returns it as stored (binary as bytes, list members dropped: not implemented). */
const checkAttributeValue = (
  name: string,
  value: MessageAttributeValue | MessageSystemAttributeValue,
  kind: 'user' | 'system',
): StoredAttributeValue => {
  const dataType = value.DataType;
  if (dataType === undefined || dataType === '') {
    throw SqsErrors.invalidParameterValue(
      `The message attribute '${name}' must contain non-empty message attribute type.`,
    );
  }
  if (dataType.length > MAX_NAME_LENGTH || !DATA_TYPE.test(dataType)) {
    throw SqsErrors.invalidParameterValue(
      `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
    );
  }
  const base = dataType.split('.')[0] as 'String' | 'Number' | 'Binary';
  if (base === 'Binary') {
    if (value.BinaryValue === undefined || value.BinaryValue.length === 0) {
      throw SqsErrors.invalidParameterValue(
        `Message (${kind}) attribute '${name}' must contain a non-empty value of type 'Binary'.`,
      );
    }
    return { DataType: dataType, BinaryValue: value.BinaryValue };
  }
  const stringValue = value.StringValue;
  if (stringValue === undefined || stringValue === '') {
    throw SqsErrors.invalidParameterValue(
      `Message (${kind}) attribute '${name}' must contain a non-empty value of type '${base}'.`,
    );
  }
  if (!hasOnlyValidCharacters(stringValue)) {
    throw SqsErrors.invalidParameterValue(
      `Message (${kind}) attribute '${name}' contains invalid characters. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`,
    );
  }
  if (base === 'Number') checkNumber(name, stringValue);
  return { DataType: dataType, StringValue: stringValue };
};

/** Validates message (user) attributes; returns them as stored. */
export const checkMessageAttributes = (
  attributes: Readonly<Record<string, MessageAttributeValue>> | undefined,
): StoredAttributes | undefined => {
  if (attributes === undefined) return undefined;
  const names = Object.keys(attributes);
  if (names.length === 0) return undefined;
  if (names.length > MAX_ATTRIBUTES) {
    throw SqsErrors.invalidParameterValue(
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
    );
  }
  const stored: Record<string, StoredAttributeValue> = {};
  for (const name of names) {
    checkAttributeName(name, 'user');
    const value = attributes[name];
    if (value !== undefined) stored[name] = checkAttributeValue(name, value, 'user');
  }
  return stored;
};

/** Validates message system attributes: only `AWSTraceHeader`, of type String. */
export const checkSystemAttributes = (
  attributes: Readonly<Record<string, MessageSystemAttributeValue>> | undefined,
): StoredAttributes | undefined => {
  if (attributes === undefined) return undefined;
  const names = Object.keys(attributes);
  if (names.length === 0) return undefined;
  const stored: Record<string, StoredAttributeValue> = {};
  for (const name of names) {
    if (name !== 'AWSTraceHeader') {
      throw SqsErrors.invalidParameterValue(
        `Message system attribute name '${name}' is invalid. The only supported message system attribute is AWSTraceHeader.`,
      );
    }
    const value = attributes[name];
    if (value === undefined) continue;
    const checked = checkAttributeValue(name, value, 'system');
    if (checked.DataType !== 'String') {
      throw SqsErrors.invalidParameterValue(
        `Message system attribute '${name}' must be of type 'String' (was '${checked.DataType}').`,
      );
    }
    stored[name] = checked;
  }
  return stored;
};

/** The size SQS counts against MaximumMessageSize: body, plus each attribute's name, type and value bytes. */
export const messageSize = (body: string, attributes: StoredAttributes | undefined): number => {
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, value] of Object.entries(attributes ?? {})) {
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.DataType, 'utf8');
    size +=
      value.BinaryValue === undefined
        ? Buffer.byteLength(value.StringValue ?? '', 'utf8')
        : value.BinaryValue.length;
  }
  return size;
};
