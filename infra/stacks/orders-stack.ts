import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { type ITable, StreamViewType, type Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { EnvNames } from '../../shared/config/env-names';
import type { StageConfig } from '../config';
import type { OperationsMonitoring } from '../constructs/monitoring/operations-monitoring';
import { ServiceFunction } from '../constructs/service-function';
import {
  createDeadLetterQueue,
  createTable,
  DlqKinds,
  grantIdempotencyAccess,
  grantSecretValue,
  SendOnlySqsDlq,
} from '../defaults';
import { FunctionNames } from '../paths';
import { OutboxSweeper } from './outbox-sweeper';
import { addOutput, addQueueOutputs } from './outputs';

/** Properties of the {@link OrdersStack}: the platform resources it uses, passed explicitly. */
export interface OrdersStackProps extends StackProps {
  readonly config: StageConfig;
  readonly eventBus: IEventBus;
  readonly redisSecret: ISecret;
  /** Remembers `Idempotency-Key` requests so a retried POST creates no second order. */
  readonly idempotencyTable: ITable;
  readonly monitoring: OperationsMonitoring;
}

/**
 * The order service: HTTP API → orders-api function → orders table + outbox table (one TransactWriteItems), and the
 * outbox publisher: outbox stream (INSERTs only) → PutEvents onto the bus → delete the outbox item. The outbox
 * sweeper publishes, on a schedule, what the publisher left behind (see `OutboxSweeper`).
 *
 * HTTP API rather than a function URL: routes, throttling, IAM authorization and JSON access logs are managed by
 * API Gateway, and unknown paths are answered 404 without invoking the function. Callers sign requests with SigV4
 * (IAM authorization): the API is for backend callers such as a storefront's own backend. Both paths are `ANY`
 * routes: API Gateway routes only declared method + path pairs (any other method would get its bare 404), so the
 * function must see every method to answer a wrong one with 405 and `Allow`.
 */
export class OrdersStack extends Stack {
  public readonly ordersTable: Table;
  public readonly outboxTable: Table;
  public readonly api: HttpApi;
  public readonly apiStage: HttpStage;
  public readonly apiAccessLogs: LogGroup;
  public readonly ordersApi: ServiceFunction;
  public readonly outboxPublisher: ServiceFunction;
  /** On-failure destination of the outbox stream: metadata of batches the publisher gave up on. */
  public readonly publisherFailureQueue: Queue;
  /** Publishes the outbox items the publisher left behind, on a schedule. */
  public readonly outboxSweeper: OutboxSweeper;

  public constructor(scope: Construct, id: string, props: OrdersStackProps) {
    super(scope, id, props);
    const { config, monitoring } = props;

    this.ordersTable = createTable(this, 'OrdersTable', { partitionKey: 'pk', config });
    this.outboxTable = createTable(this, 'OutboxTable', {
      partitionKey: 'pk',
      stream: StreamViewType.NEW_IMAGE,
      config,
    });

    this.ordersApi = new ServiceFunction(this, 'OrdersApi', {
      name: FunctionNames.ordersApi,
      serviceName: 'orders',
      config,
      memorySize: 512,
      timeout: Duration.seconds(10),
      environment: {
        [EnvNames.ordersTableName]: this.ordersTable.tableName,
        [EnvNames.outboxTableName]: this.outboxTable.tableName,
        [EnvNames.idempotencyTableName]: props.idempotencyTable.tableName,
        [EnvNames.redisSecretId]: props.redisSecret.secretArn,
        [EnvNames.orderCacheTtlSeconds]: '60',
        [EnvNames.paymentGatewayMaxAmountCents]: String(config.ordersApi.gatewayMaxAmountCents),
        ...(config.ordersApi.orderReaderRoleArn === undefined
          ? {}
          : { [EnvNames.orderReaderRoleArn]: config.ordersApi.orderReaderRoleArn }),
      },
    });
    const ordersApiFn = this.ordersApi.function;
    // POST writes order + outbox item in one transaction (two Puts); GET reads the order on a cache miss.
    this.ordersTable.grant(ordersApiFn, 'dynamodb:GetItem', 'dynamodb:PutItem');
    this.outboxTable.grant(ordersApiFn, 'dynamodb:PutItem');
    grantIdempotencyAccess(props.idempotencyTable, ordersApiFn);
    grantSecretValue(props.redisSecret, ordersApiFn);

    this.apiAccessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `${config.prefix}-orders`,
      description: `${config.prefix}: orders API`,
      createDefaultStage: false,
      defaultAuthorizer: new HttpIamAuthorizer(),
    });
    this.apiStage = new HttpStage(this, 'HttpApiStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: config.apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.apiAccessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });
    const integration = new HttpLambdaIntegration('OrdersApiIntegration', ordersApiFn);
    // IAM authorization on both (the API's default authorizer): the function reads the caller from it.
    this.api.addRoutes({ path: '/orders', methods: [HttpMethod.ANY], integration });
    this.api.addRoutes({ path: '/orders/{orderId}', methods: [HttpMethod.ANY], integration });

    this.publisherFailureQueue = createDeadLetterQueue(this, 'OutboxPublisherFailureQueue', {
      kind: DlqKinds.streamOnFailure,
      source: FunctionNames.outboxPublisher,
      removalPolicy: config.removalPolicy,
    });
    this.outboxPublisher = new ServiceFunction(this, 'OutboxPublisher', {
      name: FunctionNames.outboxPublisher,
      serviceName: 'orders-outbox',
      config,
      timeout: Duration.seconds(30),
      readsDynamoStream: true,
      environment: {
        [EnvNames.eventBusName]: props.eventBus.eventBusName,
        [EnvNames.outboxTableName]: this.outboxTable.tableName,
      },
    });
    const publisherFn = this.outboxPublisher.function;
    props.eventBus.grantPutEventsTo(publisherFn);
    this.outboxTable.grant(publisherFn, 'dynamodb:DeleteItem');
    publisherFn.addEventSource(
      new DynamoEventSource(this.outboxTable, {
        // TRIM_HORIZON: a new or re-enabled mapping starts from the oldest record, so no outbox item is skipped.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 50,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        maxRecordAge: Duration.hours(1),
        // REMOVEs (the publisher's own deletes) and MODIFYs are not events to publish.
        filters: [FilterCriteria.filter({ eventName: FilterRule.isEqual('INSERT') })],
        onFailure: new SendOnlySqsDlq(this.publisherFailureQueue),
      }),
    );

    monitoring.watchHttpApi(this.api, ordersApiFn, 'orders-api', 5);
    const failureAlarms = monitoring.watchDeadLetterQueue(
      this.publisherFailureQueue,
      'outbox-publisher-failure-dlq',
      Duration.days(7),
    );
    const lag = monitoring.watchStreamLag(publisherFn, 'outbox-publisher', Duration.minutes(5));
    monitoring.watchFunction(
      publisherFn,
      'outbox-publisher',
      'Outbox stream (INSERTs) → PutEvents on the bus → delete the outbox item; failed batches to its failure DLQ.',
      {
        alarms: [failureAlarms.depth, lag, failureAlarms.age],
        iteratorAge: true,
        queues: [['outbox-publisher-failure-dlq', this.publisherFailureQueue]],
      },
    );

    this.outboxSweeper = new OutboxSweeper(this, 'OutboxSweeper', {
      config,
      eventBus: props.eventBus,
      outboxTable: this.outboxTable,
      monitoring,
    });

    addOutput(this, 'ApiUrl', this.apiStage.url, 'Base URL of the orders HTTP API (IAM-authorized)');
    addOutput(this, 'OrdersTableName', this.ordersTable.tableName, 'Orders (pk = orderId)');
    addOutput(
      this,
      'OutboxTableName',
      this.outboxTable.tableName,
      'Transactional outbox (pk = eventId, stream)',
    );
    addQueueOutputs(
      this,
      'outbox-publisher-failure-dlq',
      this.publisherFailureQueue,
      'DLQ (stream-on-failure) of the outbox publisher: batch metadata; the outbox items stay in the table',
    );
    addQueueOutputs(
      this,
      'outbox-sweeper-dlq',
      this.outboxSweeper.deadLetterQueue,
      'DLQ (scheduled-run) of the outbox sweeper: failed runs; no events (the next run repeats the work)',
    );
  }
}

/** JSON access log line: one field per context variable worth searching on. */
const accessLogFields = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
} as const;
