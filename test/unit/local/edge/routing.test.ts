import { describe, expect, it } from 'vitest';
import {
  chooseBackend,
  credentialScope,
  describeRequest,
  isHealthCheck,
  needsBodyAction,
  type RouteTable,
} from '../../../../packages/local-cloud/src/edge/routing';

const signed = (service: string, region = 'eu-west-1') =>
  `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`;

const table: RouteTable<string> = {
  byTargetPrefix: new Map([
    ['AmazonSQS', 'sqs'],
    ['DynamoDB_20120810', 'dynamodb'],
    ['DynamoDBStreams_20120810', 'dynamodb'],
    ['secretsmanager', 'secrets'],
  ]),
  bySigningName: new Map([
    ['sqs', 'sqs'],
    ['dynamodb', 'dynamodb'],
    ['secretsmanager', 'secrets'],
    ['sns', 'sns'],
  ]),
  byQueryAction: new Map([
    ['SendMessage', 'sqs'],
    ['ListQueues', 'sqs'],
    ['Publish', 'sns'],
  ]),
};

describe('credentialScope', () => {
  it('reads region and service from the Authorization header', () => {
    expect(credentialScope({ headers: { authorization: signed('sqs') } })).toEqual({
      region: 'eu-west-1',
      service: 'sqs',
    });
  });

  it('reads them from a presigned URL', () => {
    const url =
      '/?Action=ListQueues&X-Amz-Credential=AKID%2F20261127%2Fus-east-1%2Fsqs%2Faws4_request&X-Amz-Date=x';
    expect(credentialScope({ url, headers: {} })).toEqual({ region: 'us-east-1', service: 'sqs' });
  });

  it('is undefined for unsigned requests and other schemes', () => {
    expect(credentialScope({ headers: {} })).toBeUndefined();
    expect(credentialScope({ headers: { authorization: 'Bearer token' } })).toBeUndefined();
  });
});

describe('describeRequest', () => {
  it('splits X-Amz-Target into prefix and action (JSON protocol)', () => {
    const route = describeRequest({
      method: 'POST',
      url: '/',
      headers: { 'x-amz-target': 'DynamoDB_20120810.PutItem', authorization: signed('dynamodb') },
    });
    expect(route).toEqual({
      protocol: 'json',
      targetPrefix: 'DynamoDB_20120810',
      action: 'PutItem',
      signingName: 'dynamodb',
      region: 'eu-west-1',
    });
  });

  it('recognises the query protocol by its form body or its ?Action=', () => {
    const form = describeRequest({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    });
    expect(form).toMatchObject({ protocol: 'query', action: undefined, signingName: undefined });
    expect(
      describeRequest({ method: 'GET', url: '/?Action=ListQueues&Version=2012-11-05', headers: {} }),
    ).toMatchObject({ protocol: 'query', action: 'ListQueues' });
  });

  it('treats everything else as another protocol', () => {
    expect(describeRequest({ method: 'GET', url: '/2015-03-31/functions', headers: {} }).protocol).toBe(
      'other',
    );
  });
});

describe('chooseBackend', () => {
  it('routes by target prefix first, whatever the signing scope says', () => {
    const route = describeRequest({
      headers: {
        'x-amz-target': 'DynamoDBStreams_20120810.GetRecords',
        authorization: signed('streams.dynamodb'),
      },
    });
    expect(chooseBackend(route, table)).toBe('dynamodb');
  });

  it('falls back to the signing scope when the prefix is unknown or absent', () => {
    expect(
      chooseBackend(
        describeRequest({ headers: { 'x-amz-target': 'Unknown.Op', authorization: signed('sqs') } }),
        table,
      ),
    ).toBe('sqs');
    const queryRoute = describeRequest({
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: signed('sns') },
    });
    expect(chooseBackend(queryRoute, table)).toBe('sns');
  });

  it('routes unsigned query requests by action, from the URL or the body', () => {
    expect(chooseBackend(describeRequest({ url: '/?Action=Publish', headers: {} }), table)).toBe('sns');
    const route = describeRequest({ headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(needsBodyAction(route, table)).toBe(true);
    expect(chooseBackend(route, table, 'SendMessage')).toBe('sqs');
  });

  it('finds nothing for unknown targets, services and actions', () => {
    expect(
      chooseBackend(describeRequest({ headers: { 'x-amz-target': 'AWSEvents.PutEvents' } }), table),
    ).toBeUndefined();
    expect(
      chooseBackend(describeRequest({ headers: { authorization: signed('lambda') } }), table),
    ).toBeUndefined();
    const query = describeRequest({ headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(chooseBackend(query, table, 'DescribeInstances')).toBeUndefined();
  });

  it('does not read the body of signed requests or JSON requests', () => {
    const signedQuery = describeRequest({
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: signed('sqs') },
    });
    expect(needsBodyAction(signedQuery, table)).toBe(false);
    expect(
      needsBodyAction(describeRequest({ headers: { 'x-amz-target': 'AmazonSQS.SendMessage' } }), table),
    ).toBe(false);
  });
});

describe('isHealthCheck', () => {
  it('matches GET and HEAD on the health path only', () => {
    expect(isHealthCheck({ method: 'GET', url: '/_breakwater/health', headers: {} })).toBe(true);
    expect(isHealthCheck({ method: 'HEAD', url: '/_breakwater/health?x=1', headers: {} })).toBe(true);
    expect(isHealthCheck({ method: 'POST', url: '/_breakwater/health', headers: {} })).toBe(false);
    expect(isHealthCheck({ method: 'GET', url: '/', headers: {} })).toBe(false);
  });
});
