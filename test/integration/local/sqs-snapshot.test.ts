import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { md5Hex } from '../../../packages/local-cloud/src/sqs/md5';
import type { StoredMessage } from '../../../packages/local-cloud/src/sqs/message';
import { restoreSqsSnapshot, saveSqsSnapshot } from '../../../packages/local-cloud/src/sqs/snapshot';
import { SqsStore } from '../../../packages/local-cloud/src/sqs/store';

/** `npm start -- --persist`: the SQS engine's queues and messages survive a restart through a snapshot file. */

const T0 = 1_700_000_000_000;
const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const message = (id: string, body: string): StoredMessage => ({
  messageId: id,
  body,
  md5OfBody: md5Hex(body),
  attributes: undefined,
  systemAttributes: undefined,
  md5OfSystemAttributes: undefined,
  senderId: '000000000000',
  sentTimestamp: T0,
  firstReceiveTimestamp: undefined,
  lastReceiveTimestamp: undefined,
  receiveCount: 0,
  groupId: undefined,
  deduplicationId: undefined,
  sequenceNumber: undefined,
  deadLetterSourceArn: undefined,
  state: 'visible',
  visibleAt: T0,
  receipt: 0,
  availableOrder: 0,
});

describe('SQS snapshot', () => {
  it('brings back queues with attributes and tags, and every message visible with its receive count', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bw-sqs-snapshot-')), 'sqs.json');
    directories.push(join(file, '..'));
    const before = new SqsStore('us-east-1', '000000000000');
    const identity = {
      name: 'orders',
      region: 'us-east-1',
      accountId: '000000000000',
      arn: before.arnOf('us-east-1', 'orders'),
      fifo: false,
    };
    const queue = before.create(identity, { VisibilityTimeout: '30' }, T0);
    queue.tags.set('breakwater:role', 'queue');
    queue.enqueue(message('m-1', 'first'), 0, T0);
    queue.enqueue(message('m-2', 'second'), 0, T0);
    // One message is in flight when the cloud stops.
    expect(queue.receive(1, 30, T0, undefined).map((received) => received.messageId)).toEqual(['m-1']);

    saveSqsSnapshot(before, file);
    const after = new SqsStore('us-east-1', '000000000000');
    expect(restoreSqsSnapshot(after, file, T0 + 1_000)).toEqual({ queues: 1, messages: 2 });

    const restored = after.byArn(identity.arn);
    expect(restored?.attributes).toEqual(queue.attributes);
    expect(restored?.attributes.VisibilityTimeout).toBe('30');
    expect(Object.fromEntries(restored?.tags ?? [])).toEqual({ 'breakwater:role': 'queue' });
    const received = restored?.receive(10, 30, T0 + 1_000, undefined) ?? [];
    expect(received.map((each) => [each.messageId, each.body, each.receiveCount]).sort()).toEqual([
      ['m-1', 'first', 2],
      ['m-2', 'second', 1],
    ]);
  });

  it('restores nothing when there is no snapshot yet', () => {
    const store = new SqsStore('us-east-1', '000000000000');
    expect(restoreSqsSnapshot(store, join(tmpdir(), 'bw-no-such-snapshot.json'))).toEqual({
      queues: 0,
      messages: 0,
    });
    expect(store.all()).toEqual([]);
  });
});
