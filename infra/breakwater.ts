import { TagKeys } from '@breakwater/event-consumer';
import { type App, type Environment, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { StageConfig } from './config';
import { BillingStack } from './stacks/billing-stack';
import { FulfilmentStack } from './stacks/fulfilment-stack';
import { OperationsStack } from './stacks/operations-stack';
import { OrdersStack } from './stacks/orders-stack';
import { PlatformStack } from './stacks/platform-stack';
import { ReplayStack } from './stacks/replay-stack';

/** The stacks of one stage of Breakwater. */
export interface BreakwaterStacks {
  readonly platform: PlatformStack;
  readonly operations: OperationsStack;
  readonly orders: OrdersStack;
  readonly billing: BillingStack;
  readonly fulfilment: FulfilmentStack;
  readonly replay: ReplayStack;
}

/** Options of {@link buildBreakwater}. */
export interface BreakwaterOptions {
  readonly config: StageConfig;
  /** Account and region. Default: environment-agnostic stacks. */
  readonly env?: Environment;
}

/**
 * Builds every stack of a stage into `app`. Stack ids (and CloudFormation names) are `breakwater-<stage>-<service>`.
 * Cross-stack references are explicit: each stack receives the constructs it uses through its props.
 */
export function buildBreakwater(app: App, options: BreakwaterOptions): BreakwaterStacks {
  const { config } = options;
  const common = {
    config,
    terminationProtection: config.protectData,
    ...(options.env ? { env: options.env } : {}),
  };
  const id = (service: string): string => `${config.prefix}-${service}`;

  const platform = new PlatformStack(app, id('platform'), {
    ...common,
    description: 'Breakwater platform: event bus + archive, idempotency and breaker tables, secrets',
  });
  // Created before the services so they can be handed its monitoring facade; deploys after them.
  const operations = new OperationsStack(app, id('operations'), {
    ...common,
    description: 'Breakwater operations: alarm topic, alarms, dashboard',
  });
  const { monitoring } = operations;
  const orders = new OrdersStack(app, id('orders'), {
    ...common,
    description: 'Breakwater orders: HTTP API, orders and outbox tables, outbox publisher',
    eventBus: platform.eventBus,
    redisSecret: platform.redisSecret,
    idempotencyTable: platform.idempotencyTable,
    monitoring,
  });
  const billing = new BillingStack(app, id('billing'), {
    ...common,
    description: 'Breakwater billing: order.created consumer charging the payment gateway',
    eventBus: platform.eventBus,
    paymentGatewaySecret: platform.paymentGatewaySecret,
    redisSecret: platform.redisSecret,
    breakerTable: platform.breakerTable,
    idempotencyTable: platform.idempotencyTable,
    monitoring,
  });
  const fulfilment = new FulfilmentStack(app, id('fulfilment'), {
    ...common,
    description: 'Breakwater fulfilment: order-status and notifications consumers',
    eventBus: platform.eventBus,
    ordersTable: orders.ordersTable,
    idempotencyTable: platform.idempotencyTable,
    redisSecret: platform.redisSecret,
    monitoring,
  });

  // After the services: it is handed every consumer, whose DLQs it may drain and whose queues it may send to.
  const replay = new ReplayStack(app, id('replay'), {
    ...common,
    description: "Breakwater DLQ replay: function that replays the consumers' dead letters, invoked by hand",
    eventBus: platform.eventBus,
    consumers: [billing.billing, fulfilment.orderStatus, fulfilment.notifications],
    monitoring,
  });

  const stacks = { platform, operations, orders, billing, fulfilment, replay };
  for (const [service, stack] of Object.entries(stacks)) {
    Tags.of(stack).add(TagKeys.stage, config.stage);
    Tags.of(stack).add(TagKeys.service, service);
  }
  return stacks;
}

/** The cdk-nag packs the app must pass with zero unacknowledged findings. */
export function nagPacks(app: App): [AwsSolutionsChecks, ServerlessChecks] {
  return [new AwsSolutionsChecks(app), new ServerlessChecks(app)];
}

/** Registers the cdk-nag packs: any unacknowledged error makes `cdk synth` fail. */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(...nagPacks(app));
}
