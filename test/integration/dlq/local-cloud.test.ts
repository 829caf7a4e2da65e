import { SQSClient } from '@aws-sdk/client-sqs';
import {
  type DlqSummary,
  findSourceQueues,
  type NativeRedriveProgress,
  nativeRedrive,
  replayDlq,
} from '@breakwater/dlq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreServices, startCoreServices } from '../../../packages/local-cloud/src/cloud/core-services';
import {
  createQueue,
  createRedrivePair,
  depthOf,
  drain,
  eventIdOf,
  orderCreatedBody,
  runDlqBin,
  seed,
} from './fixtures';

describe('breakwater-dlq on the local cloud edge (SQS with move tasks and ListDeadLetterSourceQueues)', () => {
  let core: CoreServices;
  let sqs: SQSClient;

  beforeAll(async () => {
    core = await startCoreServices({ edgePort: 0 });
    sqs = new SQSClient({
      endpoint: core.endpoints.edge,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      useQueueUrlAsEndpoint: false,
    });
  });
  afterAll(async () => {
    sqs?.destroy();
    await core?.stop();
  });

  it('--native moves everything back with a move task and follows its progress to COMPLETED', async () => {
    const { source, dlq } = await createRedrivePair(sqs, 'edge-native');
    await seed(
      sqs,
      dlq,
      Array.from({ length: 25 }, () => ({ body: orderCreatedBody() })),
    );
    const seen: NativeRedriveProgress[] = [];

    const final = await nativeRedrive(sqs, dlq.name, {
      ratePerSecond: 100,
      pollIntervalMs: 100,
      onProgress: (p) => seen.push(p),
    });

    expect(final).toMatchObject({ status: 'COMPLETED', moved: 25 });
    expect(seen.length).toBeGreaterThan(0);
    expect(await drain(sqs, source)).toHaveLength(25);
    expect(await depthOf(sqs, dlq)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('finds sources with ListDeadLetterSourceQueues and replays through the edge', async () => {
    const { source, dlq } = await createRedrivePair(sqs, 'edge-replay');
    const bodies = [orderCreatedBody({ currency: 'EUR' }), orderCreatedBody({ currency: 'USD' })];
    await seed(
      sqs,
      dlq,
      bodies.map((body) => ({ body })),
    );

    expect((await findSourceQueues(sqs, dlq)).map((queue) => queue.arn)).toEqual([source.arn]);
    const report = await replayDlq({ sqs }, dlq.url, { selection: { where: ['detail.data.currency=EUR'] } });

    expect(report.totals).toMatchObject({ replayed: 1, skipped: 1 });
    const [moved] = await drain(sqs, source);
    expect(eventIdOf(moved?.Body ?? '')).toBe(eventIdOf(bodies[0] ?? ''));
  });

  it('the real bin lists, replays and fails clearly through AWS_ENDPOINT_URL=<edge>', async () => {
    const { dlq } = await createRedrivePair(sqs, 'edge-bin');
    await createQueue(sqs, 'edge-bin-other');
    await seed(sqs, dlq, [{ body: orderCreatedBody() }]);

    const listed = await runDlqBin(['list', '--pattern', 'edge-bin*', '--json'], core.endpoints.edge);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as DlqSummary[]).map((d) => [d.queue.name, d.kind, d.depth])).toEqual([
      ['edge-bin-dlq', 'sqs-redrive', 1],
    ]);

    const replayed = await runDlqBin(['replay', dlq.name, '--json'], core.endpoints.edge);
    expect(replayed.code).toBe(0);
    expect(JSON.parse(replayed.stdout)).toMatchObject({ totals: { replayed: 1 } });

    const missing = await runDlqBin(['replay', 'edge-no-such-dlq', '--native'], core.endpoints.edge);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('queue not found: edge-no-such-dlq');
  });
});
