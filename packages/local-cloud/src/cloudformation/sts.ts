import { randomBytes } from 'node:crypto';
import type { EdgeBackend } from '../edge/backends.js';
import { AwsServiceError, LOCAL_ACCOUNT_ID } from '../support/aws-protocol.js';
import { queryServiceBackend } from './query-backend.js';

const XML_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

const token = (length: number): string =>
  randomBytes(length)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, length);

/**
 * STS as the CDK CLI needs it: GetCallerIdentity (the account to deploy to) and AssumeRole (the bootstrap's deploy,
 * file-publishing and lookup roles). IAM is not enforced locally, so any role may be assumed; the credentials are
 * fresh random strings valid for the requested duration (default 1 hour, AWS's).
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export const stsBackend = (
  options: {
    readonly onUnknownAction?: (action: string) => void;
    readonly log?: (line: string) => void;
  } = {},
): EdgeBackend =>
  queryServiceBackend({
    name: 'sts',
    signingName: 'sts',
    xmlNamespace: XML_NAMESPACE,
    ...options,
    actions: {
      GetCallerIdentity: async () => ({
        UserId: 'AIDALOCALCLOUDUSER',
        Account: LOCAL_ACCOUNT_ID,
        Arn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:root`,
      }),
      AssumeRole: async (input) => {
        const roleArn = String(input.RoleArn ?? '');
        const sessionName = String(input.RoleSessionName ?? '');
        const match = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
        if (match === null) throw new AwsServiceError('ValidationError', `${roleArn} is not a role ARN`);
        if (!/^[\w+=,.@-]{2,64}$/.test(sessionName))
          throw new AwsServiceError(
            'ValidationError',
            'RoleSessionName must be 2 to 64 characters of [\\w+=,.@-]',
          );
        const seconds = Number(input.DurationSeconds ?? 3600);
        const roleId = `AROA${token(16).toUpperCase()}`;
        return {
          Credentials: {
            AccessKeyId: `ASIA${token(16).toUpperCase()}`,
            SecretAccessKey: token(40),
            SessionToken: token(64),
            Expiration: new Date(Date.now() + seconds * 1000),
          },
          AssumedRoleUser: {
            AssumedRoleId: `${roleId}:${sessionName}`,
            Arn: `arn:aws:sts::${match[1]}:assumed-role/${match[2]}/${sessionName}`,
          },
        };
      },
    },
  });
