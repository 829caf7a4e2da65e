import { createClients, type ReplayClients } from '@breakwater/dlq';
import type { Context } from 'aws-lambda';
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

// Clients from the ordinary SDK chain: region and credentials of the function, AWS_ENDPOINT_URL on a local cloud;
// each captured (in place) by the tracer.
const productionDependencies = once(async (): Promise<DlqReplayDependencies> => {
  const clients = createClients();
  const { tracer } = observability;
  tracer.captureAWSv3Client(clients.sqs);
  if (clients.lambda !== undefined) tracer.captureAWSv3Client(clients.lambda);
  if (clients.eventBridge !== undefined) tracer.captureAWSv3Client(clients.eventBridge);
  return { config: loadConfig(), clients };
});

/**
 * Builds the DLQ replay handler. The CDK app deploys it (stack `breakwater-<stage>-replay`, output
 * `DlqReplayFunctionName`) with no trigger: an operator invokes it synchronously and reads the report it returns.
 *
 * ```sh
 * aws lambda invoke --function-name "$DlqReplayFunctionName" \
 *   --cli-binary-format raw-in-base64-out --cli-read-timeout 0 \
 *   --payload '{"queue":"<BillingDlqUrl>","selection":{"types":["order.created"]},"max":100,"dryRun":true}' \
 *   report.json
 * ```
 *
 * `queue` is a DLQ's URL, ARN or name (stack outputs `<Owner>DlqUrl`); optional: `selection` (`types`, `since`,
 * `until`, `errorCodes`, `where`, `ids`), `max`, `dryRun`, `keep`, `to`, `viaBus`, `busName`, `ratePerSecond`
 * (see `dlqReplayRequestSchema`). One invocation replays at most `DLQ_REPLAY_MAX_MESSAGES`; invoke again to
 * continue. Bad requests, unknown queues and denied permissions throw, so the invoker sees a function error and the
 * Errors metric counts it; a run with failed messages returns its report (`totals.failed`) and counts them in
 * `DlqMessagesFailed`.
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
