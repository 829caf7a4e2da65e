import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { processDynamoDbStreamBatch, reportRecordFailure } from '../../shared/batch/process-batch';
import { EventPublisher } from '../../shared/events/publisher';
import { createObservability, MetricUnit, type Observability } from '../../shared/middleware/observability';
import { withStack } from '../../shared/middleware/stack';
import { DynamoDbOutboxStore } from '../../shared/outbox';
import { once } from '../../shared/runtime/once';
import { loadOutboxPublisherConfig } from './config';
import { type OutboxPublisherDependencies, prepareOutboxBatch } from './core';

const observability = createObservability('outbox-publisher');
const { tracer } = observability;

/** The production dependencies, built once per container. */
const productionDependencies = once(async (): Promise<OutboxPublisherDependencies> => {
  const config = loadOutboxPublisherConfig();
  return {
    publisher: new EventPublisher({
      client: tracer.captureAWSv3Client(new EventBridgeClient({})),
      eventBusName: config.eventBusName,
    }),
    outbox: new DynamoDbOutboxStore(
      DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({}))),
      config.outboxTableName,
    ),
    log: observability.logger,
  };
});

/** Builds the outbox publisher handler around its dependencies (tests pass in-memory ones). */
export const createOutboxPublisherHandler = (
  dependencies: () => Promise<OutboxPublisherDependencies>,
  obs: Observability = observability,
) =>
  withStack(async (event: DynamoDBStreamEvent, context): Promise<DynamoDBBatchResponse> => {
    const { logger, metrics } = obs;
    const batch = await prepareOutboxBatch(event.Records, await dependencies());
    return processDynamoDbStreamBatch(
      event,
      context,
      async (record) => {
        const keys = batch.describe(record);
        try {
          const outcome = await batch.settle(record);
          if (outcome.kind === 'published') {
            metrics.addMetric('OutboxEventsPublished', MetricUnit.Count, 1);
            logger.info('outbox event published', { ...keys, outboxItem: outcome.item });
          }
        } catch (error) {
          reportRecordFailure(error, logger, metrics, keys);
          throw error;
        }
      },
      metrics,
    );
  }, obs);

/** Lambda entry point: DynamoDB stream of the outbox table (INSERTs) → PutEvents → delete the outbox item. */
export const handler = createOutboxPublisherHandler(productionDependencies);
