import { describe, expect, it } from 'vitest';
import { decodeInput } from '../../../../packages/local-cloud/src/sqs/input';
import { md5OfAttributes } from '../../../../packages/local-cloud/src/sqs/md5';
import { checkQueueAttributes } from '../../../../packages/local-cloud/src/sqs/queue-attributes';
import {
  checkBatchEntries,
  checkFifoToken,
  checkMessageAttributes,
  hasOnlyValidCharacters,
  messageSize,
} from '../../../../packages/local-cloud/src/sqs/rules';

describe('the character rule of bodies and string attribute values', () => {
  it('allows #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF', () => {
    for (const text of ['\t\n\r', ' ~é€', '\uE000\uFFFD', '🎉🍕', '\u{10000}\u{10FFFF}', '日本語']) {
      expect(hasOnlyValidCharacters(text)).toBe(true);
    }
  });

  it('refuses control characters, #xFFFE–#xFFFF and lone surrogates', () => {
    for (const text of ['\u0000', '\u0008', '\u001F', '\uFFFE', '\uFFFF', '\uD83C', 'x\uDF89y']) {
      expect(hasOnlyValidCharacters(text)).toBe(false);
    }
  });
});

describe('message attributes', () => {
  const string = (value: string) => ({ DataType: 'String', StringValue: value });

  it('keep valid names and types, binary values as bytes', () => {
    expect(
      checkMessageAttributes({
        'attr.1øßä': string('v'),
        n: { DataType: 'Number.float', StringValue: '1.5e3' },
        b: { DataType: 'Binary.gif', BinaryValue: new Uint8Array([1]) },
      }),
    ).toEqual({
      'attr.1øßä': { DataType: 'String', StringValue: 'v' },
      n: { DataType: 'Number.float', StringValue: '1.5e3' },
      b: { DataType: 'Binary.gif', BinaryValue: new Uint8Array([1]) },
    });
  });

  it('refuse reserved prefixes, bad periods and characters, bad types, empty values and non-numbers', () => {
    const refused = [
      { 'AWS.x': string('v') },
      { 'amazon.x': string('v') },
      { '.x': string('v') },
      { 'x.': string('v') },
      { 'a..b': string('v') },
      { 'a!b': string('v') },
      { ['n'.repeat(257)]: string('v') },
      { a: { DataType: 'Invalid', StringValue: 'v' } },
      { a: string('') },
      { a: { DataType: 'Number', StringValue: 'abc' } },
      { a: { DataType: 'Number', StringValue: '1e200' } },
      { a: { DataType: 'Binary' } },
      Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, string('v')])),
    ];
    for (const attributes of refused) {
      expect(() => checkMessageAttributes(attributes), JSON.stringify(Object.keys(attributes))).toThrow(
        expect.objectContaining({ code: 'InvalidParameterValue' }),
      );
    }
  });

  it('count name, type and value bytes towards the message size', () => {
    expect(messageSize('ab', { k: { DataType: 'String', StringValue: 'x' } })).toBe(2 + 1 + 6 + 1);
  });

  it('digest as AWS does: the MD5 of the attributes AWS recorded for three values', () => {
    expect(
      md5OfAttributes({
        'Help.Me': { DataType: 'String', StringValue: 'Me' },
        Hello: { DataType: 'String', StringValue: 'There' },
        General: { DataType: 'String', StringValue: 'Kenobi' },
      }),
    ).toBe('4c360f3fdafd970e05fae2f149d997f5');
    expect(md5OfAttributes({})).toBeUndefined();
  });
});

describe('ids and batches', () => {
  it('take 1–128 alphanumerics and punctuation as group and deduplication ids', () => {
    expect(() => checkFifoToken('a'.repeat(128), 'MessageGroupId')).not.toThrow();
    for (const id of ['', 'a'.repeat(129), 'group 123']) {
      expect(() => checkFifoToken(id, 'MessageGroupId')).toThrow(
        /can only include alphanumeric and punctuation/,
      );
    }
  });

  it('check batch envelopes in AWS’s order', () => {
    expect(() => checkBatchEntries([], 'E')).toThrow(
      expect.objectContaining({ code: 'AWS.SimpleQueueService.EmptyBatchRequest' }),
    );
    expect(() =>
      checkBatchEntries(
        Array.from({ length: 11 }, (_, i) => ({ Id: `${i}` })),
        'E',
      ),
    ).toThrow('Maximum number of entries per request are 10. You have sent 11.');
    expect(() => checkBatchEntries([{ Id: 'a:b' }], 'E')).toThrow(
      expect.objectContaining({ code: 'AWS.SimpleQueueService.InvalidBatchEntryId' }),
    );
    expect(() => checkBatchEntries([{ Id: 'a' }, { Id: 'b' }, { Id: 'b' }, { Id: 'a' }], 'E')).toThrow(
      'Id b repeated.',
    );
  });
});

describe('queue attributes', () => {
  const lookup = () => undefined;

  it('normalise booleans and integers, and refuse FIFO attributes on standard queues', () => {
    expect(
      checkQueueAttributes(
        { ContentBasedDeduplication: 'True', VisibilityTimeout: '069' },
        { fifo: true, creating: true, lookup },
      ),
    ).toEqual({
      ContentBasedDeduplication: 'true',
      VisibilityTimeout: '69',
    });
    expect(() =>
      checkQueueAttributes({ DeduplicationScope: 'queue' }, { fifo: false, creating: true, lookup }),
    ).toThrow('You can specify the DeduplicationScope only when FifoQueue is set to true.');
    expect(() =>
      checkQueueAttributes({ DelaySeconds: '901' }, { fifo: false, creating: true, lookup }),
    ).toThrow('Invalid value for the parameter DelaySeconds.');
  });
});

describe('input shapes', () => {
  it('read scalars leniently and refuse structures where a scalar belongs', () => {
    expect(decodeInput('CreateQueue', { QueueName: 'q', Attributes: { DelaySeconds: 5 } })).toEqual({
      QueueName: 'q',
      Attributes: { DelaySeconds: '5' },
    });
    expect(() => decodeInput('CreateQueue', { QueueName: 'q', Attributes: { DelaySeconds: {} } })).toThrow(
      /Start of structure or map found where not expected/,
    );
    expect(
      decodeInput('SendMessage', {
        QueueUrl: 'q',
        MessageBody: 'b',
        MessageAttributes: { b: { DataType: 'Binary', BinaryValue: 'AQI=' } },
      }),
    ).toEqual({
      QueueUrl: 'q',
      MessageBody: 'b',
      MessageAttributes: { b: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2]) } },
    });
  });
});
