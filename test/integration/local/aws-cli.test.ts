import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreServices, startCoreServices } from '../../../packages/local-cloud/src/cloud/core-services';
import { createEventBridgeService } from '../../../packages/local-cloud/src/eventbridge';

/**
 * The AWS CLI, pointed at the edge with `--endpoint-url` and nothing else, lists queues, sends and receives
 * messages, puts events, scans tables and reads secrets. Debian's `awscli` (2.9) speaks the query protocol to SQS, so this also
 * proves the edge's translation of it. BREAKWATER_AWS_CLI may name another CLI binary.
 */

const run = promisify(execFile);

const findCli = (): string => {
  const candidates = [
    process.env.BREAKWATER_AWS_CLI,
    '/usr/bin/aws',
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'aws')),
  ].filter((path): path is string => path !== undefined && path !== '');
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not this one
    }
  }
  throw new Error(
    'The AWS CLI is required by this test and was not found (looked for /usr/bin/aws and aws on PATH). ' +
      'Install it with `sudo apt-get install -y awscli`, or set BREAKWATER_AWS_CLI to its path.',
  );
};

let core: CoreServices;
let cli: string;
let home: string;

beforeAll(async () => {
  cli = findCli();
  home = mkdtempSync(join(tmpdir(), 'breakwater-aws-cli-'));
  core = await startCoreServices({ edgePort: 0 });
  // EventBridge is registered by whoever composes the cloud; here with no targets to deliver to.
  core.edge.registerService(createEventBridgeService({ delivery: { deliver: async () => undefined } }));
});
afterAll(async () => {
  await core?.stop();
  if (home !== undefined) rmSync(home, { recursive: true, force: true });
});

/** Runs one CLI command against the edge, isolated from the user's AWS configuration; returns its JSON output. */
const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
  const { stdout } = await run(cli, ['--endpoint-url', core.endpoints.edge, '--output', 'json', ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: home,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
    },
    timeout: 60_000,
  });
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
};

describe('the AWS CLI against the edge', () => {
  it('creates and lists queues, sends, receives and deletes messages', async () => {
    const { QueueUrl } = await aws(
      'sqs',
      'create-queue',
      '--queue-name',
      'cli-orders',
      '--attributes',
      'VisibilityTimeout=30',
    );
    expect(QueueUrl).toBe(`${core.endpoints.edge}/000000000000/cli-orders`);
    const queueUrl = String(QueueUrl);
    expect((await aws('sqs', 'list-queues')).QueueUrls).toContain(queueUrl);
    const sent = await aws(
      'sqs',
      'send-message',
      '--queue-url',
      queueUrl,
      '--message-body',
      '{"orderId":"o-1","note":"<fragile> & urgent"}',
      '--message-attributes',
      '{"eventType":{"DataType":"String","StringValue":"order.created"}}',
    );
    expect(sent.MessageId).toEqual(expect.any(String));
    const received = await aws(
      'sqs',
      'receive-message',
      '--queue-url',
      queueUrl,
      '--attribute-names',
      'All',
      '--message-attribute-names',
      'All',
    );
    const messages = received.Messages as {
      Body: string;
      ReceiptHandle: string;
      MessageAttributes: unknown;
      Attributes: Record<string, string>;
    }[];
    expect(messages).toHaveLength(1);
    expect(messages[0]?.Body).toBe('{"orderId":"o-1","note":"<fragile> & urgent"}');
    expect(messages[0]?.MessageAttributes).toEqual({
      eventType: { DataType: 'String', StringValue: 'order.created' },
    });
    expect(messages[0]?.Attributes.ApproximateReceiveCount).toBe('1');
    await aws(
      'sqs',
      'delete-message',
      '--queue-url',
      queueUrl,
      '--receipt-handle',
      messages[0]?.ReceiptHandle ?? '',
    );
    const attributes = await aws(
      'sqs',
      'get-queue-attributes',
      '--queue-url',
      queueUrl,
      '--attribute-names',
      'All',
    );
    expect(attributes.Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      VisibilityTimeout: '30',
    });
  });

  it('reports a missing queue with the AWS error code', async () => {
    await expect(aws('sqs', 'get-queue-url', '--queue-name', 'no-such-queue')).rejects.toMatchObject({
      stderr: expect.stringContaining('AWS.SimpleQueueService.NonExistentQueue'),
    });
  });

  it('creates a table, puts an item and scans it', async () => {
    await aws(
      'dynamodb',
      'create-table',
      '--table-name',
      'cli-orders',
      '--attribute-definitions',
      'AttributeName=pk,AttributeType=S',
      '--key-schema',
      'AttributeName=pk,KeyType=HASH',
      '--billing-mode',
      'PAY_PER_REQUEST',
    );
    await aws(
      'dynamodb',
      'put-item',
      '--table-name',
      'cli-orders',
      '--item',
      '{"pk":{"S":"o-1"},"status":{"S":"PAID"}}',
    );
    const scanned = await aws('dynamodb', 'scan', '--table-name', 'cli-orders');
    expect(scanned).toMatchObject({ Count: 1, Items: [{ pk: { S: 'o-1' }, status: { S: 'PAID' } }] });
  });

  it('creates and reads a secret and a parameter', async () => {
    await aws(
      'secretsmanager',
      'create-secret',
      '--name',
      'cli/gateway',
      '--secret-string',
      '{"url":"http://g","apiKey":"k"}',
    );
    const secret = await aws('secretsmanager', 'get-secret-value', '--secret-id', 'cli/gateway');
    expect(JSON.parse(String(secret.SecretString))).toEqual({ url: 'http://g', apiKey: 'k' });
    await aws('ssm', 'put-parameter', '--name', '/cli/stage', '--value', 'local', '--type', 'String');
    expect(await aws('ssm', 'get-parameter', '--name', '/cli/stage')).toMatchObject({
      Parameter: { Value: 'local', Version: 1 },
    });
  });

  it('puts events and tests an event pattern', async () => {
    const detail = JSON.stringify({ id: 'evt-1', type: 'order.created', data: { orderId: 'o-1' } });
    const put = await aws(
      'events',
      'put-events',
      '--entries',
      JSON.stringify([{ Source: 'breakwater.orders', DetailType: 'order.created', Detail: detail }]),
    );
    expect(put).toMatchObject({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
    const event = JSON.stringify({
      id: '1',
      account: '000000000000',
      source: 'breakwater.orders',
      time: '2026-11-27T00:00:00Z',
      region: 'us-east-1',
      resources: [],
      'detail-type': 'order.created',
      detail: JSON.parse(detail),
    });
    const pattern = JSON.stringify({ source: ['breakwater.orders'], 'detail-type': [{ prefix: 'order.' }] });
    expect(await aws('events', 'test-event-pattern', '--event-pattern', pattern, '--event', event)).toEqual({
      Result: true,
    });
  });
});
