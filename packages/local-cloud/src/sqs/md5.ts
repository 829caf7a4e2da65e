import { createHash } from 'node:crypto';

/**
 * The MD5 digests SQS returns so clients can check what it stored: of the body (its UTF-8 bytes), and of a set of
 * message (or system) attributes, encoded as AWS documents it: attributes sorted by name, each as the 4-byte
 * big-endian length and UTF-8 bytes of its name, the same of its data type, one transport byte (1 for String and
 * Number, 2 for Binary), then the length and bytes of its value.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation
 */

/** An attribute value as the engine stores it: binary values as bytes. */
export interface StoredAttributeValue {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: Uint8Array;
}

export type StoredAttributes = Readonly<Record<string, StoredAttributeValue>>;

export const md5Hex = (data: string | Uint8Array): string => createHash('md5').update(data).digest('hex');

const lengthPrefixed = (bytes: Buffer): Buffer[] => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return [length, bytes];
};

/** The MD5 of a set of attributes; undefined when there are none (AWS then omits the member). */
export const md5OfAttributes = (attributes: StoredAttributes | undefined): string | undefined => {
  if (attributes === undefined) return undefined;
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  for (const name of names) {
    const value = attributes[name];
    if (value === undefined) continue;
    parts.push(...lengthPrefixed(Buffer.from(name, 'utf8')));
    parts.push(...lengthPrefixed(Buffer.from(value.DataType, 'utf8')));
    if (value.DataType.startsWith('Binary')) {
      parts.push(Buffer.from([2]), ...lengthPrefixed(Buffer.from(value.BinaryValue ?? new Uint8Array())));
    } else {
      parts.push(Buffer.from([1]), ...lengthPrefixed(Buffer.from(value.StringValue ?? '', 'utf8')));
    }
  }
  return md5Hex(Buffer.concat(parts));
};
