/**
 * DLQ replay throughput: replays N messages (default 10,000) from a DLQ back to its source queue and compares the
 * rate with a raw SQS move loop (receive 10 → SendMessageBatch → DeleteMessageBatch, same concurrency) measured in
 * the same run against the same endpoint. Goals: ≥ 2,000 msgs/s and ≥ 0.5× raw.
 *
 * Endpoint: BENCH_SQS_ENDPOINT or AWS_ENDPOINT_URL when set (e.g. the local cloud edge), else fauxqs started in a
 * child process (BENCH_FAUXQS_IN_PROCESS=1 runs it in this process instead). BENCH_MESSAGES and BENCH_CONCURRENCY
 * change the size, BENCH_ROUNDS (default 3) the alternating raw/replay rounds (the best of each counts). Prints a table, and as its LAST line one JSON object with the figures.
 *
 * Run: npm exec -- tsx --conditions=breakwater-source bench/dlq-replay.bench.ts
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { replayDlq } from '@breakwater/dlq';
import { startFauxqs } from 'fauxqs';
import { createEvent, EventTypes } from '../shared/contracts';

const messages = Number(process.env.BENCH_MESSAGES ?? 10_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 10);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const goals = { msgsPerSec: 2_000, ratio: 0.5 } as const;

const startEndpoint = async (): Promise<{ endpoint: string; label: string; stop: () => Promise<void> }> => {
  const given = process.env.BENCH_SQS_ENDPOINT ?? process.env.AWS_ENDPOINT_URL;
  if (given !== undefined) return { endpoint: given, label: given, stop: async () => undefined };
  if (process.env.BENCH_FAUXQS_IN_PROCESS === '1') {
    const server = await startFauxqs({ port: 0, logger: false });
    return { endpoint: server.address, label: 'fauxqs (in process)', stop: () => server.stop() };
  }
  const script =
    "import { startFauxqs } from 'fauxqs'; const s = await startFauxqs({ port: 0, logger: false }); console.log(s.address);";
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`fauxqs exited early (${code})`)));
  });
  return {
    endpoint,
    label: 'fauxqs (child process)',
    stop: async () => {
      child.kill();
    },
  };
};

const body = (): string => {
  const envelope = createEvent({
    type: EventTypes.orderCreated,
    correlationId: randomUUID(),
    data: {
      orderId: randomUUID(),
      customerId: 'c-1',
      items: [{ sku: 'sku-1', quantity: 2, unitPriceCents: 1999 }],
      totalCents: 3998,
      currency: 'EUR',
    },
  });
  return JSON.stringify({
    version: '0',
    id: randomUUID(),
    'detail-type': envelope.type,
    source: envelope.source,
    detail: envelope,
  });
};

const createQueue = async (sqs: SQSClient, name: string, attributes: Record<string, string> = {}) => {
  const url =
    (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl ?? '';
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] })))
    .Attributes?.QueueArn;
  return { url, arn: arn ?? '' };
};

const fill = async (sqs: SQSClient, url: string, bodies: readonly string[]): Promise<void> => {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const start = next;
      next += 10;
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: bodies.slice(start, start + 10).map((text, index) => ({
            Id: String(index),
            MessageBody: text,
            MessageAttributes: { tenant: { DataType: 'String', StringValue: 't-1' } },
          })),
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
};

/** The raw baseline: the least a mover must do per 10 messages (one receive, one send batch, one delete batch). */
const rawMove = async (sqs: SQSClient, from: string, to: string, total: number): Promise<number> => {
  let moved = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (moved < total) {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: from,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 300,
          MessageAttributeNames: ['All'],
        }),
      );
      const batch = out.Messages ?? [];
      if (batch.length === 0) continue;
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: to,
          Entries: batch.map((m, i) => ({
            Id: String(i),
            MessageBody: m.Body ?? '',
            MessageAttributes: m.MessageAttributes,
          })),
        }),
      );
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: from,
          Entries: batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
      moved += batch.length;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (moved / (performance.now() - started)) * 1000;
};

const dropQueues = async (sqs: SQSClient, urls: readonly string[]): Promise<void> => {
  for (const url of urls) await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
};

const depth = async (sqs: SQSClient, url: string): Promise<number> =>
  Number(
    (
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
      )
    ).Attributes?.ApproximateNumberOfMessages ?? 0,
  );

const main = async (): Promise<void> => {
  const { endpoint, label, stop } = await startEndpoint();
  const sqs = new SQSClient({
    region: process.env.AWS_REGION ?? 'us-east-1',
    endpoint,
    useQueueUrlAsEndpoint: false,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const bodies = Array.from({ length: messages }, body);
    // Alternate raw and replay rounds on fresh queues and keep each one's best, so that a cold JIT or a noisy
    // neighbour on a shared machine does not decide the ratio.
    let rawRate = 0;
    let replayRate = 0;
    let report: Awaited<ReturnType<typeof replayDlq>> | undefined;
    let left = -1;
    let arrived = -1;
    const runRaw = async (run: string): Promise<void> => {
      const from = await createQueue(sqs, `bench-raw-a-${run}`);
      const to = await createQueue(sqs, `bench-raw-b-${run}`);
      await fill(sqs, from.url, bodies);
      rawRate = Math.max(rawRate, await rawMove(sqs, from.url, to.url, messages));
      await dropQueues(sqs, [from.url, to.url]);
    };
    const runReplay = async (run: string): Promise<void> => {
      const dlq = await createQueue(sqs, `bench-dlq-${run}`);
      const source = await createQueue(sqs, `bench-source-${run}`, {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }),
      });
      await fill(sqs, dlq.url, bodies);
      const started = performance.now();
      // `max` tells the run when it is done, as the raw loop knows its count: no empty long poll at the end.
      const roundReport = await replayDlq({ sqs }, dlq.url, { concurrency, max: messages });
      const rate = (roundReport.totals.replayed / (performance.now() - started)) * 1000;
      [left, arrived] = [await depth(sqs, dlq.url), await depth(sqs, source.url)];
      if (rate > replayRate || report === undefined) report = roundReport;
      replayRate = Math.max(replayRate, rate);
      await dropQueues(sqs, [source.url, dlq.url]);
    };
    for (let round = 0; round < rounds; round += 1) {
      const run = randomUUID().slice(0, 8);
      // Alternate which goes first, so that warm-up favours neither.
      if (round % 2 === 0) {
        await runRaw(run);
        await runReplay(run);
      } else {
        await runReplay(run);
        await runRaw(run);
      }
      if (left !== 0 || arrived !== messages) break;
    }
    if (report === undefined) throw new Error('no round ran');

    const ratio = replayRate / rawRate;
    const pass = replayRate >= goals.msgsPerSec && ratio >= goals.ratio && arrived === messages && left === 0;
    const rows: [string, string][] = [
      ['endpoint', label],
      ['messages', String(messages)],
      ['workers (batches of 10)', String(concurrency)],
      ['rounds (best of each)', String(rounds)],
      ['raw receive+send+delete', `${rawRate.toFixed(0)} msgs/s`],
      ['breakwater-dlq replay', `${replayRate.toFixed(0)} msgs/s (goal ≥ ${goals.msgsPerSec})`],
      ['ratio to raw', `${ratio.toFixed(2)} (goal ≥ ${goals.ratio})`],
      [
        'replayed / failed / skipped',
        `${report.totals.replayed} / ${report.totals.failed} / ${report.totals.skipped}`,
      ],
      ['source depth / DLQ depth after', `${arrived} / ${left}`],
      ['verdict', pass ? 'PASS' : 'FAIL'],
    ];
    for (const [name, value] of rows) console.log(`${name.padEnd(32)} ${value}`);
    console.log(
      JSON.stringify({
        bench: 'dlq-replay',
        endpoint: label,
        messages,
        concurrency,
        rounds,
        replayMsgsPerSec: Math.round(replayRate),
        rawMsgsPerSec: Math.round(rawRate),
        ratio: Math.round(ratio * 100) / 100,
        replayed: report.totals.replayed,
        failed: report.totals.failed,
        sourceDepthAfter: arrived,
        dlqDepthAfter: left,
        goals,
        pass,
      }),
    );
  } finally {
    sqs.destroy();
    await stop();
  }
};

await main();
