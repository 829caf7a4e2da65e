import type { IncomingMessage, ServerResponse } from 'node:http';
import { FunctionNotFoundError } from './errors.js';
import type { LambdaRunner } from './runner.js';

/** An HTTP request as the edge hands it over. */
export interface InvokeApiRequest {
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

/** The HTTP answer to send back. */
export interface InvokeApiResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** The path of Lambda's Invoke operation; the function name may be a URL-encoded ARN. */
export const LAMBDA_INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

const error = (status: number, type: string, message: string): InvokeApiResponse => ({
  status,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
  body: Buffer.from(JSON.stringify({ Type: 'User', message })),
});

/**
 * Lambda's `Invoke` REST operation over the runner, so that the AWS SDK and CLI can invoke local functions
 * through the edge: `RequestResponse` (200, with `X-Amz-Function-Error: Unhandled` when the function failed),
 * `Event` (202, asynchronous with retries) and `DryRun` (204). Returns undefined for any other path.
 */
export const handleLambdaInvoke = async (
  runner: LambdaRunner,
  request: InvokeApiRequest,
): Promise<InvokeApiResponse | undefined> => {
  const match = LAMBDA_INVOKE_PATH.exec(request.path);
  if (match === null || request.method !== 'POST') return undefined;
  const functionName = decodeURIComponent(match[1] ?? '');
  if (!runner.hasFunction(functionName)) {
    return error(404, 'ResourceNotFoundException', `Function not found: ${functionName}`);
  }
  let event: unknown = {};
  try {
    if (request.body.length > 0) event = JSON.parse(request.body.toString('utf8'));
  } catch {
    return error(400, 'InvalidRequestContentException', 'Could not parse request body into json');
  }
  const invocationType = request.headers['x-amz-invocation-type'] ?? 'RequestResponse';
  try {
    if (invocationType === 'DryRun') return { status: 204, headers: {}, body: Buffer.alloc(0) };
    if (invocationType === 'Event') {
      const { requestId } = runner.invokeAsync(functionName, event);
      return { status: 202, headers: { 'x-amzn-requestid': requestId }, body: Buffer.alloc(0) };
    }
    const result = await runner.invoke(functionName, event);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-amz-executed-version': '$LATEST',
      'x-amzn-requestid': result.requestId,
    };
    if (result.ok) return { status: 200, headers, body: Buffer.from(JSON.stringify(result.payload)) };
    return {
      status: 200,
      headers: { ...headers, 'x-amz-function-error': 'Unhandled' },
      body: Buffer.from(JSON.stringify(result.error)),
    };
  } catch (failure) {
    if (failure instanceof FunctionNotFoundError)
      return error(404, 'ResourceNotFoundException', failure.message);
    return error(500, 'ServiceException', failure instanceof Error ? failure.message : String(failure));
  }
};

/** A Node `http` listener serving only the Invoke operation (404 otherwise): for the edge or a standalone port. */
export const lambdaInvokeListener =
  (runner: LambdaRunner) =>
  (request: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(',') : value,
        ]),
      );
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      void handleLambdaInvoke(runner, {
        method: request.method ?? 'GET',
        path,
        headers,
        body: Buffer.concat(chunks),
      }).then((answer) => {
        const {
          status,
          headers: answerHeaders,
          body,
        } = answer ?? error(404, 'UnknownOperationException', `no Lambda operation at ${path}`);
        response.writeHead(status, { ...answerHeaders, 'content-length': String(body.length) });
        response.end(body);
      });
    });
  };
