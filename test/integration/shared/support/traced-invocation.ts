/**
 * One invocation of a handler built like every Breakwater function (the shared middleware stack, a captured SDK
 * client, the payment gateway client, the event publisher), run as its own process by `tracing.test.ts` with
 * Lambda's tracing environment: `LAMBDA_TASK_ROOT` and `AWS_EXECUTION_ENV` (so the X-Ray SDK and Powertools Tracer
 * run in Lambda mode), `_X_AMZN_TRACE_ID` (sampled) and `AWS_XRAY_DAEMON_ADDRESS` (the test's UDP listener).
 * `TEST_SERVER_URL` answers both the DynamoDB call and the charge. Prints one JSON line: the PutEvents entries'
 * trace headers and the trace header the gateway request carried.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { createEvent, EventTypes } from '../../../../shared/contracts';
import { EventPublisher } from '../../../../shared/events/publisher';
import { createObservability } from '../../../../shared/middleware/observability';
import { withStack } from '../../../../shared/middleware/stack';
import { PaymentGatewayClient } from '../../../../shared/payment-gateway';
import { lambdaContext } from '../../../support/lambda';

const endpoint = process.env.TEST_SERVER_URL ?? '';
const observability = createObservability('tracing-test');
const dynamoDb = observability.tracer.captureAWSv3Client(
  new DynamoDBClient({ endpoint, region: 'us-east-1', maxAttempts: 1 }),
);
const traceHeaders: (string | undefined)[] = [];
const publisher = new EventPublisher({
  eventBusName: 'bus',
  client: {
    send: async (command: PutEventsCommand) => {
      const entries = command.input.Entries ?? [];
      traceHeaders.push(...entries.map((entry) => entry.TraceHeader));
      return { Entries: entries.map((_, index) => ({ EventId: `e-${index}` })), $metadata: {} };
    },
  },
});

const handler = withStack(async () => {
  await dynamoDb.send(new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'o-1' } } }));
  await new PaymentGatewayClient({ baseUrl: endpoint, apiKey: 'key' }).charge({
    amountCents: 100,
    currency: 'EUR',
    reference: 'o-1',
    idempotencyKey: 'charge:o-1',
  });
  await publisher.publish([
    createEvent({
      type: EventTypes.paymentSucceeded,
      correlationId: 'c-1',
      data: { orderId: 'o-1', paymentId: 'ch_1', amountCents: 100, currency: 'EUR' },
    }),
  ]);
  return 'done';
}, observability);

const result = await handler({}, lambdaContext());
// Closed subsegments go out over UDP as they close; give the socket a moment before the process exits.
await new Promise((resolve) => setTimeout(resolve, 100));
process.stdout.write(`${JSON.stringify({ result, traceHeaders })}\n`);
