import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EdgeBackend } from '../edge/backends.js';
import { send } from '../support/http-io.js';
import { escapeXml } from '../support/query-protocol.js';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** One stored object. */
export interface S3Object {
  readonly body: Buffer;
  readonly etag: string;
  readonly contentType: string;
  readonly lastModified: Date;
}

/** The buckets and objects of the local S3, in memory. */
export interface S3Store {
  createBucket(name: string): void;
  hasBucket(name: string): boolean;
  deleteBucket(name: string): void;
  buckets(): string[];
  put(bucket: string, key: string, body: Buffer, contentType?: string): S3Object;
  get(bucket: string, key: string): S3Object | undefined;
  delete(bucket: string, key: string): void;
  /** Keys of a bucket, sorted, optionally under a prefix. */
  keys(bucket: string, prefix?: string): string[];
}

/** Creates an empty store. */
export const createS3Store = (): S3Store => {
  const buckets = new Map<string, Map<string, S3Object>>();
  return {
    createBucket: (name) => {
      if (!buckets.has(name)) buckets.set(name, new Map());
    },
    hasBucket: (name) => buckets.has(name),
    deleteBucket: (name) => {
      buckets.delete(name);
    },
    buckets: () => [...buckets.keys()].sort(),
    put: (bucket, key, body, contentType = 'application/octet-stream') => {
      const object = {
        body,
        etag: `"${createHash('md5').update(body).digest('hex')}"`,
        contentType,
        lastModified: new Date(),
      };
      buckets.get(bucket)?.set(key, object);
      return object;
    },
    get: (bucket, key) => buckets.get(bucket)?.get(key),
    delete: (bucket, key) => {
      buckets.get(bucket)?.delete(key);
    },
    keys: (bucket, prefix = '') =>
      [...(buckets.get(bucket)?.keys() ?? [])].filter((key) => key.startsWith(prefix)).sort(),
  };
};

/**
 * Decodes an `aws-chunked` body (SigV4 streaming, or the SDK's unsigned payload with checksum trailers):
 * `<hex size>[;chunk-signature=...]\r\n<data>\r\n` ... `0...\r\n[trailers]\r\n`. Pure.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 */
export const decodeAwsChunked = (raw: Buffer): Buffer => {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < raw.length) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(raw.subarray(offset, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
};

const sendXml = (res: ServerResponse, status: number, xml: string, headers: Record<string, string> = {}) => {
  const body = `<?xml version="1.0" encoding="UTF-8"?>${xml}`;
  send(res, status, body, { 'content-type': 'application/xml', ...headers });
};

const sendS3Error = (
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  resource: string,
) => {
  // HEAD answers carry no body: the SDK reads the code from the status alone.
  if (req.method === 'HEAD') {
    res.writeHead(status, { 'x-amz-error-code': code }).end();
    return;
  }
  sendXml(
    res,
    status,
    `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><Resource>${escapeXml(resource)}</Resource></Error>`,
  );
};

/** Bucket and key of a request: path style (`/bucket/key`), or virtual-hosted (`bucket.<host>/key`) off an IP. */
export const s3Address = (
  req: Pick<IncomingMessage, 'url' | 'headers'>,
): { bucket: string; key: string; query: URLSearchParams } => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const host = (req.headers.host ?? '').split(':')[0] ?? '';
  const path = url.pathname.split('/').slice(1).map(decodeURIComponent);
  const virtual =
    host !== '' &&
    !/^[\d.]+$/.test(host) &&
    host !== 'localhost' &&
    host.split('.').length > 1 &&
    !host.startsWith('s3.');
  if (virtual) return { bucket: host.split('.')[0] ?? '', key: path.join('/'), query: url.searchParams };
  return { bucket: path[0] ?? '', key: path.slice(1).join('/'), query: url.searchParams };
};

const listXml = (store: S3Store, bucket: string, query: URLSearchParams): string => {
  const prefix = query.get('prefix') ?? '';
  const max = Number(query.get('max-keys') ?? 1000);
  const after = query.get('start-after') ?? query.get('continuation-token') ?? query.get('marker') ?? '';
  const all = store.keys(bucket, prefix).filter((key) => key > after);
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  const contents = page
    .map((key) => {
      const object = store.get(bucket, key);
      return `<Contents><Key>${escapeXml(key)}</Key><LastModified>${object?.lastModified.toISOString()}</LastModified><ETag>${escapeXml(object?.etag ?? '')}</ETag><Size>${object?.body.length ?? 0}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
    })
    .join('');
  const next = truncated
    ? `<NextContinuationToken>${escapeXml(page.at(-1) ?? '')}</NextContinuationToken>`
    : '';
  return `<ListBucketResult xmlns="${XMLNS}"><Name>${escapeXml(bucket)}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${next}${contents}</ListBucketResult>`;
};

/** The S3 API operation a request is, by its method, address and sub-resource. Pure. */
export const s3Operation = (method: string, bucket: string, key: string, query: URLSearchParams): string => {
  if (bucket === '') return 'ListBuckets';
  if (key !== '')
    return (
      { PUT: 'PutObject', HEAD: 'HeadObject', GET: 'GetObject', DELETE: 'DeleteObject' }[method] ??
      `${method}Object`
    );
  const sub = [...query.keys()].find(
    (name) =>
      ![
        'list-type',
        'prefix',
        'max-keys',
        'continuation-token',
        'start-after',
        'encoding-type',
        'delimiter',
        'fetch-owner',
      ].includes(name),
  );
  if (sub === undefined)
    return (
      {
        PUT: 'CreateBucket',
        HEAD: 'HeadBucket',
        GET: query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects',
        DELETE: 'DeleteBucket',
      }[method] ?? `${method}Bucket`
    );
  if (sub === 'delete' && method === 'POST') return 'DeleteObjects';
  const verb = { PUT: 'Put', GET: 'Get', DELETE: 'Delete' }[method] ?? method;
  return `${verb}Bucket${sub.charAt(0).toUpperCase()}${sub.slice(1)}`;
};

/** Bucket sub-resources CDK's bootstrap and asset publishing touch that the local S3 accepts and does not keep. */
const acceptedSubresources = [
  'policy',
  'encryption',
  'versioning',
  'lifecycle',
  'publicAccessBlock',
  'tagging',
  'ownershipControls',
  'cors',
  'acl',
];

/**
 * S3 as CDK's asset publishing and CloudFormation's `TemplateURL` need it: buckets (create, head, location,
 * encryption, delete), objects (put, including aws-chunked bodies; head; get; delete), ListObjectsV2.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html
 */
export const s3Backend = (
  store: S3Store,
  options: {
    readonly onUnknown?: (what: string) => void;
    /** Called with the S3 operation of every request (to observe what a client calls). */
    readonly onOperation?: (operation: string) => void;
  } = {},
): EdgeBackend => ({
  name: 's3',
  kind: 'in-process',
  targetPrefixes: [],
  signingNames: ['s3'],
  handle: async (exchange) => {
    const { req, res } = exchange;
    const method = req.method ?? 'GET';
    const { bucket, key, query } = s3Address(req);
    options.onOperation?.(s3Operation(method, bucket, key, query));
    if (bucket === '') {
      if (method !== 'GET') return sendS3Error(req, res, 405, 'MethodNotAllowed', 'not allowed', '/');
      const list = store
        .buckets()
        .map(
          (name) =>
            `<Bucket><Name>${escapeXml(name)}</Name><CreationDate>${new Date().toISOString()}</CreationDate></Bucket>`,
        )
        .join('');
      return sendXml(
        res,
        200,
        `<ListAllMyBucketsResult xmlns="${XMLNS}"><Owner><ID>local</ID></Owner><Buckets>${list}</Buckets></ListAllMyBucketsResult>`,
      );
    }
    if (key === '') {
      if (method === 'PUT' && [...query.keys()].length === 0) {
        await exchange.body();
        store.createBucket(bucket);
        res.writeHead(200, { location: `/${bucket}`, 'content-length': 0 }).end();
        return;
      }
      if (!store.hasBucket(bucket))
        return sendS3Error(
          req,
          res,
          404,
          'NoSuchBucket',
          'The specified bucket does not exist',
          `/${bucket}`,
        );
      if (method === 'HEAD')
        return void res.writeHead(200, { 'x-amz-bucket-region': 'us-east-1', 'content-length': 0 }).end();
      if (method === 'GET' && query.has('location'))
        return sendXml(res, 200, `<LocationConstraint xmlns="${XMLNS}"/>`);
      if (method === 'GET' && query.has('encryption')) {
        return sendXml(
          res,
          200,
          `<ServerSideEncryptionConfiguration xmlns="${XMLNS}"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`,
        );
      }
      if (
        method === 'GET' &&
        [...query.keys()].every((name) =>
          [
            'list-type',
            'prefix',
            'max-keys',
            'continuation-token',
            'start-after',
            'marker',
            'encoding-type',
            'delimiter',
            'fetch-owner',
          ].includes(name),
        )
      ) {
        return sendXml(res, 200, listXml(store, bucket, query));
      }
      if (method === 'DELETE' && [...query.keys()].length === 0) {
        if (store.keys(bucket).length > 0)
          return sendS3Error(
            req,
            res,
            409,
            'BucketNotEmpty',
            'The bucket you tried to delete is not empty',
            `/${bucket}`,
          );
        store.deleteBucket(bucket);
        return void res.writeHead(204).end();
      }
      if (method === 'POST' && query.has('delete')) {
        const xml = (await exchange.body()).toString('utf8');
        const keys = [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((match) => match[1] ?? '');
        for (const each of keys) store.delete(bucket, each);
        return sendXml(
          res,
          200,
          `<DeleteResult xmlns="${XMLNS}">${keys.map((each) => `<Deleted><Key>${escapeXml(each)}</Key></Deleted>`).join('')}</DeleteResult>`,
        );
      }
      if (acceptedSubresources.some((name) => query.has(name))) {
        await exchange.body();
        if (method === 'GET')
          return sendS3Error(
            req,
            res,
            404,
            'NoSuchConfiguration',
            'The configuration does not exist',
            `/${bucket}`,
          );
        return void res.writeHead(method === 'DELETE' ? 204 : 200, { 'content-length': 0 }).end();
      }
      options.onUnknown?.(`${method} /${bucket}?${query.toString()}`);
      return sendS3Error(
        req,
        res,
        501,
        'NotImplemented',
        `${method} with ${query.toString()} is not implemented locally`,
        `/${bucket}`,
      );
    }
    if (!store.hasBucket(bucket))
      return sendS3Error(req, res, 404, 'NoSuchBucket', 'The specified bucket does not exist', `/${bucket}`);
    switch (method) {
      case 'PUT': {
        const raw = await exchange.body();
        const chunked =
          (req.headers['content-encoding'] ?? '').includes('aws-chunked') ||
          String(req.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
        const object = store.put(
          bucket,
          key,
          chunked ? decodeAwsChunked(raw) : raw,
          String(req.headers['content-type'] ?? 'application/octet-stream'),
        );
        return void res.writeHead(200, { etag: object.etag, 'content-length': 0 }).end();
      }
      case 'HEAD':
      case 'GET': {
        const object = store.get(bucket, key);
        if (object === undefined)
          return sendS3Error(
            req,
            res,
            404,
            'NoSuchKey',
            'The specified key does not exist.',
            `/${bucket}/${key}`,
          );
        res.writeHead(200, {
          etag: object.etag,
          'content-type': object.contentType,
          'content-length': object.body.length,
          'last-modified': object.lastModified.toUTCString(),
        });
        res.end(method === 'GET' ? object.body : undefined);
        return;
      }
      case 'DELETE':
        store.delete(bucket, key);
        return void res.writeHead(204).end();
      default:
        options.onUnknown?.(`${method} /${bucket}/${key}`);
        return sendS3Error(
          req,
          res,
          405,
          'MethodNotAllowed',
          `${method} is not allowed on an object`,
          `/${bucket}/${key}`,
        );
    }
  },
});
