import { describe, expect, it } from 'vitest';
import {
  LOCAL_UNSIGNED_CALLER,
  localIamAuthorizer,
  signingAccessKey,
} from '../../../packages/local-cloud/src/lambda/http-api-identity';
import { fromHttpApiResult, toHttpApiEvent } from '../../../packages/local-cloud/src/lambda/http-api-payload';
import { compileRoutes, matchRoute } from '../../../packages/local-cloud/src/lambda/http-api-routes';

const routes = compileRoutes(
  [
    'GET /orders/{id}',
    'GET /orders/latest',
    'POST /orders',
    'ANY /orders/{id}',
    'GET /files/{path+}',
    '$default',
  ].map((routeKey) => ({ routeKey })),
);
const match = (method: string, path: string) => {
  const found = matchRoute(routes, method, path);
  return found === undefined ? undefined : { key: found.route.routeKey, params: found.pathParameters };
};

describe('matchRoute', () => {
  it('prefers literal segments over parameters', () => {
    expect(match('GET', '/orders/latest')).toEqual({ key: 'GET /orders/latest', params: {} });
    expect(match('GET', '/orders/o-1')).toEqual({ key: 'GET /orders/{id}', params: { id: 'o-1' } });
  });

  it('prefers a named method over ANY, and falls back to ANY', () => {
    expect(match('DELETE', '/orders/o-1')?.key).toBe('ANY /orders/{id}');
  });

  it('captures greedy parameters and decodes parameter values', () => {
    expect(match('GET', '/files/a/b%20c.txt')).toEqual({
      key: 'GET /files/{path+}',
      params: { path: 'a/b c.txt' },
    });
    expect(match('GET', '/orders/a%2Fb')?.params).toEqual({ id: 'a/b' });
  });

  it('sends everything else to $default, or nowhere without it', () => {
    expect(match('GET', '/nothing/here')?.key).toBe('$default');
    const strict = compileRoutes([{ routeKey: 'POST /orders' }]);
    expect(matchRoute(strict, 'GET', '/orders')).toBeUndefined();
    expect(matchRoute(strict, 'POST', '/orders/')).toBeUndefined();
  });

  it('rejects malformed route keys', () => {
    expect(() => compileRoutes([{ routeKey: 'orders' }])).toThrow(/unsupported route key/);
  });
});

describe('toHttpApiEvent', () => {
  const route = {
    routeKey: 'POST /orders',
    pathParameters: {},
    apiId: 'abc123',
    stage: '$default',
    accountId: '000000000000',
    requestId: 'req=',
    domainName: '127.0.0.1:3000',
  };

  it('builds a payload 2.0 event: lower-case headers, cookies, joined query values, text body', () => {
    const event = toHttpApiEvent(
      {
        method: 'POST',
        url: '/orders?tag=a&tag=b&q=1',
        headers: { 'content-type': 'application/json', cookie: 'a=1; b=2', 'user-agent': 'test' },
        body: Buffer.from('{"x":1}'),
        sourceIp: '127.0.0.1',
      },
      route,
      new Date('2026-03-12T19:03:58Z'),
    );
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /orders',
      rawPath: '/orders',
      rawQueryString: 'tag=a&tag=b&q=1',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { tag: 'a,b', q: '1' },
      body: '{"x":1}',
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'POST', path: '/orders', userAgent: 'test' },
        time: '12/Mar/2026:19:03:58 +0000',
      },
    });
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event.pathParameters).toBeUndefined();
  });

  it('base64-encodes binary bodies', () => {
    const event = toHttpApiEvent(
      {
        method: 'POST',
        url: '/orders',
        headers: { 'content-type': 'image/png' },
        body: Buffer.from([1, 2]),
        sourceIp: '::1',
      },
      route,
    );
    expect(event).toMatchObject({ body: 'AQI=', isBase64Encoded: true });
  });
});

describe('fromHttpApiResult', () => {
  it('takes a result with statusCode as the response', () => {
    const response = fromHttpApiResult({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', 'X-Id': 7 },
      cookies: ['s=1'],
      body: '{"ok":true}',
    });
    expect(response).toMatchObject({
      statusCode: 201,
      headers: { 'content-type': 'application/json', 'x-id': '7' },
    });
    expect(response.cookies).toEqual(['s=1']);
    expect(response.body.toString()).toBe('{"ok":true}');
  });

  it('decodes base64 bodies', () => {
    expect(fromHttpApiResult({ statusCode: 200, body: 'aGk=', isBase64Encoded: true }).body.toString()).toBe(
      'hi',
    );
  });

  it('turns any other result into a 200 JSON response', () => {
    const response = fromHttpApiResult({ id: 1 });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.body.toString()).toBe('{"id":1}');
  });
});

describe('localIamAuthorizer', () => {
  const signed = (accessKey: string) => ({
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKey}/20261201/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`,
  });

  it("fills API Gateway's IAM fields from the SigV4 access key: one principal per key", () => {
    const first = localIamAuthorizer(signed('AKIDFIRST'), '/orders', '000000000000');
    expect(first).toEqual({
      iam: {
        accessKey: 'AKIDFIRST',
        accountId: '000000000000',
        callerId: expect.stringMatching(/^AIDA[0-9A-F]{17}$/),
        cognitoIdentity: null,
        principalOrgId: null,
        userArn: 'arn:aws:iam::000000000000:user/AKIDFIRST',
        userId: first.iam.callerId,
      },
    });
    const second = localIamAuthorizer(signed('AKIDSECOND'), '/orders', '000000000000');
    expect(second.iam.userArn).toBe('arn:aws:iam::000000000000:user/AKIDSECOND');
    expect(second.iam.userId).not.toBe(first.iam.userId);
  });

  it('reads a presigned URL, and serves an unsigned request as the fixed local caller', () => {
    expect(
      signingAccessKey({}, '/orders?X-Amz-Credential=AKIDQUERY%2F20261201%2Fus-east-1%2Fexecute-api'),
    ).toBe('AKIDQUERY');
    expect(localIamAuthorizer({}, '/orders', '000000000000').iam.userArn).toBe(
      `arn:aws:iam::000000000000:user/${LOCAL_UNSIGNED_CALLER}`,
    );
  });

  it('reaches the function as requestContext.authorizer', () => {
    const event = toHttpApiEvent(
      { method: 'GET', url: '/orders', headers: {}, body: Buffer.alloc(0), sourceIp: '127.0.0.1' },
      {
        routeKey: 'ANY /orders',
        pathParameters: {},
        apiId: 'abc123',
        stage: '$default',
        accountId: '000000000000',
        requestId: 'req=',
        domainName: '127.0.0.1:3000',
        authorizer: localIamAuthorizer({}, '/orders', '000000000000'),
      },
    );
    expect(event.requestContext).toMatchObject({
      authorizer: { iam: { userArn: `arn:aws:iam::000000000000:user/${LOCAL_UNSIGNED_CALLER}` } },
    });
  });
});

describe('routing as API Gateway does', () => {
  it('sends a method that no route of the path declares to nowhere (the front answers its own 404)', () => {
    const declared = compileRoutes([{ routeKey: 'POST /orders' }, { routeKey: 'GET /orders/{orderId}' }]);
    expect(matchRoute(declared, 'DELETE', '/orders')).toBeUndefined();
    expect(matchRoute(declared, 'PUT', '/orders/o-1')).toBeUndefined();
    const anyMethod = compileRoutes([{ routeKey: 'ANY /orders' }, { routeKey: 'ANY /orders/{orderId}' }]);
    expect(matchRoute(anyMethod, 'DELETE', '/orders')?.route.routeKey).toBe('ANY /orders');
    expect(matchRoute(anyMethod, 'PATCH', '/orders/o-1')?.pathParameters).toEqual({ orderId: 'o-1' });
    expect(matchRoute(anyMethod, 'GET', '/customers')).toBeUndefined();
  });
});
