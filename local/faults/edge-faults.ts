import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EdgeBackend, EdgeExchange } from '../edge/backends';
import { jsonContentType, send, sendJsonError, sendXmlError } from '../edge/http-io';
import { AwsServiceError } from '../support/aws-protocol';
import { DEFAULT_ERROR_CODE, jsonErrorType, queryErrorHeaderOf, statusOfCode } from './aws-fault-errors';
import type { FaultKind, FaultService } from './fault-model';
import { FaultSpecError, type FaultStore, isEdgeService } from './fault-store';

/** The path of the fault API on the edge. */
export const FAULTS_PATH = '/_breakwater/faults';

const REQUEST_KINDS: readonly FaultKind[] = ['error', 'latency', 'reset'];

/** The action of an edge request: the JSON target's, or the query protocol's `Action` (URL, then form body). */
const actionOf = async (exchange: EdgeExchange): Promise<string> => {
  if (exchange.route.action !== undefined) return exchange.route.action;
  if (exchange.route.protocol !== 'query') return '';
  return new URLSearchParams((await exchange.body()).toString('utf8')).get('Action') ?? '';
};

/** Writes the AWS-shaped error of a fault in the request's protocol. */
const sendFaultError = (
  exchange: EdgeExchange,
  service: FaultService,
  fault: { code?: string | undefined; status?: number | undefined; message?: string | undefined; id: string },
): void => {
  const code = fault.code ?? DEFAULT_ERROR_CODE[service];
  const status = statusOfCode(code, fault.status);
  const message = fault.message ?? `Injected by fault ${fault.id}: ${code}`;
  if (exchange.route.protocol === 'query') {
    sendXmlError(exchange.res, status, {
      code,
      message,
      requestId: exchange.requestId,
      senderFault: status < 500,
    });
    return;
  }
  const queryError = queryErrorHeaderOf(service, code, status);
  sendJsonError(exchange.res, new AwsServiceError(jsonErrorType(service, code), message, status), {
    contentType: jsonContentType(exchange.req),
    requestId: exchange.requestId,
    headers: queryError === undefined ? {} : { 'x-amzn-query-error': queryError },
  });
};

/**
 * Serves an edge request through its backend, unless a fault rule of its service takes it first: an AWS-shaped
 * error in the request's protocol, a delay before the backend serves it, or a cut connection.
 */
export const serveWithFaults = async (
  exchange: EdgeExchange,
  backend: EdgeBackend,
  store: FaultStore,
): Promise<void> => {
  const service = backend.name;
  if (!isEdgeService(service) || !store.has(service, REQUEST_KINDS)) return backend.handle(exchange);
  const action = await actionOf(exchange);
  const resource = store.needsResource(service, action, REQUEST_KINDS)
    ? (await exchange.body()).toString('utf8')
    : undefined;
  const fault = store.take(
    { service, action, ...(resource === undefined ? {} : { resource }) },
    REQUEST_KINDS,
  );
  if (fault === undefined) return backend.handle(exchange);
  switch (fault.kind) {
    case 'error':
      return sendFaultError(exchange, service, fault);
    case 'latency':
      await sleep(fault.ms);
      return backend.handle(exchange);
    case 'reset':
      exchange.req.socket.destroy();
      return;
    default:
      return backend.handle(exchange);
  }
};

const readJson = (req: IncomingMessage): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 64 * 1024) {
        reject(new FaultSpecError(['(body): larger than 64 KiB']));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text.trim() === '' ? {} : JSON.parse(text));
      } catch {
        reject(new FaultSpecError(['(body): not JSON']));
      }
    });
    req.once('error', reject);
  });

const reply = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  send(res, status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });

/**
 * The fault API: `GET` lists every rule with its hits, `POST` adds one (201 with the rule, 400 with the issues),
 * `DELETE` clears them all (undoing outages and gateway knobs), `DELETE /<id>` removes one. Returns false for
 * other paths.
 */
export const handleFaultsApi = async (
  req: IncomingMessage,
  res: ServerResponse,
  store: FaultStore,
): Promise<boolean> => {
  const path = (req.url ?? '').split('?')[0] ?? '';
  if (path !== FAULTS_PATH && !path.startsWith(`${FAULTS_PATH}/`)) return false;
  const id = path.slice(FAULTS_PATH.length + 1);
  try {
    if (id !== '') {
      if (req.method !== 'DELETE') reply(res, 405, { error: 'method not allowed' }, { allow: 'DELETE' });
      else if (await store.remove(id)) reply(res, 200, { removed: id });
      else reply(res, 404, { error: `no fault ${id}` });
      return true;
    }
    if (req.method === 'GET') reply(res, 200, { faults: store.list() });
    else if (req.method === 'POST') reply(res, 201, await store.add(await readJson(req)));
    else if (req.method === 'DELETE') reply(res, 200, { cleared: await store.clear() });
    else reply(res, 405, { error: 'method not allowed' }, { allow: 'GET, POST, DELETE' });
  } catch (error) {
    if (error instanceof FaultSpecError) reply(res, 400, { error: 'invalid_fault', issues: error.issues });
    else reply(res, 500, { error: error instanceof Error ? error.message : String(error) });
  }
  return true;
};
