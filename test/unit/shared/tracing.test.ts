import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Destination } from '../../../packages/dlq/src/destinations';
import { sendEntry, sendMessages } from '../../../packages/dlq/src/senders';
import type { QueueRef } from '../../../packages/dlq/src/types';
import { EventPublisher } from '../../../shared/events/publisher';
import { currentTraceHeader, isTraceHeader, TRACE_HEADER_ENV } from '../../../shared/middleware/tracing';
import { orderCreatedEvent } from '../../support/events';
import { FakeEventBridge } from '../../support/fake-event-bridge';
import { dlqMessage } from '../dlq/factories';

const invocationHeader = 'Root=1-6930a0b1-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1';
const messageHeader = 'Root=1-6930a0b1-fedcba9876543210fedcba98;Parent=1111222233334444;Sampled=0';

afterEach(() => {
  delete process.env[TRACE_HEADER_ENV];
});

describe('the invocation trace header', () => {
  it("is Lambda's _X_AMZN_TRACE_ID when it is a valid X-Ray header, otherwise absent", () => {
    expect(currentTraceHeader({ [TRACE_HEADER_ENV]: invocationHeader })).toBe(invocationHeader);
    expect(currentTraceHeader({ [TRACE_HEADER_ENV]: ` ${invocationHeader}\n` })).toBe(invocationHeader);
    expect(currentTraceHeader({})).toBeUndefined();
    for (const bad of ['', 'Root=1-abc', 'Parent=53995c3f42cd8ad8', `${invocationHeader};Bad=a b`]) {
      expect(isTraceHeader(bad), bad).toBe(false);
      expect(currentTraceHeader({ [TRACE_HEADER_ENV]: bad })).toBeUndefined();
    }
  });
});

describe('PutEvents carries the trace header', () => {
  it('sets TraceHeader on every entry from _X_AMZN_TRACE_ID, read at each publish', async () => {
    const bus = new FakeEventBridge();
    const publisher = new EventPublisher({ client: bus, eventBusName: 'breakwater' });

    process.env[TRACE_HEADER_ENV] = invocationHeader;
    await publisher.publish([orderCreatedEvent(), orderCreatedEvent()]);
    // A warm container: the next invocation has its own header.
    process.env[TRACE_HEADER_ENV] = messageHeader;
    await publisher.publish([orderCreatedEvent()]);
    delete process.env[TRACE_HEADER_ENV];
    await publisher.publish([orderCreatedEvent()]);

    expect(bus.accepted.map((entry) => entry.TraceHeader)).toEqual([
      invocationHeader,
      invocationHeader,
      messageHeader,
      undefined,
    ]);
    expect('TraceHeader' in (bus.accepted[3] ?? {})).toBe(false);
  });
});

describe('re-sent SQS messages carry AWSTraceHeader', () => {
  const queue: QueueRef = {
    url: 'http://q/billing',
    arn: 'arn:aws:sqs:us-east-1:0:billing',
    name: 'billing',
    fifo: false,
  };
  const destination: Extract<Destination, { kind: 'sqs' }> = {
    kind: 'sqs',
    label: queue.arn,
    queue,
    redelivery: false,
  };
  const traceOf = (built: ReturnType<typeof sendEntry>) =>
    'entry' in built ? built.entry.MessageSystemAttributes?.AWSTraceHeader?.StringValue : undefined;

  it("keeps the message's own trace, else joins the replaying invocation's, else sets none", () => {
    const traced = dlqMessage({ system: { AWSTraceHeader: messageHeader } });
    expect(traceOf(sendEntry(traced, '0', destination, { fallbackTraceHeader: invocationHeader }))).toBe(
      messageHeader,
    );
    expect(
      traceOf(sendEntry(dlqMessage(), '1', destination, { fallbackTraceHeader: invocationHeader })),
    ).toBe(invocationHeader);
    expect(traceOf(sendEntry(dlqMessage(), '2', destination))).toBeUndefined();
  });

  it("gives messages without a trace the replay's own (the dlq-replay function passes the invocation's)", async () => {
    const sent: SendMessageBatchCommand['input'][] = [];
    const sqs = {
      send: async (command: SendMessageBatchCommand) => {
        sent.push(command.input);
        return { Successful: (command.input.Entries ?? []).map((entry) => ({ Id: entry.Id })), Failed: [] };
      },
    } as unknown as SQSClient;
    process.env[TRACE_HEADER_ENV] = invocationHeader;
    const outcomes = await sendMessages(
      { sqs },
      destination,
      [dlqMessage(), dlqMessage({ system: { AWSTraceHeader: messageHeader } })],
      { traceHeader: currentTraceHeader() },
    );
    expect(outcomes).toEqual([{ ok: true }, { ok: true }]);
    expect(
      sent[0]?.Entries?.map((entry) => entry.MessageSystemAttributes?.AWSTraceHeader?.StringValue),
    ).toEqual([invocationHeader, messageHeader]);
  });

  it('puts the same trace header on events a replay sends through the bus', async () => {
    const bus = new FakeEventBridge();
    process.env[TRACE_HEADER_ENV] = invocationHeader;
    const message = (system = {}) => dlqMessage({ system });
    const outcomes = await sendMessages(
      { sqs: {} as SQSClient, eventBridge: bus as unknown as EventBridgeClient },
      { kind: 'bus', label: 'bus', busName: 'breakwater' },
      [message(), message({ AWSTraceHeader: messageHeader })],
      { traceHeader: currentTraceHeader() },
    );
    expect(outcomes).toEqual([{ ok: true }, { ok: true }]);
    expect(bus.accepted.map((entry) => entry.TraceHeader)).toEqual([invocationHeader, messageHeader]);
  });
});
