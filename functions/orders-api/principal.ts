import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * Who is calling, as API Gateway's IAM authorizer tells the function (payload 2.0,
 * `requestContext.authorizer.iam`): the caller's ARN and account. Undefined when the route has no IAM authorization.
 */
export interface CallerIdentity {
  readonly userArn: string;
  readonly accountId?: string;
}

interface IamAuthorizerContext {
  readonly iam?: { readonly userArn?: unknown; readonly accountId?: unknown };
}

/** Reads the caller's identity from the event; undefined when API Gateway did not authorize it with IAM. */
export const callerIdentityOf = (event: APIGatewayProxyEventV2): CallerIdentity | undefined => {
  const { authorizer } = event.requestContext as { authorizer?: IamAuthorizerContext };
  const userArn = authorizer?.iam?.userArn;
  if (typeof userArn !== 'string' || !userArn.startsWith('arn:')) return undefined;
  const accountId = authorizer?.iam?.accountId;
  return { userArn, ...(typeof accountId === 'string' ? { accountId } : {}) };
};

const arnPattern = /^arn:([^:]+):(iam|sts)::(\d{12}|[^:]*):(.+)$/;

/**
 * The principal an ARN stands for, in one form, so that ownership survives how a caller authenticates:
 * - an assumed-role session (`arn:aws:sts::111122223333:assumed-role/Storefront/i-0abc`) is its role
 *   (`arn:aws:iam::111122223333:role/Storefront`): every container of a caller's backend has its own session;
 * - a role or user with a path (`arn:aws:iam::111122223333:role/app/Storefront`) is the same without the path (names
 *   are unique in an account, and an assumed-role ARN never carries the path);
 * - anything else (an account root, a federated user) is itself.
 */
export const principalOf = (arn: string): string => {
  const match = arnPattern.exec(arn.trim());
  if (match === null) return arn.trim();
  const [, partition, service, account, resource = ''] = match;
  const [kind, ...rest] = resource.split('/');
  if (service === 'sts' && kind === 'assumed-role' && rest.length >= 1) {
    return `arn:${partition}:iam::${account}:role/${rest[0]}`;
  }
  if (service === 'iam' && (kind === 'role' || kind === 'user') && rest.length >= 1) {
    return `arn:${partition}:iam::${account}:${kind}/${rest.at(-1)}`;
  }
  return arn.trim();
};

/** Who may read an order: its owner, and the reader principal when one is configured. */
export interface ReadAccess {
  /** The configured reader (normally a role ARN), in any form `principalOf` accepts. Default: none. */
  readonly readerArn?: string | undefined;
}

/**
 * Whether `caller` may read an order owned by `ownerPrincipal` (undefined for orders written before owners were
 * recorded: only the reader may read those).
 */
export const mayRead = (
  caller: CallerIdentity,
  ownerPrincipal: string | undefined,
  { readerArn }: ReadAccess,
): boolean => {
  const principal = principalOf(caller.userArn);
  if (ownerPrincipal !== undefined && principal === ownerPrincipal) return true;
  return readerArn !== undefined && principal === principalOf(readerArn);
};
