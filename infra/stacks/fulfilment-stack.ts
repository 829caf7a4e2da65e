import { Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { EnvNames } from '../../shared/config/env-names';
import { EventSources, EventTypes } from '../../shared/contracts/events';
import type { StageConfig } from '../config';
import { EventConsumer } from '../constructs/event-consumer';
import type { OperationsMonitoring } from '../constructs/monitoring/operations-monitoring';
import { grantIdempotencyAccess, grantSecretValue } from '../defaults';
import { FunctionNames } from '../paths';
import { addConsumerOutputs } from './consumer-outputs';

/** Properties of the {@link FulfilmentStack}: the resources it uses, passed explicitly. */
export interface FulfilmentStackProps extends StackProps {
  readonly config: StageConfig;
  readonly eventBus: IEventBus;
  readonly ordersTable: ITable;
  readonly idempotencyTable: ITable;
  readonly redisSecret: ISecret;
  readonly monitoring: OperationsMonitoring;
}

/**
 * Two subscribers of the same events (fan-out): order-status applies payment outcomes to the order and
 * invalidates its cache; notifications tells the customer about new orders and payment outcomes.
 */
export class FulfilmentStack extends Stack {
  public readonly orderStatus: EventConsumer;
  public readonly notifications: EventConsumer;

  public constructor(scope: Construct, id: string, props: FulfilmentStackProps) {
    super(scope, id, props);
    const { config, eventBus, monitoring } = props;

    this.orderStatus = new EventConsumer(this, 'OrderStatus', {
      consumerName: 'order-status',
      handler: FunctionNames.orderStatus,
      config,
      eventBus,
      monitoring,
      eventPattern: {
        source: [EventSources.billing],
        detailType: [EventTypes.paymentSucceeded, EventTypes.paymentFailed],
      },
      environment: {
        [EnvNames.ordersTableName]: props.ordersTable.tableName,
        [EnvNames.idempotencyTableName]: props.idempotencyTable.tableName,
        [EnvNames.redisSecretId]: props.redisSecret.secretArn,
      },
    });
    // One conditional update that never regresses the status; when it does not apply, the condition check returns
    // the current item (ReturnValuesOnConditionCheckFailure), so no read is needed.
    props.ordersTable.grant(this.orderStatus.function, 'dynamodb:UpdateItem');
    grantIdempotencyAccess(props.idempotencyTable, this.orderStatus.function);
    grantSecretValue(props.redisSecret, this.orderStatus.function);

    this.notifications = new EventConsumer(this, 'Notifications', {
      consumerName: 'notifications',
      handler: FunctionNames.notifications,
      config,
      eventBus,
      monitoring,
      // Each detail type has exactly one source in the catalog, so the cross product matches nothing extra.
      eventPattern: {
        source: [EventSources.orders, EventSources.billing],
        detailType: [EventTypes.orderCreated, EventTypes.paymentSucceeded, EventTypes.paymentFailed],
      },
      environment: { [EnvNames.idempotencyTableName]: props.idempotencyTable.tableName },
    });
    // A sent notification's event id is remembered in the idempotency table (Powertools idempotency), like every
    // consumer's: Redis is a cache, and a Redis outage must neither dead-letter notifications nor send them twice.
    grantIdempotencyAccess(props.idempotencyTable, this.notifications.function);

    addConsumerOutputs(this, 'order-status', this.orderStatus);
    addConsumerOutputs(this, 'notifications', this.notifications);
  }
}
