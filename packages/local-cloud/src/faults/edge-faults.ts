import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EdgeBackend, EdgeExchange } from '../edge/backends.js';
import { AwsServiceError } from '../support/aws-protocol.js';
import {
  BodyTooLargeError,
  jsonContentType,
  parseJson,
  readText,
  sendJson,
  sendJsonError,
  sendXmlError,
} from '../support/http-io.js';
import { DEFAULT_ERROR_CODE, jsonErrorType, queryErrorHeaderOf, statusOfCode } from './aws-fault-errors.js';
import type { FaultKind, FaultService } from './fault-model.js';
import { FaultSpecError, type FaultStore, isEdgeService } from './fault-store.js';

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

/** A fault rule's JSON body: at most 64 KiB; empty means `{}`. */
const readJson = async (req: IncomingMessage): Promise<unknown> => {
  let text: string;
  try {
    text = await readText(req, 64 * 1024);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new FaultSpecError(['(body): larger than 64 KiB']);
    throw error;
  }
  if (text.trim() === '') return {};
  const parsed = parseJson(text);
  if (!parsed.ok) throw new FaultSpecError(['(body): not JSON']);
  return parsed.value;
};

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
      if (req.method !== 'DELETE') sendJson(res, 405, { error: 'method not allowed' }, { allow: 'DELETE' });
      else if (await store.remove(id)) sendJson(res, 200, { removed: id });
      else sendJson(res, 404, { error: `no fault ${id}` });
      return true;
    }
    if (req.method === 'GET') sendJson(res, 200, { faults: store.list() });
    else if (req.method === 'POST') sendJson(res, 201, await store.add(await readJson(req)));
    else if (req.method === 'DELETE') sendJson(res, 200, { cleared: await store.clear() });
    else sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET, POST, DELETE' });
  } catch (error) {
    if (error instanceof FaultSpecError) sendJson(res, 400, { error: 'invalid_fault', issues: error.issues });
    else sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
  }
  return true;
};
