import type { EdgeBackend } from '../edge/backends.js';
import { AwsServiceError } from '../support/aws-protocol.js';
import { sendXmlError } from '../support/http-io.js';
import { queryParams } from '../support/query-protocol.js';
import { decodeQueryParams, queryResultXml } from './query-codec.js';

/** A query-protocol action: decoded input in, the `<ActionResult>` members out. */
export type QueryAction = (input: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** Options of {@link queryServiceBackend}. */
export interface QueryServiceOptions {
  readonly name: string;
  /** The SigV4 signing name, e.g. `cloudformation`, `sts`. */
  readonly signingName: string;
  readonly xmlNamespace: string;
  readonly actions: Readonly<Record<string, QueryAction>>;
  /** Called for every action it serves (to observe what a client calls). */
  readonly onAction?: (action: string) => void;
  /** Called for an action the service does not implement (it then answers AWS's `InvalidAction`). */
  readonly onUnknownAction?: (action: string) => void;
  readonly log?: (line: string) => void;
}

/**
 * An edge backend for a query-protocol service (form-encoded `Action=...` in, XML out), such as CloudFormation and
 * STS. `AwsServiceError`s become AWS's XML errors; anything else a 500 `InternalFailure`, logged.
 */
export const queryServiceBackend = (options: QueryServiceOptions): EdgeBackend => ({
  name: options.name,
  kind: 'in-process',
  targetPrefixes: [],
  signingNames: [options.signingName],
  queryActions: new Set(Object.keys(options.actions)),
  handle: async (exchange) => {
    const { req, res, requestId } = exchange;
    const params = queryParams(req.url, (await exchange.body()).toString('utf8'));
    const action = params.get('Action') ?? '';
    const fail = (status: number, code: string, message: string) =>
      sendXmlError(res, status, {
        code,
        message,
        requestId,
        xmlNamespace: options.xmlNamespace,
        senderFault: status < 500,
      });
    const handler = Object.hasOwn(options.actions, action) ? options.actions[action] : undefined;
    if (handler === undefined) {
      options.onUnknownAction?.(action);
      fail(400, 'InvalidAction', `The action ${action} is not valid for this endpoint.`);
      return;
    }
    options.onAction?.(action);
    try {
      const result = await handler(decodeQueryParams(params));
      const body = queryResultXml(action, options.xmlNamespace, requestId, result);
      res.writeHead(200, {
        'content-type': 'text/xml',
        'x-amzn-requestid': requestId,
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    } catch (error) {
      if (error instanceof AwsServiceError) {
        fail(error.status, error.type, error.message);
        return;
      }
      options.log?.(
        `${options.name}.${action} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      fail(500, 'InternalFailure', 'The local emulator failed to process the request');
    }
  },
});
