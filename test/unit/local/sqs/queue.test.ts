import { describe, expect, it } from 'vitest';
import { md5Hex } from '../../../../packages/local-cloud/src/sqs/md5';
import type { StoredMessage } from '../../../../packages/local-cloud/src/sqs/message';
import { SqsQueue } from '../../../../packages/local-cloud/src/sqs/queue';

/**
 * The queue's life cycle on a virtual clock: FIFO groups served as AWS serves them (the orderings below are those
 * AWS returned in recorded runs), visibility, delays, and the receive past maxReceiveCount.
 */

const T0 = 1_700_000_000_000;
let counter = 0;

const message = (body: string, groupId?: string): StoredMessage => ({
  messageId: `00000000-0000-0000-0000-${String(++counter).padStart(12, '0')}`,
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
  groupId,
  deduplicationId: groupId === undefined ? undefined : body,
  sequenceNumber: groupId === undefined ? undefined : String(counter),
  deadLetterSourceArn: undefined,
  state: 'visible',
  visibleAt: T0,
  receipt: 0,
  availableOrder: 0,
});

const queue = (fifo: boolean, attributes: Record<string, string> = {}) =>
  new SqsQueue(
    {
      name: fifo ? 'q.fifo' : 'q',
      region: 'us-east-1',
      accountId: '000000000000',
      arn: 'arn:aws:sqs:us-east-1:000000000000:q',
      fifo,
    },
    attributes,
    T0,
  );

/** Sends `g1-m1`-style bodies to the group before the dash. */
const fill = (q: SqsQueue, bodies: string[]) => {
  for (const body of bodies) q.enqueue(message(body, q.fifo ? body.split('-')[0] : undefined), 0, T0);
};

const bodies = (messages: StoredMessage[]) => messages.map((m) => m.body);

describe('FIFO groups', () => {
  it('serve a group’s consecutive visible messages, in order, before the next group’s', () => {
    const q = queue(true);
    fill(q, ['g1-m1', 'g2-m1', 'g1-m2', 'g1-m3']);
    expect(bodies(q.receive(10, 30, T0, undefined))).toEqual(['g1-m1', 'g1-m2', 'g1-m3', 'g2-m1']);
  });

  it('lock a group while its first message is in flight', () => {
    const q = queue(true);
    fill(q, ['g1-m1', 'g1-m2', 'g1-m3', 'g1-m4', 'g2-m1', 'g3-m1']);
    expect(bodies(q.receive(2, 1, T0, undefined))).toEqual(['g1-m1', 'g1-m2']);
    expect(bodies(q.receive(1, 1, T0, undefined))).toEqual(['g2-m1']);
    // After the timeouts the groups come back behind the untouched one, in the order they returned.
    expect(bodies(q.receive(10, 0, T0 + 2_000, undefined))).toEqual([
      'g3-m1',
      'g1-m1',
      'g1-m2',
      'g1-m3',
      'g1-m4',
      'g2-m1',
    ]);
  });

  it('keep a group’s place when its messages are deleted, and order groups by their first message', () => {
    const q = queue(true);
    fill(q, ['g1-m1', 'g2-m1', 'g1-m2', 'g2-m2', 'g1-m3', 'g1-m4', 'g3-m1']);
    const received = q.receive(2, 30, T0, undefined);
    for (const m of received) q.remove(m);
    expect(bodies(q.receive(10, 30, T0, undefined))).toEqual(['g2-m1', 'g2-m2', 'g1-m3', 'g1-m4', 'g3-m1']);
  });

  it('return a message made visible again ahead of its group’s later messages, the group behind the others', () => {
    const q = queue(true);
    fill(q, ['g1-m1', 'g2-m1', 'g2-m2', 'g3-m1', 'g1-m2']);
    expect(bodies(q.receive(3, 0, T0, undefined))).toEqual(['g1-m1', 'g1-m2', 'g2-m1']);
    expect(bodies(q.receive(10, 0, T0, undefined))).toEqual(['g3-m1', 'g1-m1', 'g1-m2', 'g2-m1', 'g2-m2']);
  });

  it('stop at the first invisible message of a group', () => {
    const q = queue(true);
    fill(q, ['g1-m1', 'g1-m2', 'g2-m1']);
    const [first] = q.receive(2, 30, T0, undefined);
    if (first === undefined) throw new Error('nothing received');
    q.hide(first, 0, T0 + 10);
    expect(bodies(q.receive(3, 30, T0 + 20, undefined))).toEqual(['g2-m1', 'g1-m1']);
  });

  it('hold delayed messages back until their delay ends', () => {
    const q = queue(true);
    for (const body of ['g1-m1', 'g1-m2']) q.enqueue(message(body, 'g1'), 2, T0);
    expect(q.receive(10, 30, T0 + 1_999, undefined)).toEqual([]);
    expect(q.approximateCounts(T0 + 1_999)).toEqual({ visible: 0, inflight: 0, delayed: 2 });
    expect(bodies(q.receive(10, 30, T0 + 2_000, undefined))).toEqual(['g1-m1', 'g1-m2']);
  });
});

describe('standard queues', () => {
  it('hide a received message for its visibility timeout, then count it visible again', () => {
    const q = queue(false);
    fill(q, ['a', 'b']);
    expect(bodies(q.receive(1, 5, T0, undefined))).toEqual(['a']);
    expect(q.approximateCounts(T0 + 4_999)).toEqual({ visible: 1, inflight: 1, delayed: 0 });
    expect(q.approximateCounts(T0 + 5_000)).toEqual({ visible: 2, inflight: 0, delayed: 0 });
    expect(bodies(q.receive(10, 5, T0 + 5_000, undefined))).toEqual(['b', 'a']);
  });

  it('never return the same message twice in one receive, however often its visibility changed', () => {
    const q = queue(false);
    fill(q, ['a']);
    const [a] = q.receive(1, 30, T0, undefined);
    if (a === undefined) throw new Error('nothing received');
    q.hide(a, 0, T0 + 1);
    q.refresh(T0 + 2);
    q.hide(a, 0, T0 + 3);
    expect(bodies(q.receive(10, 30, T0 + 4, undefined))).toEqual(['a']);
  });

  it('hand a message past maxReceiveCount to the dead-letter mover instead of receiving it', () => {
    const q = queue(false, {
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq',
        maxReceiveCount: 1,
      }),
    });
    fill(q, ['a']);
    const moved: string[] = [];
    const mover = (m: StoredMessage) => {
      moved.push(m.body);
      return true;
    };
    expect(bodies(q.receive(1, 0, T0, mover))).toEqual(['a']);
    expect(bodies(q.receive(1, 0, T0 + 1, mover))).toEqual([]);
    expect(moved).toEqual(['a']);
    expect(q.approximateCounts(T0 + 1)).toEqual({ visible: 0, inflight: 0, delayed: 0 });
  });

  it('drop messages older than the retention period', () => {
    const q = queue(false, { MessageRetentionPeriod: '60' });
    fill(q, ['old']);
    expect(q.approximateCounts(T0 + 59_999).visible).toBe(1);
    expect(q.receive(1, 30, T0 + 60_000, undefined)).toEqual([]);
    expect(q.approximateCounts(T0 + 60_000).visible).toBe(0);
  });
});
