import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { createClients } from '../../shared/dlq';
import { loadConfig } from './config';
import { type DlqReplayResponse, parseRequest, runDlqReplay } from './core';

const logger = new Logger({ serviceName: 'dlq-replay' });
const config = loadConfig();
const clients = createClients();

/**
 * Replays a DLQ, invoked by hand (`aws lambda invoke --payload '{"queue":"billing-dlq","dryRun":true}'`) or by a
 * rule. Bad requests, unknown queues and denied permissions throw, so the invoker sees a function error and the
 * Errors metric counts it; a run with failed messages returns its report (`totals.failed`).
 */
export const handler = async (event: unknown, context: Context): Promise<DlqReplayResponse> => {
  const request = parseRequest(event);
  const response = await runDlqReplay(clients, request, config, context.getRemainingTimeInMillis());
  logger.info('dlq replay finished', {
    queue: response.queue.name,
    mode: response.mode,
    stoppedBecause: response.stoppedBecause,
    totals: response.totals,
    messagesPerSecond: response.messagesPerSecond,
  });
  if (response.error !== undefined) logger.error('dlq replay ended early', { error: response.error });
  return response;
};
