import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startBreakwaterCloud } from '../local/cloud/breakwater-cloud';

/**
 * End-to-end orders per second on the local cloud (`npm run bench -- local-load`): LOAD_LEVELS clients (default
 * 1,4,16) post orders back to back for LOAD_SECONDS (default 15) while checkers GET them until PAID. Where the
 * time goes: the POST's latency (HTTP API → orders-api → DynamoDB Local's transaction) against the time from the
 * POST's answer to PAID (stream → publisher → bus → billing's queue → billing → bus → order-status). The baseline,
 * measured in the same run against the same edge: raw SQS send + receive + delete in batches of 10 by 8 workers.
 * Prints a table, then LAST one JSON line.
 */

const levels = (process.env.LOAD_LEVELS ?? '1,4,16').split(',').map(Number);
const seconds = Number(process.env.LOAD_SECONDS ?? 15);
const root = resolve(import.meta.dirname, '..');

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

const cloud = await startBreakwaterCloud({
  rootDirectory: root,
  ports: { edge: 0, api: 0, redisRest: 0, gateway: 0 },
  assemblyDirectory: resolve(root, '.breakwater/bench-cdk.out'),
});

/** Raw SQS through the edge: messages per second sent, received and deleted. */
const rawSqs = async (messages: number): Promise<number> => {
  const sqs = new SQSClient({
    endpoint: cloud.endpoints.edgeUrl,
    region: cloud.endpoints.region,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `bench-load-${Date.now()}` }));
  const started = performance.now();
  let sent = 0;
  let done = 0;
  const worker = async () => {
    while (sent < messages) {
      sent += 10;
      const entries = Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: randomUUID() }));
      await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries }));
    }
    while (done < messages) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      if (Messages.length === 0) continue;
      done += Messages.length;
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl,
          Entries: Messages.map((message, i) => ({
            Id: String(i),
            ReceiptHandle: message.ReceiptHandle ?? '',
          })),
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  sqs.destroy();
  return (done * 1_000) / (performance.now() - started);
};

interface Level {
  readonly clients: number;
  readonly orders: number;
  readonly ordersPerSecond: number;
  readonly postP50Ms: number;
  readonly postP95Ms: number;
  readonly toPaidP50Ms: number;
  readonly toPaidP95Ms: number;
  readonly notPaid: number;
}

const post = async (): Promise<{ orderId: string; postMs: number } | undefined> => {
  const started = performance.now();
  const response = await fetch(`${cloud.endpoints.apiUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({
      customerId: 'bench',
      currency: 'EUR',
      items: [{ sku: 'bench', quantity: 1, unitPriceCents: 100 }],
    }),
  });
  const { orderId } = (await response.json()) as { orderId?: string };
  if (response.status >= 300 || orderId === undefined) return undefined;
  return { orderId, postMs: performance.now() - started };
};

const statusOf = async (orderId: string): Promise<string | undefined> => {
  const order = (await (await fetch(`${cloud.endpoints.apiUrl}/orders/${orderId}`)).json()) as {
    status?: string;
  };
  return order.status;
};

/**
 * One level: `clients` post orders back to back for `seconds` (open loop on the pipeline: nobody waits for PAID),
 * while 4 checkers poll the pending orders; an order counts when it is seen PAID. Orders per second = paid orders
 * over the time from the first POST to the last PAID seen.
 */
const level = async (clients: number): Promise<Level> => {
  const posts: number[] = [];
  const pending = new Map<string, number>(); // orderId → when its POST answered
  const toPaid: number[] = [];
  let failed = 0;
  let lastPaid = 0;
  const started = performance.now();
  const end = started + seconds * 1_000;
  let posting = true;
  const posters = Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const result = await post().catch(() => undefined);
        if (result === undefined) failed += 1;
        else {
          posts.push(result.postMs);
          pending.set(result.orderId, performance.now());
        }
      }
    }),
  ).finally(() => {
    posting = false;
  });
  const deadline = end + 60_000;
  const checkers = Array.from({ length: 4 }, async (_, checker) => {
    while ((posting || pending.size > 0) && performance.now() < deadline) {
      const ids = [...pending.keys()].filter((_, index) => index % 4 === checker);
      if (ids.length === 0) await new Promise((done) => setTimeout(done, 50));
      for (const orderId of ids) {
        const status = await statusOf(orderId).catch(() => undefined);
        const postedAt = pending.get(orderId) ?? 0;
        if (status === 'PAID') {
          lastPaid = performance.now();
          toPaid.push(lastPaid - postedAt);
          pending.delete(orderId);
        } else if (status === 'PAYMENT_FAILED') {
          failed += 1;
          pending.delete(orderId);
        }
      }
    }
  });
  await Promise.all([posters, ...checkers]);
  return {
    clients,
    orders: toPaid.length,
    ordersPerSecond: toPaid.length === 0 ? 0 : (toPaid.length * 1_000) / (lastPaid - started),
    postP50Ms: percentile(posts, 50),
    postP95Ms: percentile(posts, 95),
    toPaidP50Ms: percentile(toPaid, 50),
    toPaidP95Ms: percentile(toPaid, 95),
    notPaid: failed + pending.size,
  };
};

try {
  const warm = await post(); // warm every function once
  while (warm !== undefined && (await statusOf(warm.orderId)) !== 'PAID')
    await new Promise((d) => setTimeout(d, 200));
  const sqsMessagesPerSecond = await rawSqs(500);
  const results: Level[] = [];
  for (const clients of levels) results.push(await level(clients));
  const fixed = (value: number) => value.toFixed(1).padStart(10);
  console.log(
    `\nLocal cloud end to end (POST → PAID), ${seconds} s per level; raw SQS ${sqsMessagesPerSecond.toFixed(0)} msgs/s`,
  );
  console.log(
    `${'clients'.padStart(8)}${'orders'.padStart(10)}${'orders/s'.padStart(10)}${'POST p50'.padStart(10)}` +
      `${'POST p95'.padStart(10)}${'→PAID p50'.padStart(10)}${'→PAID p95'.padStart(10)}${'not paid'.padStart(10)}`,
  );
  for (const r of results) {
    console.log(
      `${String(r.clients).padStart(8)}${String(r.orders).padStart(10)}${fixed(r.ordersPerSecond)}${fixed(r.postP50Ms)}` +
        `${fixed(r.postP95Ms)}${fixed(r.toPaidP50Ms)}${fixed(r.toPaidP95Ms)}${String(r.notPaid).padStart(10)}`,
    );
  }
  const best = Math.max(...results.map((r) => r.ordersPerSecond));
  console.log(
    JSON.stringify({
      bench: 'local-load',
      seconds,
      sqsMessagesPerSecond: Number(sqsMessagesPerSecond.toFixed(1)),
      levels: results.map((r) => ({
        ...r,
        ordersPerSecond: Number(r.ordersPerSecond.toFixed(2)),
      })),
      bestOrdersPerSecond: Number(best.toFixed(2)),
      bestOrdersToSqsMessagesRatio: Number((best / sqsMessagesPerSecond).toFixed(4)),
    }),
  );
} finally {
  await cloud.stop();
}
