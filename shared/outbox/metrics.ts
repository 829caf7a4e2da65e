/**
 * Metrics of the outbox sweeper (EMF, dimension `service`), shared by the function that emits them and the alarms
 * that watch them.
 */
export const OutboxSweepMetrics = {
  /** Outbox items older than the grace period: events the stream publisher did not get onto the bus. */
  stranded: 'OutboxSweepStranded',
  /** Stranded events the sweeper put on the bus. */
  published: 'OutboxSweepPublished',
  /** Outbox items the sweeper deleted after publishing (the others were already deleted by the publisher). */
  deleted: 'OutboxSweepDeleted',
  /** Stranded items left in the table: not accepted by EventBridge, unreadable, or not deleted. */
  failed: 'OutboxSweepFailed',
} as const;

/** One of {@link OutboxSweepMetrics}. */
export type OutboxSweepMetricName = (typeof OutboxSweepMetrics)[keyof typeof OutboxSweepMetrics];

/** `POWERTOOLS_SERVICE_NAME` of the outbox sweeper: the `service` dimension its alarms query. */
export const OUTBOX_SWEEPER_SERVICE = 'orders-outbox-sweeper';
