import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type LocalCloud, startLocalCloud } from '@breakwater/local-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../infra/paths';
import { shelfApp } from './support/shelf-app';

/**
 * The package's own path for any CDK app, without Breakwater's layer: `startLocalCloud` synthesizes a second,
 * unrelated app (test/fixtures/cdk-app: rule → queue with DLQ → function → table) from its cdk.json, deploys it and
 * runs it, with no Redis endpoint (so no redis-server) and no secrets of Breakwater's.
 */
describe('startLocalCloud with another CDK app', () => {
  let project: string;
  let cloud: LocalCloud;
  let clients: { dynamodb: DynamoDBClient; events: EventBridgeClient; sqs: SQSClient };

  beforeAll(async () => {
    project = mkdtempSync(join(tmpdir(), 'local-cloud-app-'));
    writeFileSync(
      join(project, 'cdk.json'),
      JSON.stringify({
        app: `${join(repoRoot, 'node_modules/.bin/tsx')} ${join(repoRoot, 'test/fixtures/cdk-app/app.ts')}`,
      }),
    );
    cloud = await startLocalCloud({ rootDirectory: project, ports: { edge: 0 }, redis: false });
    const config = {
      region: cloud.endpoints.region,
      endpoint: cloud.endpoints.edgeUrl,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
    clients = {
      dynamodb: new DynamoDBClient(config),
      events: new EventBridgeClient(config),
      sqs: new SQSClient(config),
    };
  }, 240_000);
  afterAll(async () => {
    for (const client of Object.values(clients ?? {})) client.destroy();
    await cloud?.stop();
    if (project !== undefined) rmSync(project, { recursive: true, force: true });
  }, 60_000);

  it('synthesizes the app from its cdk.json, with its outputs and no Redis endpoint', () => {
    expect(cloud.timings.synthesized).toBe(true);
    expect(cloud.endpoints.outputs.BusName).toBe('shelf-library');
    expect(cloud.endpoints.redisRestUrl).toBe('');
    expect(cloud.redis).toBeUndefined();
  });

  it('runs it: an arrived book is shelved, one without an ISBN ends in the DLQ', async () => {
    await shelfApp(clients).runsEndToEnd(cloud.endpoints.outputs);
  });
});
