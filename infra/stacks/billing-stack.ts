import { receivesToRideOut, resolveConfig } from '@breakwater/circuit-breaker';
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { EnvNames } from '../../shared/config/env-names';
import { EventSources, EventTypes } from '../../shared/contracts/events';
import { PAYMENT_GATEWAY_CIRCUIT_ID } from '../../shared/payment-gateway/circuit';
import type { StageConfig } from '../config';
import { EventConsumer } from '../constructs/event-consumer';
import type {
  CircuitBreakerAlarms,
  OperationsMonitoring,
} from '../constructs/monitoring/operations-monitoring';
import { grantIdempotencyAccess, grantSecretValue, QueueDefaults } from '../defaults';
import { FunctionNames } from '../paths';
import { addConsumerOutputs } from './consumer-outputs';
import { addOutput } from './outputs';

/** Properties of the {@link BillingStack}: the platform resources it uses, passed explicitly. */
export interface BillingStackProps extends StackProps {
  readonly config: StageConfig;
  readonly eventBus: IEventBus;
  readonly paymentGatewaySecret: ISecret;
  /** Upstash Redis: the circuit breaker's fast path (an accelerator; the breaker table stays the truth). */
  readonly redisSecret: ISecret;
  readonly breakerTable: ITable;
  readonly idempotencyTable: ITable;
  readonly monitoring: OperationsMonitoring;
}

/** Per-call timeout of the payment gateway; the function timeout leaves room for a few calls and the PutEvents. */
const gatewayTimeout = Duration.seconds(5);

/** The longest payment gateway outage billing rides out before its messages reach the DLQ. */
export const gatewayOutageRiddenOut = Duration.hours(2);

/**
 * Receives a billing message may spend before the DLQ. While the gateway's circuit is open, every rejected message
 * is deferred to the end of the cooldown (`retryDelaySeconds`), which still costs one receive per cooldown, at
 * most two per round of the breaker (see `receivesToRideOut`). With billing's cooldowns (the breaker's defaults:
 * 30, 60, 120, 240 s, then 300 s), two hours are 4 + ⌈(7 200 − 450) / 300⌉ = 27 rounds → 54 receives; plus the
 * usual budget of 5 for failures of any other kind (e.g. calls that failed before the circuit tripped) → 59.
 * The price: a message that keeps failing for a transient reason is retried up to 59 times on the ordinary back-off
 * (2 s doubling to 300 s, see `retryDelaySeconds`), so it reaches the DLQ after about 4.4 h (510 s for the first 8
 * receives, then 51 × 300 s) instead of about a minute with 5. A failure waiting cannot fix (a refused API key, a
 * placeholder secret, a contract violation: `classifyFailure`) does not pay it: the consumer sends that record to
 * the DLQ at its first receive, with its reason.
 */
export const billingMaxReceiveCount =
  QueueDefaults.maxReceiveCount + receivesToRideOut(gatewayOutageRiddenOut.toMilliseconds(), resolveConfig());

/**
 * The billing consumer: `order.created` → charge the payment gateway (through the circuit breaker) → emit
 * `payment.succeeded` or `payment.failed`.
 */
export class BillingStack extends Stack {
  public readonly billing: EventConsumer;
  public readonly breakerAlarms: CircuitBreakerAlarms;

  public constructor(scope: Construct, id: string, props: BillingStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.billing = new EventConsumer(this, 'Billing', {
      consumerName: 'billing',
      handler: FunctionNames.billing,
      config,
      eventBus: props.eventBus,
      eventPattern: { source: [EventSources.orders], detailType: [EventTypes.orderCreated] },
      monitoring: props.monitoring,
      timeout: Duration.seconds(30),
      // The bulkhead: the gateway is the bottleneck, so the charges in flight are capped at what its rate limit
      // allows (stage settings, infra/billing-bulkhead.ts): concurrency ⌊R × L / B⌋ of B records charged in
      // parallel; messages beyond it wait in the queue instead of hammering the gateway.
      maxConcurrency: config.billing.maxConcurrency,
      batchSize: config.billing.batchSize,
      maxReceiveCount: billingMaxReceiveCount,
      environment: {
        [EnvNames.eventBusName]: props.eventBus.eventBusName,
        [EnvNames.paymentGatewaySecretId]: props.paymentGatewaySecret.secretArn,
        [EnvNames.paymentGatewayTimeoutMs]: String(gatewayTimeout.toMilliseconds()),
        [EnvNames.breakerTableName]: props.breakerTable.tableName,
        [EnvNames.paymentGatewayCircuitId]: PAYMENT_GATEWAY_CIRCUIT_ID,
        [EnvNames.redisSecretId]: props.redisSecret.secretArn,
        [EnvNames.idempotencyTableName]: props.idempotencyTable.tableName,
      },
    });
    const fn = this.billing.function;
    grantSecretValue(props.paymentGatewaySecret, fn);
    // Payment events, and the circuit breaker's transition events.
    props.eventBus.grantPutEventsTo(fn);
    // Circuit breaker: a sync is one GetItem or UpdateItem (ADD counters, ALL_NEW); every state write is a
    // conditional UpdateItem. Billing is the only function with access to the table.
    props.breakerTable.grant(fn, 'dynamodb:GetItem', 'dynamodb:UpdateItem');
    // The breaker's fast path.
    grantSecretValue(props.redisSecret, fn);
    // The queue-aware fallback delays a rejected message's return; stated here although the event source's grant
    // includes it, because the fallback depends on it.
    this.billing.queue.grant(fn, 'sqs:ChangeMessageVisibility');
    grantIdempotencyAccess(props.idempotencyTable, fn);
    this.breakerAlarms = props.monitoring.watchCircuitBreakers('billing');

    addConsumerOutputs(this, 'billing', this.billing);
    // Names the circuit to `breakwater-breaker` (status, list) before its first call has written its item.
    addOutput(
      this,
      'PaymentGatewayCircuitId',
      PAYMENT_GATEWAY_CIRCUIT_ID,
      'Circuit guarding the payment gateway',
    );
  }
}
