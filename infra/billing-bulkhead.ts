import { InfraConfigurationError } from './errors';

/**
 * Billing's bulkhead: how many charges the fleet may have in flight at the payment gateway, derived from what the
 * gateway allows. Billing charges the records of a batch in parallel (Powertools' BatchProcessor), so with C
 * concurrent invocations of B records each and a gateway answering in L seconds:
 *
 *   charges in flight = C × B          charges per second ≈ C × B / L
 *
 * and C is chosen so that C × B / L stays within the gateway's published rate limit R: C = ⌊R × L / B⌋. The event
 * source's maximum concurrency enforces C (2–1,000 per event source mapping); messages beyond it wait in the queue,
 * which is the point: a backlog never turns into more load on the gateway than it accepts.
 */
export interface BillingBulkheadSettings {
  /** The payment gateway's rate limit, requests per second (its published or contracted figure). */
  readonly gatewayRateLimitPerSecond: number;
  /** The gateway's typical (p50) latency, ms: the longer a charge takes, the more may be in flight at that rate. */
  readonly gatewayLatencyMs: number;
  /** Records per invocation, 1–10 (no batching window: a payment should not wait to fill a batch). */
  readonly batchSize: number;
}

/** The bulkhead a stage deploys, with its arithmetic worked out. */
export interface BillingBulkhead extends BillingBulkheadSettings {
  /** The event source mapping's maximum concurrency: ⌊R × L / B⌋. */
  readonly maxConcurrency: number;
  /** C × B: charges in flight at once, at most. */
  readonly chargesInFlight: number;
  /** C × B / L: the charges per second billing sustains (the orders per second it can pay for). */
  readonly chargesPerSecond: number;
}

/** Lambda's bounds on an SQS event source mapping's maximum concurrency. */
const MIN_CONCURRENCY = 2;
const MAX_CONCURRENCY = 1_000;

/**
 * Derives the bulkhead from the gateway's figures.
 * @throws InfraConfigurationError when a figure is not a positive number, the batch is outside 1–10, or the
 * gateway's rate cannot feed even the minimum of 2 concurrent invocations (lower the batch size), or needs more than
 * one event source mapping can run (1,000: shard the queue, see docs/SCALING.md).
 */
export function billingBulkhead(settings: BillingBulkheadSettings): BillingBulkhead {
  const { gatewayRateLimitPerSecond: rate, gatewayLatencyMs: latencyMs, batchSize } = settings;
  for (const [name, value] of Object.entries(settings)) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new InfraConfigurationError(
        `billing bulkhead ${name}`,
        `must be a positive number, got ${value}`,
      );
    }
  }
  if (!Number.isInteger(batchSize) || batchSize > 10) {
    throw new InfraConfigurationError(
      'billing bulkhead batchSize',
      `must be an integer from 1 to 10, got ${batchSize}`,
    );
  }
  const maxConcurrency = Math.floor((rate * latencyMs) / 1_000 / batchSize);
  if (maxConcurrency < MIN_CONCURRENCY) {
    throw new InfraConfigurationError(
      'billing bulkhead',
      `a gateway limit of ${rate}/s at ${latencyMs} ms feeds ${maxConcurrency} invocations of ${batchSize} records; ` +
        `the event source needs at least ${MIN_CONCURRENCY}: lower batchSize`,
    );
  }
  if (maxConcurrency > MAX_CONCURRENCY) {
    throw new InfraConfigurationError(
      'billing bulkhead',
      `${rate}/s at ${latencyMs} ms needs ${maxConcurrency} concurrent invocations of ${batchSize} records; one event ` +
        `source mapping runs at most ${MAX_CONCURRENCY}: shard billing's queue (docs/SCALING.md)`,
    );
  }
  const chargesInFlight = maxConcurrency * batchSize;
  return {
    ...settings,
    maxConcurrency,
    chargesInFlight,
    chargesPerSecond: Math.floor((chargesInFlight * 1_000) / latencyMs),
  };
}
