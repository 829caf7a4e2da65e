import { intEnv, optionalEnv, requireEnv } from '../../shared/config/env';
import { EnvNames } from '../../shared/config/env-names';
import { readIdempotencyTtlSeconds, readRedisTimeoutMs } from '../../shared/config/settings';
import { ConfigurationError } from '../../shared/errors';
import { DEFAULT_ORDER_CACHE_TTL_SECONDS } from '../../shared/orders';
import { DEFAULT_GATEWAY_MAX_AMOUNT_CENTS } from '../../shared/payment-gateway/limits';

/** Settings of the orders API, read once per container. */
export interface OrdersApiConfig {
  readonly ordersTableName: string;
  readonly outboxTableName: string;
  readonly idempotencyTableName: string;
  readonly redisSecretId: string;
  readonly redisTimeoutMs: number;
  readonly orderCacheTtlSeconds: number;
  /** How long an `Idempotency-Key` is remembered. */
  readonly idempotencyTtlSeconds: number;
  /** The principal that may read every order besides its owner (`ORDER_READER_ROLE_ARN`). Default: none. */
  readonly orderReaderArn: string | undefined;
  /** The largest order total, the gateway's maximum. Default `DEFAULT_GATEWAY_MAX_AMOUNT_CENTS`. */
  readonly maxTotalCents: number;
}

const readerArn = (env: NodeJS.ProcessEnv): string | undefined => {
  const value = optionalEnv(EnvNames.orderReaderRoleArn, '', env);
  if (value === '') return undefined;
  if (!/^arn:[^:]+:(iam|sts)::\d{12}:.+$/.test(value)) {
    throw new ConfigurationError(
      `environment variable ${EnvNames.orderReaderRoleArn} must be an IAM principal ARN (normally a role), got '${value}'`,
    );
  }
  return value;
};

/** Reads the orders API's settings; throws `ConfigurationError` naming the first missing or malformed one. */
export const loadOrdersApiConfig = (env: NodeJS.ProcessEnv = process.env): OrdersApiConfig => ({
  ordersTableName: requireEnv(EnvNames.ordersTableName, env),
  outboxTableName: requireEnv(EnvNames.outboxTableName, env),
  idempotencyTableName: requireEnv(EnvNames.idempotencyTableName, env),
  redisSecretId: requireEnv(EnvNames.redisSecretId, env),
  redisTimeoutMs: readRedisTimeoutMs(env),
  orderCacheTtlSeconds: intEnv(
    EnvNames.orderCacheTtlSeconds,
    DEFAULT_ORDER_CACHE_TTL_SECONDS,
    { min: 1, max: 86_400 },
    env,
  ),
  idempotencyTtlSeconds: readIdempotencyTtlSeconds(env),
  orderReaderArn: readerArn(env),
  maxTotalCents: intEnv(
    EnvNames.paymentGatewayMaxAmountCents,
    DEFAULT_GATEWAY_MAX_AMOUNT_CENTS,
    { min: 1 },
    env,
  ),
});
