import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { DlqMessage, ReplayReport } from '@breakwater/dlq';
import { FailureReasonAttributes } from '@breakwater/dlq/failure-reason';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayAdminClient } from '../../local/gateway';
import { SECRET_PLACEHOLDER_URL } from '../../shared/secrets/placeholder';
import { placeOrders, queueDepth, statuses } from './support/payments';
import { connectToSystem, drainQueue, eventually, type System } from './support/system';

const run = promisify(execFile);
const cli = resolve(import.meta.dirname, '../../bin/breakwater-dlq.mjs');

/** Runs the DLQ tool as an operator would, against the system's endpoint. */
const dlqTool = async (system: System, args: string[]): Promise<string> => {
  const { awsEndpointUrl, region } = system.description;
  const { stdout } = await run(process.execPath, [cli, ...args], {
    env: {
      ...process.env,
      AWS_REGION: region,
      ...(awsEndpointUrl === undefined
        ? {}
        : { AWS_ENDPOINT_URL: awsEndpointUrl, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }),
    },
  });
  return stdout;
};

/** The billing DLQ's messages as `breakwater-dlq peek --json` shows them (nothing is removed). */
const peekBillingDlq = async (system: System): Promise<Omit<DlqMessage, 'receiptHandle'>[]> =>
  JSON.parse(await dlqTool(system, ['peek', system.output('BillingDlqUrl'), '--json']));

const orderIdOf = (message: { json: unknown }): string | undefined =>
  (message.json as { detail?: { data?: { orderId?: string } } } | undefined)?.detail?.data?.orderId;

/** Waits until the billing DLQ holds a message of `orderId` (polled with the SDK, left in place), then peeks it. */
const deadLetterOf = async (system: System, orderId: string): Promise<Omit<DlqMessage, 'receiptHandle'>> => {
  const queueUrl = system.output('BillingDlqUrl');
  await eventually(
    `the message of order ${orderId} in the billing DLQ`,
    async () => {
      const { Messages = [] } = await system.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
      );
      return Messages.some((message) => message.Body?.includes(orderId)) ? true : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  const found = (await peekBillingDlq(system)).find((message) => orderIdOf(message) === orderId);
  if (found === undefined) throw new Error(`dlq peek did not show the message of order ${orderId}`);
  return found;
};

// These tests break the payment gateway and its secret: they run where the fake gateway's admin API is known.
describe.runIf(
  !process.env.BREAKWATER_TARGET ||
    process.env.BREAKWATER_TARGET === 'local' ||
    process.env.BREAKWATER_GATEWAY_ADMIN_URL,
)('failures waiting cannot fix', () => {
  let system: System;
  let gateway: GatewayAdminClient;
  let secrets: SecretsManagerClient;

  beforeAll(async () => {
    system = connectToSystem();
    if (system.gateway === undefined) throw new Error('these tests need the fake gateway admin API');
    gateway = system.gateway;
    const { awsEndpointUrl, region } = system.description;
    secrets = new SecretsManagerClient({
      region,
      ...(awsEndpointUrl === undefined
        ? {}
        : { endpoint: awsEndpointUrl, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    });
    await gateway.reset();
    await drainQueue(system, system.output('BillingDlqUrl'));
  });
  afterEach(async () => {
    // Every knob turned here is put back: a healthy gateway and an empty billing DLQ for the next test file.
    await gateway.reset();
    await drainQueue(system, system.output('BillingDlqUrl'));
  });
  afterAll(() => {
    secrets?.destroy();
    system?.close();
  });

  it('a gateway answering 401 puts the order in the billing DLQ within seconds, with its reason in dlq peek; a replay after the fix pays it', async () => {
    await gateway.updateConfig({ failureRate: 1, failureStatus: 401 });
    const started = Date.now();
    const [order] = await placeOrders(system, 'unauthorized', 1);

    const deadLetter = await deadLetterOf(system, order!.orderId);
    // The first receive (when the 401 came) and the DLQ copy's send time, both recorded by SQS and the consumer.
    const fromFirstFailure = (deadLetter.sentAt ?? 0) - Date.parse(deadLetter.failure?.firstFailedAt ?? '');
    console.info(
      `401 → billing DLQ: ${fromFirstFailure} ms from the first receive; ${((deadLetter.sentAt ?? 0) - started) / 1000} s from POST /orders`,
    );
    expect(deadLetter.failure).toMatchObject({
      errorName: 'PaymentGatewayAuthorizationError',
      errorMessage: expect.stringContaining('refused our API key with 401'),
      functionName: expect.stringContaining('billing'),
      firstFailedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(deadLetter.eventId).toBe(deadLetter.failure?.eventId);
    expect(deadLetter.attributes[FailureReasonAttributes.errorName]?.StringValue).toBe(
      'PaymentGatewayAuthorizationError',
    );
    // One receive, one gateway call: not maxReceiveCount (59) of them.
    expect((await gateway.ledgerEntry(`charge:${order?.orderId}`))?.attempts).toBe(1);
    const text = await dlqTool(system, ['peek', system.output('BillingDlqUrl')]);
    expect(text).toContain(
      'reason      PaymentGatewayAuthorizationError: payment gateway refused our API key',
    );
    await eventually('the billing queue to drop the message', async () => {
      const depth = await queueDepth(system, system.output('BillingQueueUrl'));
      return depth.visible + depth.inFlight === 0 ? true : undefined;
    });
    expect(await statuses(system, [order!])).toEqual(['PENDING_PAYMENT']);

    // The operator fixes the key (here: the gateway accepts it again) and replays; the replayed message starts
    // fresh (no reason attributes) and the order is paid once.
    await gateway.reset();
    const reportDir = await mkdtemp(join(tmpdir(), 'dlq-report-'));
    try {
      await dlqTool(system, [
        'replay',
        system.output('BillingDlqUrl'),
        '--report',
        join(reportDir, 'r.json'),
      ]);
      const report = JSON.parse(await readFile(join(reportDir, 'r.json'), 'utf8')) as ReplayReport;
      expect(report.totals.replayed).toBeGreaterThanOrEqual(1);
    } finally {
      await rm(reportDir, { recursive: true, force: true });
    }
    await eventually('the order paid after the replay', async () =>
      (await statuses(system, [order!]))[0] === 'PAID' ? true : undefined,
    );
  });

  it('a gateway secret still holding its placeholder gives a ConfigurationError naming the secret, in the DLQ at once', async () => {
    const secretId = system.output('PaymentGatewaySecretArn');
    const { SecretString: original } = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
    try {
      await secrets.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          SecretString: JSON.stringify({ url: SECRET_PLACEHOLDER_URL, apiKey: 'generated-at-deploy' }),
        }),
      );
      // A warm container still has the real key cached: the gateway refusing it makes billing re-read the secret
      // at once, which now holds the placeholder (a cold container would read the placeholder first).
      await gateway.updateConfig({ failureRate: 1, failureStatus: 401 });
      const [order] = await placeOrders(system, 'placeholder', 1);

      const deadLetter = await deadLetterOf(system, order!.orderId);
      expect(deadLetter.failure?.errorName).toBe('ConfigurationError');
      expect(deadLetter.failure?.errorMessage).toContain(
        `secret '${secretId}' still holds its deploy-time placeholder`,
      );
      expect(deadLetter.failure?.errorMessage).toContain(
        "put the payment gateway's base URL and API key in it",
      );
    } finally {
      await secrets.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: original ?? '' }));
    }
  });
});
