import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../infra/paths';
import {
  type DynamoDbLocal,
  startDynamoDbLocal,
} from '../../../packages/local-cloud/src/dynamodb/dynamodb-local';
import { type SqsServer, startSqsServer } from '../../../packages/local-cloud/src/sqs';
import { createAppTable } from '../../support/app-tables';

const run = promisify(execFile);

/** The breaker's core entry point, by name: a change to it is a change to what users depend on. */
const BREAKER_CORE_API = [
  'BreakerMetricNames',
  'CIRCUIT_DIMENSION',
  'CallTimeoutError',
  'CircuitBreaker',
  'CircuitBreakerConfigurationError',
  'CircuitBreakerDefaults',
  'CircuitBreakerError',
  'CircuitBreakers',
  'CircuitOpenError',
  'CircuitStates',
  'CircuitStoreError',
  'MAX_VISIBILITY_TIMEOUT_SECONDS',
  'MemoryCircuitStore',
  'combineListeners',
  'defaultErrorClassifier',
  'defaultResultClassifier',
  'httpStatusOf',
  'isCircuitState',
  'isConnectionOrTimeoutError',
  'isFailureStatus',
  'manualStates',
  'metricsListeners',
  'powertoolsMetricSink',
  'receivesToRideOut',
  'resolveConfig',
  'summarizeWindow',
  'systemClock',
  'visibilityTimeoutSeconds',
  'writeManualState',
];

/** What `npm pack --json` reports of a package. */
interface Packed {
  readonly name: string;
  readonly filename: string;
  readonly size: number;
  readonly files: ReadonlyArray<{ readonly path: string }>;
}

/**
 * The environment of a child npm or node: this run's npm_* settings (workspace, package) left out, and NODE_OPTIONS
 * (the repository's `breakwater-source` condition would point an installed package at sources it does not ship).
 */
const cleanEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => (!name.startsWith('npm_') || name === 'npm_config_cache') && name !== 'NODE_OPTIONS',
    ),
  ),
  ...extra,
});

const versionOf = (name: string): string =>
  (
    JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

/**
 * The CDK peer dependencies, installed once from the registry (npm's cache) into a directory of their own and kept
 * there, keyed by their versions: extracting aws-cdk-lib is most of an install's time. A fresh project links to
 * them as a user's project would have them installed. Staged and renamed, so concurrent runs never see half.
 */
const cdkPeers = async (): Promise<string> => {
  const peers = { 'aws-cdk-lib': versionOf('aws-cdk-lib'), constructs: versionOf('constructs') };
  const key = createHash('sha256').update(JSON.stringify(peers)).digest('hex').slice(0, 16);
  const cache = join(repoRoot, 'node_modules', '.cache', 'breakwater-outside', key);
  if (existsSync(join(cache, 'node_modules', 'aws-cdk-lib', 'package.json'))) return cache;
  mkdirSync(dirname(cache), { recursive: true });
  const staging = mkdtempSync(`${cache}.staging-`);
  try {
    writeFileSync(
      join(staging, 'package.json'),
      JSON.stringify({ name: 'cdk-peers', private: true, dependencies: peers }),
    );
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
      cwd: staging,
      env: cleanEnv(),
    });
    renameSync(staging, cache);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(cache)) throw error;
  }
  return cache;
};

// The promise a user is made: the tarballs `npm pack` builds, installed into a project with nothing else from this
// repository (their dependencies from the registry, through npm's cache), work there: the compiled CLI runs without a
// TypeScript loader, a replay moves a message back against a local SQS endpoint, the breaker guards calls against
// DynamoDB Local, each entry point exports exactly its public API, and a stack with the construct synthesizes.
describe('the packages, installed from their tarballs into a project of their own', () => {
  let project: string;
  let packed: Packed[];
  let sqsServer: SqsServer;
  let sqs: SQSClient;
  let dynamoDbLocal: DynamoDbLocal;
  let dynamodb: DynamoDBClient;

  beforeAll(async () => {
    project = mkdtempSync(join(tmpdir(), 'breakwater-outside-'));
    // DynamoDB Local's JVM starts while the packages are packed and installed.
    const breakerTable = startDynamoDbLocal().then(async (started) => {
      dynamoDbLocal = started;
      dynamodb = new DynamoDBClient({
        region: 'us-east-1',
        endpoint: started.endpoint,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
      await createAppTable(dynamodb, {
        stack: 'platform',
        constructId: 'BreakerTable',
        tableName: 'breaker',
      });
    });
    sqsServer = await startSqsServer();
    sqs = new SQSClient({
      region: 'us-east-1',
      endpoint: sqsServer.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    // `prepack` compiles each package (tsc); the tarball holds dist/, package.json and README.md.
    const { stdout } = await run(
      'npm',
      [
        'pack',
        '--json',
        ...[
          'packages/dlq',
          'packages/event-consumer',
          'packages/circuit-breaker',
          'packages/local-cloud',
        ].flatMap((p) => ['-w', p]),
        '--pack-destination',
        project,
      ],
      { cwd: repoRoot, env: cleanEnv(), maxBuffer: 16 * 1024 * 1024 },
    );
    packed = JSON.parse(stdout.slice(stdout.indexOf('['))) as Packed[];
    const dependencies = Object.fromEntries(packed.map((p) => [p.name, `file:${p.filename}`]));
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'outside', private: true, type: 'module', dependencies }),
    );
    const [peers] = await Promise.all([
      cdkPeers(),
      // The tarballs and their dependencies (the SDK clients); peers are the project's own, linked below.
      run(
        'npm',
        ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps'],
        { cwd: project, env: cleanEnv() },
      ),
    ]);
    for (const name of ['aws-cdk-lib', 'constructs']) {
      symlinkSync(join(peers, 'node_modules', name), join(project, 'node_modules', name), 'dir');
    }
    await breakerTable;
  }, 240_000);

  afterAll(async () => {
    sqs?.destroy();
    dynamodb?.destroy();
    await Promise.all([sqsServer?.stop(), dynamoDbLocal?.stop()]);
    if (project !== undefined) rmSync(project, { recursive: true, force: true });
  });

  const node = (args: string[], extraEnv: Record<string, string> = {}) =>
    run(process.execPath, args, { cwd: project, env: cleanEnv(extraEnv) });

  it('packs compiled JavaScript, declarations and the README only', () => {
    expect(packed.map((p) => p.name).sort()).toEqual([
      '@breakwater/circuit-breaker',
      '@breakwater/dlq',
      '@breakwater/event-consumer',
      '@breakwater/local-cloud',
    ]);
    for (const p of packed) {
      // The local cloud's sources are folders (and its status page is served as it is, beside dist/).
      const shipped =
        p.name === '@breakwater/local-cloud'
          ? /^(dist\/([\w-]+\/)*[\w-]+\.(js|d\.ts)|status-page\/[\w-]+\.(html|css|js))$/
          : /^dist\/[\w-]+\.(js|d\.ts)$/;
      const unexpected = p.files
        .map((f) => f.path)
        .filter((path) => !shipped.test(path) && !['package.json', 'README.md'].includes(path));
      expect(unexpected, p.name).toEqual([]);
    }
  });

  it('runs `breakwater-dlq --help` from the compiled bin', async () => {
    const { stdout } = await run(join(project, 'node_modules', '.bin', 'breakwater-dlq'), ['--help'], {
      cwd: project,
      env: cleanEnv(),
    });
    expect(stdout).toContain('breakwater-dlq — inspect and replay dead-letter queues');
    expect(stdout).toContain('breakwater-dlq replay <queue>');
  });

  it('runs `breakwater-local --help` from the compiled bin, and its entry point loads without a TypeScript loader', async () => {
    const { stdout } = await run(join(project, 'node_modules', '.bin', 'breakwater-local'), ['--help'], {
      cwd: project,
      env: cleanEnv(),
    });
    expect(stdout).toContain('breakwater-local: a local AWS cloud for a CDK app, without Docker.');
    expect(stdout).toContain('--empty');
    const { stdout: exported } = await node([
      '--input-type=module',
      '-e',
      "const m = await import('@breakwater/local-cloud'); console.log(typeof m.startLocalCloud, typeof m.startCdkTarget);",
    ]);
    expect(exported.trim()).toBe('function function');
  });

  it('replays a dead letter to its source queue with the installed CLI', async () => {
    const { QueueUrl: dlqUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'outside-dlq' }));
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
    );
    const { QueueUrl: sourceUrl = '' } = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'outside',
        Attributes: {
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes.QueueArn, maxReceiveCount: 5 }),
        },
      }),
    );
    const event = {
      'detail-type': 'order.created',
      source: 'shop.orders',
      detail: { id: 'evt-outside-1', type: 'order.created', data: { orderId: 'o-1' } },
    };
    await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: JSON.stringify(event) }));

    const report = join(project, 'report.json');
    await run(
      join(project, 'node_modules', '.bin', 'breakwater-dlq'),
      ['replay', 'outside-dlq', '--report', report],
      {
        cwd: project,
        env: cleanEnv({
          AWS_ENDPOINT_URL: sqsServer.endpoint,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
        }),
      },
    );

    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({
      totals: { replayed: 1, failed: 0 },
      messages: [
        { eventId: 'evt-outside-1', result: 'replayed', destination: expect.stringContaining('outside') },
      ],
    });
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: sourceUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    expect(Messages.map((m) => JSON.parse(m.Body ?? '{}'))).toEqual([event]);
  });

  it('guards calls with the breaker against DynamoDB Local, its state in the table', async () => {
    writeFileSync(
      join(project, 'guard.mjs'),
      `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CircuitOpenError } from '@breakwater/circuit-breaker';
import { dynamoDbCircuitBreakers } from '@breakwater/circuit-breaker/dynamodb';

const client = new DynamoDBClient({ region: 'us-east-1', endpoint: process.env.DYNAMODB_ENDPOINT, maxAttempts: 2 });
const breakers = dynamoDbCircuitBreakers({ client, tableName: 'breaker' });
const breaker = breakers.for('outside-gateway');
const value = await breaker.execute(async ({ signal }) => (signal.aborted ? 0 : 42));
await breaker.setState('FORCED_OPEN', 'maintenance');
const refused = await breaker.execute(async () => 'called').catch((error) => error instanceof CircuitOpenError);
await breakers.syncAll();
console.log(JSON.stringify({ value, refused, state: breaker.snapshot.state }));
client.destroy();
`,
    );
    const { stdout } = await node(['guard.mjs'], {
      DYNAMODB_ENDPOINT: dynamoDbLocal.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    expect(JSON.parse(stdout)).toEqual({ value: 42, refused: true, state: 'FORCED_OPEN' });
    const { Item } = await dynamodb.send(
      new GetItemCommand({
        TableName: 'breaker',
        Key: { pk: { S: 'outside-gateway' } },
        ConsistentRead: true,
      }),
    );
    expect(Item?.state).toEqual({ S: 'FORCED_OPEN' });
  });

  it('exports exactly the public API from each entry point', async () => {
    const exportsOf = async (entry: string): Promise<string[]> => {
      const { stdout } = await node([
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(m).sort()));`,
      ]);
      return JSON.parse(stdout) as string[];
    };
    expect(await exportsOf('@breakwater/dlq')).toEqual([
      'DlqError',
      'DlqKinds',
      'DlqTags',
      'PermissionDeniedError',
      'QueueNotFoundError',
      'ReplayResults',
      'UnsupportedOperationError',
      'UsageError',
      'createClients',
      'findSourceQueues',
      'listDlqs',
      'nativeRedrive',
      'parseQueueArn',
      'peekMessages',
      'replayDlq',
      'resolveQueue',
      'scanQueues',
    ]);
    expect(await exportsOf('@breakwater/dlq/cli')).toEqual(['ExitCodes', 'exitCodeFor', 'main', 'runCli']);
    expect(await exportsOf('@breakwater/dlq/failure-reason')).toEqual([
      'FailureReasonAttributes',
      'MAX_MESSAGE_ATTRIBUTES',
      'deadLetterAttributes',
      'eventIdOfBody',
      'isFailureReasonAttribute',
      'readFailureReason',
      'sdkMessageAttributes',
      'withoutFailureReason',
    ]);
    expect(await exportsOf('@breakwater/circuit-breaker')).toEqual(BREAKER_CORE_API);
    expect(await exportsOf('@breakwater/circuit-breaker/dynamodb')).toEqual([
      'DynamoDbCircuitStore',
      'breakerItemSchema',
      'dynamoDbCircuitBreakers',
    ]);
    expect(await exportsOf('@breakwater/circuit-breaker/redis')).toEqual([
      'RedisOutcomeCounters',
      'RedisStateSignal',
    ]);
    expect(await exportsOf('@breakwater/circuit-breaker/middy')).toEqual(['circuitBreakerMiddleware']);
    expect(await exportsOf('@breakwater/circuit-breaker/testing')).toEqual([
      'ManualClock',
      'MemoryCircuitStore',
      'MemoryStateSignal',
    ]);
    expect(await exportsOf('@breakwater/event-consumer')).toEqual([
      'BasicConsumerMonitoring',
      'DlqKinds',
      'EventConsumer',
      'EventConsumerConfigurationError',
      'EventConsumerDefaults',
      'NagReasons',
      'QueueDefaults',
      'QueueRoles',
      'TagKeys',
      'acknowledgeTerminalQueue',
      'createDeadLetterQueue',
      'createSourceQueue',
      'minimumVisibilityTimeout',
      'secureQueueProps',
    ]);
  });

  it('synthesizes a stack with the EventConsumer construct', async () => {
    writeFileSync(
      join(project, 'synth.mjs'),
      `import { App, Duration, Stack } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { EventConsumer } from '@breakwater/event-consumer';

const app = new App({ outdir: process.argv[2] });
const stack = new Stack(app, 'Shop');
new EventConsumer(stack, 'Billing', {
  consumerName: 'billing',
  eventBus: new EventBus(stack, 'Bus'),
  eventPattern: { source: ['shop.orders'], detailType: ['order.created'] },
  handler: (scope, id) =>
    new LambdaFunction(scope, id, {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });'),
      timeout: Duration.seconds(30),
    }),
});
const template = app.synth().getStackByName('Shop').template;
const counts = {};
for (const resource of Object.values(template.Resources)) counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
const mapping = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::EventSourceMapping');
console.log(JSON.stringify({ counts, mapping: mapping.Properties }));
`,
    );
    const { stdout } = await node(['synth.mjs', join(project, 'cdk.out')]);
    const { counts, mapping } = JSON.parse(stdout) as {
      counts: Record<string, number>;
      mapping: Record<string, unknown>;
    };
    expect(counts).toMatchObject({
      'AWS::Events::Rule': 1,
      'AWS::SQS::Queue': 3,
      'AWS::Lambda::Function': 1,
      'AWS::Lambda::EventSourceMapping': 1,
      'AWS::CloudWatch::Alarm': 5,
    });
    expect(mapping).toMatchObject({ FunctionResponseTypes: ['ReportBatchItemFailures'], BatchSize: 10 });
  });
});
