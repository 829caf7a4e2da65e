import type { EdgeBackend } from '../edge/backends.js';
import { handleLambdaInvoke, type LambdaRunner } from '../lambda/index.js';
import { send } from '../support/http-io.js';

/**
 * Lambda's REST `Invoke` operation on the edge (signing name `lambda`), served by the runner, so that
 * `aws lambda invoke` or `LambdaClient` with `AWS_ENDPOINT_URL` reaches the deployed functions (the DLQ replay
 * function is invoked by hand this way).
 */
export const lambdaBackend = (runner: LambdaRunner): EdgeBackend => ({
  name: 'lambda',
  kind: 'in-process',
  targetPrefixes: [],
  signingNames: ['lambda'],
  handle: async (exchange) => {
    const { req, res } = exchange;
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(',') : value,
      ]),
    );
    const answer = await handleLambdaInvoke(runner, {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0] ?? '/',
      headers,
      body: await exchange.body(),
    });
    if (answer === undefined) {
      send(
        res,
        400,
        JSON.stringify({ __type: 'UnknownOperationException', message: 'only Invoke is emulated' }),
        {
          'content-type': 'application/json',
          'x-amzn-errortype': 'UnknownOperationException',
        },
      );
      return;
    }
    send(res, answer.status, answer.body, { ...answer.headers, 'x-amzn-requestid': exchange.requestId });
  },
});
