import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startCoreServices } from '../packages/local-cloud/src/cloud/core-services';
import { proxyBackend } from '../packages/local-cloud/src/edge/backends';
import { startEdge } from '../packages/local-cloud/src/edge/edge-server';
import { startFauxqsServer } from '../test/support/fauxqs-server';

/**
 * SQS through the edge vs fauxqs direct (the engine the local cloud used before its own, the baseline) and the
 * local SQS engine direct (its own endpoint), in the same run: 5,000 single SendMessage calls, then 5,000 single
 * receive+delete pairs per target, with the same concurrency and the same SDK client settings. The edge serves
 * SQS in process; the "edge via HTTP proxy" row shows the generic proxy path in front of the engine's endpoint.
 * The machine is shared, so the targets take turns in slices (rotating who goes first) and each target's time is
 * summed over its slices: every target sees the same background load. Prints a table, then LAST one JSON line.
 */

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const SLICE = Number(process.env.BENCH_SLICE ?? 100);
const GOAL = 0.8;

interface Figures {
  sendPerSec: number;
  receiveDeletePerSec: number;
}

const client = (endpoint: string) =>
  new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });

/** Runs `total` operations with `CONCURRENCY` in flight; returns the elapsed milliseconds. */
const timed = async (total: number, operation: () => Promise<void>): Promise<number> => {
  let started = 0;
  const begin = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, total) }, async () => {
      while (started < total) {
        started++;
        await operation();
      }
    }),
  );
  return performance.now() - begin;
};

const BODY = JSON.stringify({ type: 'order.created', orderId: 'o-123', totalCents: 4200, currency: 'EUR' });

const send = (sqs: SQSClient, queueUrl: string) => async () => {
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: BODY }));
};

const receiveDelete = (sqs: SQSClient, queueUrl: string) => async () => {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1 }),
  );
  const [message] = Messages;
  if (message === undefined) throw new Error(`${queueUrl} ran dry`);
  await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
};

const fauxqs = await startFauxqsServer();
const core = await startCoreServices({ edgePort: 0, dynamoDb: false, log: () => undefined });
const proxyEdge = await startEdge({
  port: 0,
  backends: [
    proxyBackend({
      name: 'sqs',
      upstream: core.endpoints.sqs,
      targetPrefixes: ['AmazonSQS'],
      signingNames: ['sqs'],
    }),
  ],
});

const targets = [
  {
    key: 'direct',
    label: 'fauxqs direct',
    sqs: client(fauxqs.endpoint),
    queueUrl: '',
    sendMs: 0,
    receiveDeleteMs: 0,
  },
  {
    key: 'engine',
    label: 'engine direct',
    sqs: client(core.endpoints.sqs),
    queueUrl: '',
    sendMs: 0,
    receiveDeleteMs: 0,
  },
  {
    key: 'edge',
    label: 'edge',
    sqs: client(core.endpoints.edge),
    queueUrl: '',
    sendMs: 0,
    receiveDeleteMs: 0,
  },
  {
    key: 'edgeProxy',
    label: 'edge via HTTP proxy',
    sqs: client(proxyEdge.url),
    queueUrl: '',
    sendMs: 0,
    receiveDeleteMs: 0,
  },
];
const turns = (slice: number) => {
  const first = slice % targets.length;
  return [...targets.slice(first), ...targets.slice(0, first)];
};
try {
  for (const target of targets) {
    target.queueUrl =
      (await target.sqs.send(new CreateQueueCommand({ QueueName: `bench-${target.key}` }))).QueueUrl ?? '';
    // Warm-up: connections, JIT, and a queue that is not empty for the first receives.
    await timed(200, send(target.sqs, target.queueUrl));
    await timed(200, receiveDelete(target.sqs, target.queueUrl));
  }
  for (let done = 0, slice = 0; done < MESSAGES; done += SLICE, slice++) {
    for (const target of turns(slice))
      target.sendMs += await timed(Math.min(SLICE, MESSAGES - done), send(target.sqs, target.queueUrl));
  }
  for (let done = 0, slice = 0; done < MESSAGES; done += SLICE, slice++) {
    for (const target of turns(slice)) {
      target.receiveDeleteMs += await timed(
        Math.min(SLICE, MESSAGES - done),
        receiveDelete(target.sqs, target.queueUrl),
      );
    }
  }
} finally {
  for (const target of targets) target.sqs.destroy();
  await proxyEdge.stop();
  await core.stop();
  await fauxqs.stop();
}
const best = new Map<string, Figures>(
  targets.map((t) => [
    t.key,
    { sendPerSec: MESSAGES / (t.sendMs / 1000), receiveDeletePerSec: MESSAGES / (t.receiveDeleteMs / 1000) },
  ]),
);

const round1 = (value: number) => Math.round(value * 10) / 10;
const ratio = (value: number, base: number) => Math.round((value / base) * 1000) / 1000;
const figuresOf = (key: string): Figures => best.get(key) ?? { sendPerSec: 0, receiveDeletePerSec: 0 };
const direct = figuresOf('direct');
console.log(
  `SQS: ${MESSAGES} single SendMessage, then ${MESSAGES} receive+delete per target; ${CONCURRENCY} in flight; slices of ${SLICE}`,
);
console.log('target                 send/s   recv+del/s   send ratio   recv+del ratio');
for (const target of targets) {
  const f = figuresOf(target.key);
  console.log(
    `${target.label.padEnd(20)} ${round1(f.sendPerSec).toFixed(1).padStart(8)} ${round1(f.receiveDeletePerSec).toFixed(1).padStart(12)} ${ratio(f.sendPerSec, direct.sendPerSec).toFixed(3).padStart(12)} ${ratio(f.receiveDeletePerSec, direct.receiveDeletePerSec).toFixed(3).padStart(16)}`,
  );
}
const engineFigures = figuresOf('engine');
const edgeFigures = figuresOf('edge');
const proxyFigures = figuresOf('edgeProxy');
const sendRatio = ratio(edgeFigures.sendPerSec, direct.sendPerSec);
const receiveDeleteRatio = ratio(edgeFigures.receiveDeletePerSec, direct.receiveDeletePerSec);
console.log(
  JSON.stringify({
    bench: 'edge-sqs',
    messages: MESSAGES,
    concurrency: CONCURRENCY,
    slice: SLICE,
    direct: {
      sendPerSec: round1(direct.sendPerSec),
      receiveDeletePerSec: round1(direct.receiveDeletePerSec),
    },
    engine: {
      sendPerSec: round1(engineFigures.sendPerSec),
      receiveDeletePerSec: round1(engineFigures.receiveDeletePerSec),
    },
    edge: {
      sendPerSec: round1(edgeFigures.sendPerSec),
      receiveDeletePerSec: round1(edgeFigures.receiveDeletePerSec),
    },
    edgeProxy: {
      sendPerSec: round1(proxyFigures.sendPerSec),
      receiveDeletePerSec: round1(proxyFigures.receiveDeletePerSec),
    },
    sendRatio,
    receiveDeleteRatio,
    proxySendRatio: ratio(proxyFigures.sendPerSec, direct.sendPerSec),
    proxyReceiveDeleteRatio: ratio(proxyFigures.receiveDeletePerSec, direct.receiveDeletePerSec),
    goal: GOAL,
    pass: sendRatio >= GOAL && receiveDeleteRatio >= GOAL,
  }),
);
