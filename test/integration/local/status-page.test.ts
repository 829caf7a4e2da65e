import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Edge, startEdge } from '../../../packages/local-cloud/src/edge';
import type { StatusSources } from '../../../packages/local-cloud/src/status/sources';
import { STATUS_PATH, StatusPage } from '../../../packages/local-cloud/src/status/status-page';

// The status page as the edge serves it: its files as they are, its JSON API, and nothing else under its path.
// Sources are in memory (the browser test in test/system runs it over the real local cloud).
const orderLine = (service: string, message: string, orderId: string, correlationId: string) => ({
  kind: 'log' as const,
  source: `fn-${service}`,
  time: '2026-12-02T07:00:00.000Z',
  level: 'INFO' as const,
  message,
  service,
  correlationId,
  fields: { orderId },
});

const sources: StatusSources = {
  topology: async () => ({
    rules: [
      {
        name: 'breakwater-dev-billing',
        eventBus: 'breakwater-dev',
        detailTypes: ['order.created'],
        targets: [{ kind: 'queue', name: 'billing-q', deadLetterQueue: 'billing-target-dlq' }],
      },
    ],
    queues: [
      {
        name: 'billing-q',
        arn: 'arn:aws:sqs:us-east-1:000000000000:billing-q',
        role: 'queue',
        deadLetterQueue: 'billing-dlq',
      },
      { name: 'billing-dlq', arn: 'arn:aws:sqs:us-east-1:000000000000:billing-dlq', role: 'dlq' },
    ],
    functions: [{ name: 'fn-billing', service: 'billing', queues: ['billing-q'], streams: [] }],
  }),
  queues: async () => [{ name: 'billing-dlq', visible: 1, inFlight: 0, delayed: 0 }],
  circuits: async () => [],
  gateway: async () => ({ requests: 0, byOutcome: {}, outage: false, config: {} }),
  logs: async () => [
    orderLine('billing', 'payment succeeded', 'o-1', 'c-1'),
    orderLine('order-status', 'order status changed', 'o-1', 'c-1'),
  ],
};

let edge: Edge;
let page: StatusPage;
let base: string;

beforeAll(async () => {
  edge = await startEdge({ port: 0, log: () => {} });
  page = new StatusPage(sources, {
    sampleIntervalMs: 60_000,
    title: 'Bookshop',
    namePrefix: '^bookshop-[a-z]+-',
    trace: { keyField: 'orderId', label: 'order' },
  });
  edge.registerPathHandler(STATUS_PATH, page.handle);
  base = `${edge.url}${STATUS_PATH}`;
});
afterAll(async () => {
  page?.stop();
  await edge?.stop();
});

describe('status page on the edge', () => {
  it('serves its page, script and styles as they are', async () => {
    for (const [path, type, marker] of [
      ['', 'text/html', 'id="app-title"'],
      ['app.js', 'text/javascript', "fetch('api/state'"],
      ['style.css', 'text/css', '.flow-row'],
    ] as const) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toContain(type);
      expect(await response.text(), path).toContain(marker);
    }
  });

  it('answers its state as JSON, the optional sources it lacks marked unavailable', async () => {
    const response = await fetch(`${base}api/state`);
    expect(response.headers.get('content-type')).toBe('application/json');
    const state = (await response.json()) as Record<string, unknown>;
    expect(state.topology).toEqual(await sources.topology());
    expect(state.queues).toEqual([
      { name: 'billing-dlq', visible: 1, inFlight: 0, delayed: 0, history: [1] },
    ]);
    expect(state.alarms).toMatchObject({ available: false });
    expect(state.logs).toEqual({ available: true });
    // The app's name and resource prefix, for the page to show (no app's name is built into it).
    expect(state.page).toEqual({
      title: 'Bookshop',
      namePrefix: '^bookshop-[a-z]+-',
      trace: { label: 'order', keyField: 'orderId' },
    });
  });

  it('traces an order by its id, and refuses a trace without one', async () => {
    const path = (await (await fetch(`${base}api/trace?id=o-1`)).json()) as { steps: { function: string }[] };
    expect(path.steps.map((s) => s.function)).toEqual(['billing', 'order-status']);
    expect((await fetch(`${base}api/trace`)).status).toBe(400);
  });

  it('answers 404 for any other path under it and 405 for other methods; AWS requests still route as before', async () => {
    expect((await fetch(`${base}secrets.txt`)).status).toBe(404);
    const post = await fetch(`${base}api/state`, { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    const aws = await fetch(edge.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'Nobody.Action' },
      body: '{}',
    });
    expect(aws.status).toBe(400);
  });

  it('refuses a path handler outside /_breakwater/ and a second one on the same prefix', () => {
    expect(() => edge.registerPathHandler('/orders/', page.handle)).toThrow(
      /must live under \/_breakwater\//,
    );
    expect(() => edge.registerPathHandler(STATUS_PATH, page.handle)).toThrow(/already serves/);
  });
});
