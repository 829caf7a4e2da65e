import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ConformanceTarget } from './target';

/**
 * Raw HTTP requests to a service of the target, signed with SigV4 by the target's own credentials: for the
 * behaviours an SDK hides (headers, wire codes, the query protocol of older SDKs). The endpoint is the target's
 * (the edge locally, `https://<service>.<region>.amazonaws.com` on AWS) unless a URL is given, e.g. a queue URL.
 */
export interface SignedRequest {
  /** Signing name, e.g. `sqs`. */
  readonly service: string;
  readonly method?: 'GET' | 'POST';
  /** Full URL; default the service endpoint with path `/`. */
  readonly url?: string;
  /** Query string parameters (GET requests carry their parameters here). */
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** The answer, read whole. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** The target's endpoint for a service. */
export const serviceEndpoint = (t: ConformanceTarget, service: string): string =>
  t.endpoint ?? `https://${service}.${t.region}.amazonaws.com`;

export const signedRequest = async (t: ConformanceTarget, request: SignedRequest): Promise<RawAnswer> => {
  const url = new URL(request.url ?? `${serviceEndpoint(t, request.service)}/`);
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
  const method = request.method ?? 'POST';
  const signer = new SignatureV4({
    service: request.service,
    region: t.region,
    credentials: t.sqs.config.credentials,
    sha256: Hash.bind(null, 'sha256'),
  });
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: url.pathname,
    query,
    headers: { host: url.host, ...request.headers },
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const { host: _host, ...headers } = signed.headers as Record<string, string>;
  const response = await fetch(url, {
    method,
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
};
