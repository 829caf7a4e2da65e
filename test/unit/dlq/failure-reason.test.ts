import { deadLetterAttributes, type FailureReason } from '@breakwater/dlq/failure-reason';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../../packages/dlq/src/cli';
import { renderPeek } from '../../../packages/dlq/src/cli-output';
import { replayAttributes } from '../../../packages/dlq/src/message';
import { sendEntry } from '../../../packages/dlq/src/senders';
import { dlqMessage } from './factories';

const reason: FailureReason = {
  errorName: 'ConfigurationError',
  errorMessage: "secret 'gw' still holds its deploy-time placeholder",
  functionName: 'breakwater-dev-billing',
  eventId: 'evt-1',
  firstFailedAt: '2026-12-02T03:00:00.000Z',
};

/** A DLQ message carrying the consumer's failure reason (as `shared/batch` attaches it) beside `tenant`. */
const deadLettered = (originals = 1) => {
  const { attributes } = deadLetterAttributes(
    Object.fromEntries(
      Array.from({ length: originals }, (_, i) => [
        `tenant${i}`,
        { DataType: 'String', StringValue: `t${i}` },
      ]),
    ),
    reason,
  );
  return dlqMessage({
    attributes: Object.fromEntries(
      Object.entries(attributes).map(([name, value]) => [name, value.StringValue ?? '']),
    ),
  });
};

const queue = {
  url: 'https://sqs/000000000000/billing-dlq',
  arn: 'arn:aws:sqs:us-east-1:0:billing-dlq',
  name: 'billing-dlq',
  fifo: false,
};

describe('a DLQ message dead-lettered at once by a consumer', () => {
  it('carries its reason, in either attribute form', () => {
    expect(deadLettered().failure).toEqual(reason);
    expect(deadLettered(8).failure).toEqual(reason);
    expect(dlqMessage().failure).toBeUndefined();
  });

  it('shows the reason in peek, and leaves its attributes out of the attribute line', () => {
    const text = renderPeek(queue, [deadLettered()], false);
    expect(text).toContain(
      "reason      ConfigurationError: secret 'gw' still holds its deploy-time placeholder",
    );
    expect(text).toContain(
      'failed in   breakwater-dev-billing  first at 2026-12-02T03:00:00.000Z  event evt-1',
    );
    expect(text).toContain('attributes  tenant0=t0');
    expect(text).not.toContain('breakwater.failure');
  });

  it('is replayed without the reason by default, with it when asked, and keeps its other attributes', () => {
    const message = deadLettered();
    expect(Object.keys(replayAttributes(message, false))).toEqual(['tenant0']);
    expect(Object.keys(replayAttributes(message, false, true)).sort()).toEqual(
      Object.keys(message.attributes).sort(),
    );
    const destination = {
      kind: 'sqs',
      label: 'billing',
      queue: { ...queue, name: 'billing' },
      redelivery: false,
    } as const;
    const stripped = sendEntry(message, '0', destination);
    const kept = sendEntry(message, '0', destination, { keepFailureReason: true });
    expect('entry' in stripped && Object.keys(stripped.entry.MessageAttributes ?? {})).toEqual(['tenant0']);
    expect('entry' in kept && Object.keys(kept.entry.MessageAttributes ?? {})).toHaveLength(6);
  });

  it('--keep-reason asks a replay to keep it; --native cannot take it', () => {
    const command = parseCliArgs(['replay', 'billing-dlq', '--keep-reason']);
    expect(command).toMatchObject({ kind: 'replay', options: { keepFailureReason: true } });
    expect(parseCliArgs(['replay', 'billing-dlq'])).toMatchObject({ options: { keepFailureReason: false } });
    expect(() => parseCliArgs(['replay', 'billing-dlq', '--native', '--keep-reason'])).toThrow(
      /--keep-reason/,
    );
  });
});
