/**
 * Names of the environment variables that infra/ sets and functions/ read. One list, so the two cannot drift.
 * Secrets never travel in environment variables: only the ARN or name of the secret does.
 */
export const EnvNames = {
  eventBusName: 'EVENT_BUS_NAME',
  ordersTableName: 'ORDERS_TABLE_NAME',
  outboxTableName: 'OUTBOX_TABLE_NAME',
  idempotencyTableName: 'IDEMPOTENCY_TABLE_NAME',
  breakerTableName: 'BREAKER_TABLE_NAME',
  /** Circuit (breaker table item) guarding billing's payment gateway calls (default `payment-gateway`). */
  paymentGatewayCircuitId: 'PAYMENT_GATEWAY_CIRCUIT_ID',
  /** Secrets Manager secret holding `{"url": "...", "token": "..."}` for Upstash Redis (REST). */
  redisSecretId: 'REDIS_SECRET_ID',
  /** Secrets Manager secret holding `{"url": "...", "apiKey": "..."}` for the payment gateway. */
  paymentGatewaySecretId: 'PAYMENT_GATEWAY_SECRET_ID',
  /** Per-call timeout of the payment gateway, in milliseconds. */
  paymentGatewayTimeoutMs: 'PAYMENT_GATEWAY_TIMEOUT_MS',
  /** Seconds a cached order stays in Redis. */
  orderCacheTtlSeconds: 'ORDER_CACHE_TTL_SECONDS',
  /** Orders API: the principal (a role ARN) that may read every order besides its owner; empty for none. */
  orderReaderRoleArn: 'ORDER_READER_ROLE_ARN',
  /** Orders API: the payment gateway's largest charge in minor units; larger orders are refused with a 400. */
  paymentGatewayMaxAmountCents: 'PAYMENT_GATEWAY_MAX_AMOUNT_CENTS',
  /** Per-request timeout of Upstash Redis calls, in milliseconds (default 1000). Redis is never the source of truth. */
  redisTimeoutMs: 'REDIS_TIMEOUT_MS',
  /**
   * Seconds an event id (or API idempotency key) is remembered: idempotency records and notification dedupe keys
   * (default 14 days, the longest a message can wait in a DLQ before it is replayed).
   */
  idempotencyTtlSeconds: 'IDEMPOTENCY_TTL_SECONDS',
  /** Seconds a failed queue message waits before its second attempt; doubled on each further one (default 2). */
  retryBaseDelaySeconds: 'RETRY_BASE_DELAY_SECONDS',
  /** Ceiling of that back-off, in seconds (default 300). */
  retryMaxDelaySeconds: 'RETRY_MAX_DELAY_SECONDS',
  /**
   * URL of a queue consumer's own redrive DLQ: a record that can never succeed (non-retryable) is sent there at once
   * by `shared/batch`, with its reason, instead of walking its receives (set by the EventConsumer construct).
   */
  deadLetterQueueUrl: 'DEAD_LETTER_QUEUE_URL',
  stage: 'STAGE',
  /** DLQ replay function: most messages one invocation replays (a request may ask for fewer). */
  dlqReplayMaxMessages: 'DLQ_REPLAY_MAX_MESSAGES',
  /** DLQ replay function: milliseconds before the function timeout at which a run stops and reports. */
  dlqReplaySafetyMarginMs: 'DLQ_REPLAY_SAFETY_MARGIN_MS',
  /** DLQ replay function: parallel workers (batches of 10 each). */
  dlqReplayConcurrency: 'DLQ_REPLAY_CONCURRENCY',
  /** Outbox sweeper: seconds an outbox item must have waited before the sweeper publishes it (default 300). */
  outboxSweepGraceSeconds: 'OUTBOX_SWEEP_GRACE_SECONDS',
  /** Outbox sweeper: most outbox items one run publishes (default 500). */
  outboxSweepMaxItems: 'OUTBOX_SWEEP_MAX_ITEMS',
  /** Outbox sweeper: milliseconds before the function timeout at which a run stops scanning (default 10000). */
  outboxSweepSafetyMarginMs: 'OUTBOX_SWEEP_SAFETY_MARGIN_MS',
} as const;

export type EnvName = (typeof EnvNames)[keyof typeof EnvNames];
