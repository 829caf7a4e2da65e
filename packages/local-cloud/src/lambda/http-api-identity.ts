import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The caller of an unsigned request to an IAM-authorized route. API Gateway would answer 403; locally the request is
 * served as this user of the local account, so that `curl` works against the local cloud without signing.
 */
export const LOCAL_UNSIGNED_CALLER = 'local-unsigned-caller';

/** `requestContext.authorizer` of payload 2.0 for an IAM-authorized route, as API Gateway fills it. */
export interface IamAuthorizerContext {
  readonly iam: {
    readonly accessKey: string;
    readonly accountId: string;
    readonly callerId: string;
    readonly cognitoIdentity: null;
    readonly principalOrgId: null;
    readonly userArn: string;
    readonly userId: string;
  };
}

// `AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, SignedHeaders=..., Signature=...`
const credentialInHeader = /Credential=([^/,\s]+)\//;

/** The access key a SigV4-signed request was signed with (header or presigned query), if any. */
export const signingAccessKey = (headers: IncomingHttpHeaders, url: string): string | undefined => {
  const authorization = headers.authorization;
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  const fromHeader = header === undefined ? undefined : credentialInHeader.exec(header)?.[1];
  if (fromHeader !== undefined) return fromHeader;
  const query = url.includes('?') ? new URLSearchParams(url.slice(url.indexOf('?') + 1)) : undefined;
  return query?.get('X-Amz-Credential')?.split('/')[0] || undefined;
};

/**
 * The identity API Gateway's IAM authorizer would report, derived without IAM: the local cloud checks no signature,
 * so each access key stands for a user of the local account named after the key
 * (`arn:aws:iam::<account>:user/<access key>`), and an unsigned request is {@link LOCAL_UNSIGNED_CALLER}. Two
 * access keys are two principals, which is what tests of per-caller access need.
 */
export const localIamAuthorizer = (
  headers: IncomingHttpHeaders,
  url: string,
  accountId: string,
): IamAuthorizerContext => {
  const accessKey = signingAccessKey(headers, url);
  const userName = accessKey ?? LOCAL_UNSIGNED_CALLER;
  const userId = `AIDA${createHash('sha256').update(userName).digest('hex').slice(0, 17).toUpperCase()}`;
  return {
    iam: {
      accessKey: accessKey ?? '',
      accountId,
      callerId: userId,
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: `arn:aws:iam::${accountId}:user/${userName}`,
      userId,
    },
  };
};
