import type { IncomingHttpHeaders } from 'node:http';
import { credentialScope } from '../support/sigv4-scope.js';

/**
 * How the edge recognises an AWS request from its head alone (no body read): the JSON protocol names its service
 * and action in `X-Amz-Target: <prefix>.<Action>`; every signed request names its service in the SigV4 credential
 * scope (`Credential=<key>/<date>/<region>/<service>/aws4_request`); the query protocol names the action in
 * `Action=`, in the URL or (read later, only when nothing else decides) in the form body.
 */

/** The path of the edge's health endpoint. */
export const HEALTH_PATH = '/_breakwater/health';

/** What the head of a request says about where it goes. */
export interface EdgeRoute {
  /** `json` when X-Amz-Target is present; `query` for a form body or `?Action=`; `other` for the rest. */
  readonly protocol: 'json' | 'query' | 'other';
  readonly targetPrefix: string | undefined;
  /** The action, from X-Amz-Target or the URL's `Action=` (a form body's is read later). */
  readonly action: string | undefined;
  /** The service of the SigV4 credential scope, e.g. `sqs`, `dynamodb`, `secretsmanager`. */
  readonly signingName: string | undefined;
  readonly region: string | undefined;
}

/** The head of a request, as routing needs it. */
export interface RequestHead {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: IncomingHttpHeaders;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The SigV4 scope's reader lives in support (the SQS engine's own endpoint reads it too). */
export { credentialScope } from '../support/sigv4-scope.js';

/** The `Action` parameter of the URL's query string, if any. */
const urlAction = (url: string | undefined): string | undefined => {
  const start = url?.indexOf('?') ?? -1;
  if (url === undefined || start < 0) return undefined;
  return new URLSearchParams(url.slice(start + 1)).get('Action') ?? undefined;
};

/** Whether the request is the edge's own health check. */
export const isHealthCheck = (head: RequestHead): boolean =>
  (head.method === 'GET' || head.method === 'HEAD') && (head.url ?? '').split('?')[0] === HEALTH_PATH;

/** Reads the route of a request from its head. */
export const describeRequest = (head: RequestHead): EdgeRoute => {
  const scope = credentialScope(head);
  const signingName = scope?.service;
  const region = scope?.region;
  const target = header(head.headers, 'x-amz-target');
  if (target !== undefined && target !== '') {
    const dot = target.indexOf('.');
    return {
      protocol: 'json',
      targetPrefix: dot < 0 ? target : target.slice(0, dot),
      action: dot < 0 ? undefined : target.slice(dot + 1),
      signingName,
      region,
    };
  }
  const contentType = header(head.headers, 'content-type') ?? '';
  const action = urlAction(head.url);
  const isQuery = contentType.startsWith('application/x-www-form-urlencoded') || action !== undefined;
  return { protocol: isQuery ? 'query' : 'other', targetPrefix: undefined, action, signingName, region };
};

/** Where backends are found: by target prefix, by signing name, and by query action for unsigned requests. */
export interface RouteTable<B> {
  readonly byTargetPrefix: ReadonlyMap<string, B>;
  readonly bySigningName: ReadonlyMap<string, B>;
  readonly byQueryAction: ReadonlyMap<string, B>;
}

/**
 * Chooses the backend of a route: the target prefix decides first, then the signing scope, then (for unsigned
 * query requests) the action, given as `bodyAction` once the form body has been read.
 */
export const chooseBackend = <B>(
  route: EdgeRoute,
  table: RouteTable<B>,
  bodyAction?: string,
): B | undefined => {
  const byTarget =
    route.targetPrefix === undefined ? undefined : table.byTargetPrefix.get(route.targetPrefix);
  if (byTarget !== undefined) return byTarget;
  const bySigning = route.signingName === undefined ? undefined : table.bySigningName.get(route.signingName);
  if (bySigning !== undefined) return bySigning;
  if (route.protocol !== 'query' || route.signingName !== undefined) return undefined;
  const action = route.action ?? bodyAction;
  return action === undefined ? undefined : table.byQueryAction.get(action);
};

/** Whether choosing needs the form body's `Action` (an unsigned query request without `?Action=`). */
export const needsBodyAction = <B>(route: EdgeRoute, table: RouteTable<B>): boolean =>
  route.protocol === 'query' &&
  route.signingName === undefined &&
  route.action === undefined &&
  chooseBackend(route, table) === undefined;
