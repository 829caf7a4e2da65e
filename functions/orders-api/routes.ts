import {
  IdempotencyAlreadyInProgressError,
  IdempotencyValidationError,
} from '@aws-lambda-powertools/idempotency';
import httpRouterHandler, { type Method, type Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ContractError } from '../../shared/errors';
import { makeOperationIdempotent, type PersistenceStoreFactory } from '../../shared/idempotency';
import { CORRELATION_ID_HEADER, resolveCorrelationId } from '../../shared/middleware/correlation';
import { HttpError, jsonResponse } from '../../shared/middleware/http-errors';
import { type MetricsRecorder, MetricUnit } from '../../shared/middleware/observability';
import type { PlainHandler } from '../../shared/middleware/stack';
import { type Order, OrderAlreadyExistsError } from '../../shared/orders';
import { DEFAULT_GATEWAY_MAX_AMOUNT_CENTS } from '../../shared/payment-gateway/limits';
import {
  type CreateOrderRequest,
  createOrder,
  getOrder,
  idempotentOrderId,
  type OrderLimits,
  type OrdersDependencies,
  parseCreateOrderRequest,
  RequestValidationError,
  toOrderView,
} from './core';
import { type CallerIdentity, callerIdentityOf, mayRead, principalOf, type ReadAccess } from './principal';

type Result = APIGatewayProxyStructuredResultV2;
type ApiRoute = Route<APIGatewayProxyEventV2, Result>;

/** The request header that makes `POST /orders` safe to retry. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** The input of an idempotent create: a repeat is the same caller and customer with the same key. */
export interface IdempotentCreateInput {
  /** The caller's principal: keys are scoped to it, so no caller ever gets another caller's order back. */
  readonly ownerPrincipal: string;
  readonly customerId: string;
  readonly idempotencyKey: string;
  /** Must be the same on a repeat, or the repeat is refused (422). */
  readonly request: CreateOrderRequest;
  readonly correlationId: string;
}

/** What an idempotent create answers; `replayed` marks an answer given from an earlier request. */
export interface CreateOrderOutcome {
  readonly order: Order;
  readonly replayed?: boolean;
}

/** Metric names of the orders API. */
export const OrdersApiMetrics = {
  ordersCreated: 'OrdersCreated',
  cacheHits: 'OrderCacheHits',
  cacheMisses: 'OrderCacheMisses',
} as const;

/** What the routes need: the use-cases' ports, metrics, the idempotent variant of `createOrder`, and the rules. */
export interface OrdersApiDependencies extends OrdersDependencies {
  readonly metrics: MetricsRecorder;
  readonly createOrderOnce: (input: IdempotentCreateInput, context: Context) => Promise<CreateOrderOutcome>;
  /** Who may read orders besides their owners. Default: nobody. */
  readonly readAccess?: ReadAccess;
  /** Default: the gateway's maximum, `DEFAULT_GATEWAY_MAX_AMOUNT_CENTS`. */
  readonly limits?: OrderLimits;
}

/**
 * `createOrder` made idempotent per caller, customer and `Idempotency-Key` (Powertools idempotency): a repeat returns
 * the first order (marked `replayed`) without writing a second one; a repeat with another body is refused.
 */
export const idempotentCreateOrder = (
  deps: OrdersDependencies,
  {
    persistenceStore,
    expiresAfterSeconds,
  }: { persistenceStore: PersistenceStoreFactory; expiresAfterSeconds: number },
): OrdersApiDependencies['createOrderOnce'] =>
  makeOperationIdempotent(
    async (
      { request, correlationId, ownerPrincipal, customerId, idempotencyKey }: IdempotentCreateInput,
      _context: Context,
    ): Promise<CreateOrderOutcome> => ({
      order: await createOrder(
        {
          request,
          correlationId,
          ownerPrincipal,
          orderId: idempotentOrderId(ownerPrincipal, customerId, idempotencyKey),
        },
        deps,
      ),
    }),
    {
      keyPrefix: 'orders-api.create-order',
      // A key is scoped to its caller and customer: two of either picking the same key never see each other's order.
      keyJmesPath: '[ownerPrincipal, customerId, idempotencyKey]',
      validationJmesPath: 'request',
      persistenceStore,
      expiresAfterSeconds,
      onReplay: (stored) => ({ ...stored, replayed: true }),
    },
  );

const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads a JSON request body; a missing, non-JSON or unparsable body is the caller's error. */
export const readJsonBody = (event: APIGatewayProxyEventV2): unknown => {
  const contentType = event.headers?.['content-type'];
  if (contentType !== undefined && !/^application\/([a-z0-9.+-]+\+)?json(;|$)/i.test(contentType)) {
    throw new HttpError(415, 'request body must be application/json');
  }
  if (event.body === undefined || event.body === '') {
    throw new HttpError(400, 'request body is required');
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
};

/** Maps the use-cases' errors to HTTP errors; anything else passes through (and becomes a generic 500). */
export const toHttpError = (error: unknown): unknown => {
  if (error instanceof RequestValidationError) {
    return new HttpError(400, 'invalid request body', { details: { fields: error.fields }, cause: error });
  }
  if (error instanceof ContractError) return new HttpError(400, error.message, { cause: error });
  if (error instanceof IdempotencyValidationError) {
    return new HttpError(422, 'this Idempotency-Key was already used with a different request body', {
      cause: error,
    });
  }
  if (error instanceof OrderAlreadyExistsError) {
    // Only an idempotent create fixes the id: the key was used before with another body.
    return new HttpError(422, 'this Idempotency-Key was already used with a different request body', {
      cause: error,
    });
  }
  if (error instanceof IdempotencyAlreadyInProgressError) {
    return new HttpError(409, 'a request with this Idempotency-Key is still in progress; retry shortly', {
      cause: error,
      headers: { 'retry-after': '1' },
    });
  }
  return error;
};

/**
 * The caller API Gateway authorized. Every route requires IAM authorization, so an event without an identity means
 * the route was deployed without it: refused rather than served to an anonymous caller.
 */
const requireCaller = (event: APIGatewayProxyEventV2): CallerIdentity => {
  const caller = callerIdentityOf(event);
  if (caller === undefined) throw new HttpError(403, 'the request carries no IAM caller identity');
  return caller;
};

const postOrder =
  (deps: OrdersApiDependencies) =>
  async (event: APIGatewayProxyEventV2, context: Context): Promise<Result> => {
    const ownerPrincipal = principalOf(requireCaller(event).userArn);
    const request = parseCreateOrderRequest(readJsonBody(event), {
      maxTotalCents: deps.limits?.maxTotalCents ?? DEFAULT_GATEWAY_MAX_AMOUNT_CENTS,
    });
    // Already resolved by the correlation middleware; resolving again keeps the route correct on its own.
    const correlationId = resolveCorrelationId(event.headers[CORRELATION_ID_HEADER]);
    const idempotencyKey = event.headers[IDEMPOTENCY_KEY_HEADER];
    let outcome: CreateOrderOutcome;
    if (idempotencyKey === undefined) {
      outcome = { order: await createOrder({ request, correlationId, ownerPrincipal }, deps) };
    } else {
      if (!idempotencyKeyPattern.test(idempotencyKey)) {
        throw new HttpError(400, 'Idempotency-Key must be 1 to 255 visible ASCII characters');
      }
      outcome = await deps.createOrderOnce(
        { ownerPrincipal, customerId: request.customerId, idempotencyKey, request, correlationId },
        context,
      );
    }
    if (outcome.replayed !== true)
      deps.metrics.addMetric(OrdersApiMetrics.ordersCreated, MetricUnit.Count, 1);
    return jsonResponse(201, toOrderView(outcome.order), {
      location: `/orders/${outcome.order.orderId}`,
      ...(outcome.replayed === true ? { 'idempotent-replayed': 'true' } : {}),
    });
  };

const getOrderById =
  (deps: OrdersApiDependencies) =>
  async (event: APIGatewayProxyEventV2): Promise<Result> => {
    const caller = requireCaller(event);
    const orderId = event.pathParameters?.orderId ?? '';
    // Order ids are UUIDs: anything else cannot exist, and must not reach the cache or the table.
    const lookup = uuidPattern.test(orderId) ? await getOrder(orderId, deps) : undefined;
    // Another caller's order is answered exactly like a missing one: a 403 would confirm that the id exists.
    if (lookup === undefined || !mayRead(caller, lookup.order.ownerPrincipal, deps.readAccess ?? {})) {
      throw new HttpError(404, 'order not found', { details: { orderId } });
    }
    deps.metrics.addMetric(
      lookup.cache === 'hit' ? OrdersApiMetrics.cacheHits : OrdersApiMetrics.cacheMisses,
      MetricUnit.Count,
      1,
    );
    return jsonResponse(200, toOrderView(lookup.order), { 'x-cache': lookup.cache });
  };

const allMethods: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

/** Adds, for every path, a 405 answer (with `Allow`) to each method the path does not serve. */
export const withMethodNotAllowed = (routes: readonly ApiRoute[]): ApiRoute[] => {
  const methodsByPath = new Map<string, Method[]>();
  for (const route of routes) {
    methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method]);
  }
  const refusals = [...methodsByPath].flatMap(([path, allowed]) =>
    allMethods
      .filter((method) => !allowed.includes(method))
      .map((method) => ({
        method,
        path,
        handler: async (): Promise<Result> => {
          throw new HttpError(405, `method ${method} is not allowed on ${path}`, {
            details: { allowed },
            headers: { allow: allowed.join(', ') },
          });
        },
      })),
  );
  return [...routes, ...refusals];
};

/**
 * The orders API router: `POST /orders`, `GET /orders/{orderId}`; unknown paths answer 404, known paths with another
 * method 405 with `Allow` (API Gateway routes every method of both paths here: `ANY` routes, see the orders stack).
 * Use-case errors are mapped to HTTP errors here; the stack turns them into JSON responses.
 */
export const createOrdersRouter = (
  deps: OrdersApiDependencies,
): PlainHandler<APIGatewayProxyEventV2, Result> => {
  const mapErrors =
    (handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<Result>) =>
    async (event: APIGatewayProxyEventV2, context: Context): Promise<Result> => {
      try {
        return await handler(event, context);
      } catch (error) {
        throw toHttpError(error);
      }
    };
  const router = httpRouterHandler<APIGatewayProxyEventV2, Result>({
    routes: withMethodNotAllowed([
      { method: 'POST', path: '/orders', handler: mapErrors(postOrder(deps)) },
      { method: 'GET', path: '/orders/{orderId}', handler: mapErrors(getOrderById(deps)) },
    ]),
    notFoundResponse: ({ method, path }) => {
      throw new HttpError(404, 'route not found', { details: { method, path } });
    },
  });
  return async (event, context) => router(event, context);
};
