import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { EventPatternError } from '../../../packages/local-cloud/src/eventbridge';
import {
  compileFilterPattern,
  createFilterMatcher,
  FilterCriteriaError,
  passesFilters,
} from '../../../packages/local-cloud/src/lambda/event-filter';
import { sqsFilterView } from '../../../packages/local-cloud/src/lambda/sqs-batch';

/**
 * Lambda event filtering (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html) runs the
 * EventBridge pattern engine on the record as Lambda shapes it.
 */
const streamRecord = {
  eventName: 'INSERT',
  dynamodb: { NewImage: { status: { S: 'PAID' }, total: { N: '12' } }, Keys: { pk: { S: 'order#1' } } },
  tags: ['a', 'b'],
};
const matcher = createFilterMatcher();
const matches = (pattern: unknown, record: unknown = streamRecord) =>
  matcher(JSON.stringify(pattern), record);

const sqsRecord = (body: string): SQSRecord => ({
  messageId: 'm-1',
  receiptHandle: 'r',
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '1',
    SenderId: 's',
    ApproximateFirstReceiveTimestamp: '1',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
  awsRegion: 'us-east-1',
});

describe('event source filters on the EventBridge engine', () => {
  it('matches DynamoDB stream records through their dynamodb key', () => {
    expect(matches({ eventName: ['INSERT', 'MODIFY'] })).toBe(true);
    expect(matches({ dynamodb: { NewImage: { status: { S: ['PAID'] } } } })).toBe(true);
    expect(matches({ dynamodb: { Keys: { pk: { S: [{ prefix: 'order#' }] } } } })).toBe(true);
    expect(matches({ dynamodb: { OldImage: [{ exists: false }] } })).toBe(true);
    expect(matches({ dynamodb: { NewImage: { total: { N: [{ 'anything-but': '0' }] } } } })).toBe(true);
  });

  it('has the whole language of rules, $or and dot-joined keys included', () => {
    expect(matches({ $or: [{ eventName: ['REMOVE'] }, { tags: ['b'] }] })).toBe(true);
    expect(matches({ 'dynamodb.NewImage.status.S': ['PAID'] })).toBe(true);
    expect(matches({ dynamodb: { Keys: { pk: { S: [{ suffix: '#2' }] } } } })).toBe(false);
  });

  it('matches a JSON SQS body as parsed JSON and a plain body as a string', () => {
    const json = sqsFilterView(sqsRecord('{"type":"order.created","total":12}'));
    expect(matches({ body: { type: ['order.created'] } }, json)).toBe(true);
    expect(matches({ body: { total: [{ numeric: ['>', 10] }] } }, json)).toBe(true);
    const plain = sqsFilterView(sqsRecord('hello'));
    expect(matches({ body: ['hello'] }, plain)).toBe(true);
    expect(matches({ body: { type: ['order.created'] } }, plain)).toBe(false);
  });

  it('refuses what Lambda refuses: invalid patterns and operators mappings lack', () => {
    expect(() => compileFilterPattern('{"eventName":"INSERT"}')).toThrow(EventPatternError);
    expect(() => compileFilterPattern('{"eventName":[{"wildcard":"IN*"}]}')).toThrow(FilterCriteriaError);
    expect(() => compileFilterPattern('{"a":{"b":[{"anything-but":{"prefix":"x"}}]}}')).toThrow(
      /anything-but\/prefix is not supported in Lambda event filtering\n at a\.b$/,
    );
    expect(() => compileFilterPattern('{"$or":[{"a":[1]},{"b":[{"wildcard":"*"}]}]}')).toThrow(
      FilterCriteriaError,
    );
  });
});

describe('passesFilters', () => {
  it('passes everything without filters and ORs several filters', () => {
    expect(passesFilters([], streamRecord, matcher)).toBe(true);
    expect(
      passesFilters(['{"eventName":["REMOVE"]}', '{"eventName":["INSERT"]}'], streamRecord, matcher),
    ).toBe(true);
    expect(passesFilters(['{"eventName":["REMOVE"]}'], streamRecord, matcher)).toBe(false);
  });
});
