import { describe, expect, it } from 'vitest';
import { globToRegExp, kindFromMetadata, sourcesByDlqArn } from '../../../packages/dlq/src/discovery';
import {
  parseQueueArn,
  queueNameFromUrl,
  redriveTargetArn,
  type ScannedQueue,
} from '../../../packages/dlq/src/queues';

const scanned = (name: string, attributes: Record<string, string> = {}): ScannedQueue => ({
  queue: {
    url: `http://q/000000000000/${name}`,
    arn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
    name,
    fifo: false,
  },
  attributes,
  tags: {},
});
const redrive = (dlq: string) => ({
  RedrivePolicy: JSON.stringify({
    deadLetterTargetArn: `arn:aws:sqs:us-east-1:000000000000:${dlq}`,
    maxReceiveCount: 5,
  }),
});

describe('discovery helpers', () => {
  it('matches names with * and ? globs, escaping everything else', () => {
    expect(globToRegExp('breakwater-*-dlq').test('breakwater-billing-dlq')).toBe(true);
    expect(globToRegExp('breakwater-*-dlq').test('breakwater-billing-queue')).toBe(false);
    expect(globToRegExp('q?.fifo').test('q1.fifo')).toBe(true);
    expect(globToRegExp('q?.fifo').test('q1xfifo')).toBe(false);
  });

  it('reads queue ARNs, URLs and redrive policies', () => {
    expect(parseQueueArn('arn:aws:sqs:eu-west-1:123456789012:billing-dlq')).toEqual({
      region: 'eu-west-1',
      accountId: '123456789012',
      name: 'billing-dlq',
    });
    expect(parseQueueArn('arn:aws:lambda:eu-west-1:1:function:f')).toBeUndefined();
    expect(queueNameFromUrl('https://sqs.eu-west-1.amazonaws.com/123456789012/billing-dlq.fifo')).toBe(
      'billing-dlq.fifo',
    );
    expect(redriveTargetArn(redrive('billing-dlq'))).toBe('arn:aws:sqs:us-east-1:000000000000:billing-dlq');
    expect(redriveTargetArn({ RedrivePolicy: 'not json' })).toBeUndefined();
    expect(redriveTargetArn({})).toBeUndefined();
  });

  it('pairs every DLQ with the queues whose redrive policy names it', () => {
    const sources = sourcesByDlqArn([
      scanned('billing', redrive('shared-dlq')),
      scanned('notifications', redrive('shared-dlq')),
      scanned('orders', redrive('orders-dlq')),
      scanned('shared-dlq'),
    ]);
    expect(sources.get('arn:aws:sqs:us-east-1:000000000000:shared-dlq')?.map((q) => q.name)).toEqual([
      'billing',
      'notifications',
    ]);
    expect(sources.get('arn:aws:sqs:us-east-1:000000000000:orders-dlq')?.map((q) => q.name)).toEqual([
      'orders',
    ]);
  });

  it('reads the kind from the CDK app tag values, from this tool’s own names, or from redrive sources', () => {
    const tag = (value: string) => ({ 'breakwater:dlq-kind': value });
    expect(kindFromMetadata(tag('redrive'), 0)).toBe('sqs-redrive');
    expect(kindFromMetadata(tag('rule-target'), 0)).toBe('eventbridge-target');
    expect(kindFromMetadata(tag('eventbridge-target'), 0)).toBe('eventbridge-target');
    expect(kindFromMetadata(tag('stream-on-failure'), 0)).toBe('stream-on-failure');
    expect(kindFromMetadata(tag('subscription'), 0)).toBe('sns-subscription');
    expect(kindFromMetadata(tag('something-else'), 1)).toBe('sqs-redrive');
    expect(kindFromMetadata({}, 0)).toBe('unknown');
    expect(kindFromMetadata(tag('toString'), 0)).toBe('unknown');
  });
});
