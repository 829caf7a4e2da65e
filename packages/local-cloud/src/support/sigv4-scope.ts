import type { IncomingHttpHeaders } from 'node:http';

/** The head of a request, as far as its signature is concerned. */
export interface SignedHead {
  readonly url?: string | undefined;
  readonly headers: IncomingHttpHeaders;
}

const SCOPE = /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;
const QUERY_SCOPE =
  /(?:^|&)X-Amz-Credential=[^&/]+(?:%2F|\/)\d{8}(?:%2F|\/)([^&%/]+)(?:%2F|\/)([^&%/]+)(?:%2F|\/)aws4_request/i;

/**
 * The region and service of a request's SigV4 credential scope
 * (`Credential=<key>/<date>/<region>/<service>/aws4_request`), from the Authorization header or a presigned URL.
 */
export const credentialScope = (head: SignedHead): { region: string; service: string } | undefined => {
  const raw = head.headers.authorization;
  const authorization = Array.isArray(raw) ? raw[0] : raw;
  const match =
    (authorization === undefined ? null : SCOPE.exec(authorization)) ??
    (head.url?.includes('X-Amz-Credential')
      ? QUERY_SCOPE.exec(head.url.slice(head.url.indexOf('?') + 1))
      : null);
  if (match === null) return undefined;
  const [, region = '', service = ''] = match;
  return { region, service };
};
