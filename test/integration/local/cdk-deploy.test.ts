import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../infra/paths';
import {
  type CdkTarget,
  startCdkTarget,
} from '../../../packages/local-cloud/src/cloud/cloudformation-target';
import { shelfApp } from './support/shelf-app';

/**
 * The real CDK CLI (`npx cdk`, AWS_ENDPOINT_URL pointed at the edge) bootstraps the local cloud, deploys a CDK app of
 * its own (test/fixtures/cdk-app: rule → queue with DLQ → function → table), which then runs end to end, updates it
 * (the function's new environment writes the next items) and destroys it.
 */

const run = promisify(execFile);
const config = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

describe('cdk bootstrap, deploy, update and destroy against the local cloud', () => {
  let target: CdkTarget;
  let project: string;
  let clients: {
    cfn: CloudFormationClient;
    dynamodb: DynamoDBClient;
    events: EventBridgeClient;
    sqs: SQSClient;
  };
  const timings: Record<string, number> = {};

  const cdk = async (...args: string[]) => {
    const started = Date.now();
    const approval = args[0] === 'deploy' ? ['--require-approval', 'never'] : [];
    // The project's own CDK CLI, run from a folder outside the project as a user's app would be.
    const { stdout, stderr } = await run(
      join(repoRoot, 'node_modules/.bin/cdk'),
      [...args, ...approval, '--no-notices'],
      {
        cwd: project,
        timeout: 300_000,
        env: {
          ...process.env,
          AWS_ENDPOINT_URL: target.edgeUrl,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_PROFILE: '',
          CDK_DISABLE_VERSION_CHECK: '1',
        },
      },
    );
    return { output: `${stdout}${stderr}`, ms: Date.now() - started };
  };
  const outputs = async (): Promise<Record<string, string>> => {
    const { Stacks } = await clients.cfn.send(new DescribeStacksCommand({ StackName: 'ShelfApp' }));
    return Object.fromEntries(
      (Stacks?.[0]?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]),
    );
  };
  const shelf = () => shelfApp(clients);

  beforeAll(async () => {
    target = await startCdkTarget({ edgePort: 0 });
    const endpoint = { ...config, endpoint: target.edgeUrl };
    clients = {
      cfn: new CloudFormationClient(endpoint),
      dynamodb: new DynamoDBClient(endpoint),
      events: new EventBridgeClient(endpoint),
      sqs: new SQSClient(endpoint),
    };
    project = mkdtempSync(join(tmpdir(), 'breakwater-cdk-app-'));
    writeFileSync(
      join(project, 'cdk.json'),
      JSON.stringify({
        app: `${join(repoRoot, 'node_modules/.bin/tsx')} ${join(repoRoot, 'test/fixtures/cdk-app/app.ts')}`,
      }),
    );
  }, 120_000);
  afterAll(async () => {
    for (const client of Object.values(clients ?? {})) client.destroy();
    await target?.stop();
    if (project !== undefined) rmSync(project, { recursive: true, force: true });
    console.log(`cdk against the local cloud (ms): ${JSON.stringify(timings)}`);
    console.log(`operations the CDK CLI called: ${target?.cloudFormation.servedOperations.join(' ')}`);
  }, 60_000);

  it('bootstraps: the CDKToolkit stack, its assets bucket and version parameter', async () => {
    const { output, ms } = await cdk('bootstrap', 'aws://000000000000/us-east-1');
    timings.bootstrap = ms;
    expect(output).toContain('Environment aws://000000000000/us-east-1 bootstrapped');
    expect(target.cloudFormation.s3.hasBucket('cdk-hnb659fds-assets-000000000000-us-east-1')).toBe(true);
  });

  it('deploys the app, which then runs: an arrived book is shelved, one without an ISBN ends in the DLQ', async () => {
    const { output, ms } = await cdk('deploy', '--all');
    timings.deploy = ms;
    expect(output).toContain('ShelfApp.BusName = shelf-library');
    await shelf().runsEndToEnd(await outputs());
  });

  it('updates the app in place: the new function version shelves the next book, the table keeps the first', async () => {
    const { output, ms } = await cdk('deploy', '--all', '-c', 'version=2');
    timings.update = ms;
    expect(output).toContain('ShelfApp.ShelfVersion = 2');
    const { BooksTableName } = await outputs();
    await shelf().arrive({ isbn: '978-0553293357', title: 'Foundation' });
    await expect
      .poll(() => shelf().shelvedBy(BooksTableName ?? '', '978-0553293357'), { timeout: 30_000 })
      .toBe('v2');
    expect(await shelf().shelvedBy(BooksTableName ?? '', '978-0441172719')).toBe('v1');
  });

  it('destroys the app: the stack and its queues are gone, and the CLI used nothing the local cloud lacks', async () => {
    const { output, ms } = await cdk('destroy', '--all', '--force');
    timings.destroy = ms;
    expect(output).toContain('ShelfApp: destroyed');
    await expect(clients.cfn.send(new DescribeStacksCommand({ StackName: 'ShelfApp' }))).rejects.toThrow(
      /does not exist/,
    );
    const { QueueUrls = [] } = await clients.sqs.send(new ListQueuesCommand({}));
    expect(QueueUrls.filter((url) => url.includes('ShelfApp'))).toEqual([]);
    expect(target.cloudFormation.unknownRequests).toEqual([]);
  });
});
