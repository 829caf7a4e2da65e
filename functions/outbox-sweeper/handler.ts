import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { EventPublisher } from '../../shared/events/publisher';
import { createObservability, MetricUnit, type Observability } from '../../shared/middleware/observability';
import { withStack } from '../../shared/middleware/stack';
import { DynamoDbOutboxStore, OUTBOX_SWEEPER_SERVICE, OutboxSweepMetrics } from '../../shared/outbox';
import { once } from '../../shared/runtime/once';
import { loadOutboxSweeperConfig } from './config';
import {
  type OutboxSweeperDependencies,
  type OutboxSweepReport,
  type OutboxSweepSettings,
  sweepOutbox,
} from './core';

const observability = createObservability(OUTBOX_SWEEPER_SERVICE);
const { tracer } = observability;

/** What a handler run needs: the use-case's dependencies and its bounds. */
export interface OutboxSweeperRuntime {
  readonly dependencies: OutboxSweeperDependencies;
  readonly settings: OutboxSweepSettings;
}

/** The production runtime, built once per container. */
const productionRuntime = once(async (): Promise<OutboxSweeperRuntime> => {
  const config = loadOutboxSweeperConfig();
  return {
    dependencies: {
      publisher: new EventPublisher({
        client: tracer.captureAWSv3Client(new EventBridgeClient({})),
        eventBusName: config.eventBusName,
      }),
      outbox: new DynamoDbOutboxStore(
        DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({}))),
        config.outboxTableName,
      ),
      log: observability.logger,
    },
    settings: config,
  };
});

/** Builds the sweeper handler around its runtime (tests pass in-memory dependencies). */
export const createOutboxSweeperHandler = (
  runtime: () => Promise<OutboxSweeperRuntime>,
  obs: Observability = observability,
) =>
  withStack(async (_event: ScheduledEvent, context: Context): Promise<OutboxSweepReport> => {
    const { logger, metrics } = obs;
    const { dependencies, settings } = await runtime();
    const report = await sweepOutbox(dependencies, settings, () => context.getRemainingTimeInMillis());
    metrics.addMetric(OutboxSweepMetrics.stranded, MetricUnit.Count, report.stranded);
    metrics.addMetric(OutboxSweepMetrics.published, MetricUnit.Count, report.published);
    metrics.addMetric(OutboxSweepMetrics.deleted, MetricUnit.Count, report.deleted);
    metrics.addMetric(OutboxSweepMetrics.failed, MetricUnit.Count, report.failed);
    // Stranded items mean the stream publisher is failing: a warning, which the stranded alarm escalates.
    if (report.stranded > 0) logger.warn('outbox sweep found stranded events', { ...report });
    else logger.info('outbox sweep found nothing stranded', { ...report });
    return report;
  }, obs);

/** Lambda entry point: an EventBridge schedule → publish stranded outbox events → delete their items. */
export const handler = createOutboxSweeperHandler(productionRuntime);
