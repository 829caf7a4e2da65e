import type { Context } from 'aws-lambda';
import { createClients, type ReplayClients } from '../../shared/dlq';
import { createObservability, MetricUnit, type Observability } from '../../shared/middleware/observability';
import { withStack } from '../../shared/middleware/stack';
import { once } from '../../shared/runtime/once';
import { type DlqReplayConfig, loadConfig } from './config';
import { type DlqReplayResponse, parseRequest, runDlqReplay } from './core';

const observability = createObservability('dlq-replay');

/** What the handler needs; built once per container. */
export interface DlqReplayDependencies {
  readonly config: DlqReplayConfig;
  readonly clients: ReplayClients;
}

// Clients from the ordinary SDK chain: region and credentials of the function, AWS_ENDPOINT_URL on a local cloud.
const productionDependencies = once(
  async (): Promise<DlqReplayDependencies> => ({
    config: loadConfig(),
    clients: createClients(),
  }),
);

/**
 * Builds the DLQ replay handler, invoked by hand (`aws lambda invoke --payload
 * '{"queue":"billing-dlq","dryRun":true}'`) or by a rule. Bad requests, unknown queues and denied permissions
 * throw, so the invoker sees a function error and the Errors metric counts it; a run with failed messages returns
 * its report (`totals.failed`) and counts them in `DlqMessagesFailed`.
 */
export const createDlqReplayHandler = (
  dependencies: () => Promise<DlqReplayDependencies> = productionDependencies,
  obs: Observability = observability,
) =>
  withStack(async (event: unknown, context: Context): Promise<DlqReplayResponse> => {
    const { config, clients } = await dependencies();
    const request = parseRequest(event);
    const response = await runDlqReplay(clients, request, config, context.getRemainingTimeInMillis());
    obs.metrics.addMetric('DlqMessagesReplayed', MetricUnit.Count, response.totals.replayed);
    obs.metrics.addMetric('DlqMessagesFailed', MetricUnit.Count, response.totals.failed);
    obs.logger.info('dlq replay finished', {
      queue: response.queue.name,
      mode: response.mode,
      stoppedBecause: response.stoppedBecause,
      totals: response.totals,
      messagesPerSecond: response.messagesPerSecond,
    });
    if (response.error !== undefined) obs.logger.error('dlq replay ended early', { error: response.error });
    return response;
  }, obs);

/** Lambda entry point: replays one DLQ, bounded per invocation (see `runDlqReplay`). */
export const handler = createDlqReplayHandler();
