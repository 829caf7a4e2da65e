import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { EnvNames } from '../../shared/config/env-names';
import { EventSources, EventTypes } from '../../shared/contracts/events';
import type { StageConfig } from '../config';
import { EventConsumer } from '../constructs/event-consumer';
import type { OperationsMonitoring } from '../constructs/monitoring/operations-monitoring';
import { grantIdempotencyAccess } from '../defaults';
import { FunctionNames } from '../paths';
import { addConsumerOutputs } from './consumer-outputs';

/** Properties of the {@link BillingStack}: the platform resources it uses, passed explicitly. */
export interface BillingStackProps extends StackProps {
  readonly config: StageConfig;
  readonly eventBus: IEventBus;
  readonly paymentGatewaySecret: ISecret;
  readonly breakerTable: ITable;
  readonly idempotencyTable: ITable;
  readonly monitoring: OperationsMonitoring;
}

/** Per-call timeout of the payment gateway; the function timeout leaves room for a few calls and the PutEvents. */
const gatewayTimeout = Duration.seconds(5);

/**
 * The billing consumer: `order.created` → charge the payment gateway (through the circuit breaker) → emit
 * `payment.succeeded` or `payment.failed`.
 */
export class BillingStack extends Stack {
  public readonly billing: EventConsumer;

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
      // The gateway is the bottleneck: cap the calls in flight rather than let a backlog hammer it.
      maxConcurrency: 5,
      environment: {
        [EnvNames.eventBusName]: props.eventBus.eventBusName,
        [EnvNames.paymentGatewaySecretId]: props.paymentGatewaySecret.secretArn,
        [EnvNames.paymentGatewayTimeoutMs]: String(gatewayTimeout.toMilliseconds()),
        [EnvNames.breakerTableName]: props.breakerTable.tableName,
        [EnvNames.idempotencyTableName]: props.idempotencyTable.tableName,
      },
    });
    const fn = this.billing.function;
    props.paymentGatewaySecret.grantRead(fn);
    props.eventBus.grantPutEventsTo(fn);
    // Circuit breaker: read state and counters, fenced conditional writes, atomic counter updates.
    props.breakerTable.grant(
      fn,
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    );
    grantIdempotencyAccess(props.idempotencyTable, fn);

    addConsumerOutputs(this, 'billing', this.billing);
  }
}
