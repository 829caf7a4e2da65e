import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AttributeValue, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { createAppTable } from '../../support/app-tables';

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A client of DynamoDB Local, with short timeouts as the breaker's README recommends. */
export const localDynamoDb = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: localCredentials, maxAttempts: 3 });

/** Creates the breaker table as the app's template declares it; optionally with a stream for audits. */
export const createBreakerTable = (
  client: DynamoDBClient,
  tableName: string,
  { stream = false }: { stream?: boolean } = {},
): Promise<void> =>
  createAppTable(
    client,
    { stack: 'platform', constructId: 'BreakerTable', tableName },
    stream ? { StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {},
  );

/** One modification of an item, as the table's stream recorded it (in order). */
export interface ItemChange {
  readonly oldImage?: Record<string, AttributeValue>;
  readonly newImage?: Record<string, AttributeValue>;
}

/** Every change the table's stream holds, in order: the engine's own history of the item, not the writers' claims. */
export const readStream = async (
  endpoint: string,
  client: DynamoDBClient,
  tableName: string,
): Promise<ItemChange[]> => {
  const streams = new DynamoDBStreamsClient({ endpoint, region: 'us-east-1', credentials: localCredentials });
  const table = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (streamArn === undefined) throw new Error('the table has no stream');
  const changes: ItemChange[] = [];
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  for (const shard of StreamDescription?.Shards ?? []) {
    let iterator = (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    while (iterator !== undefined) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      for (const record of page.Records ?? []) {
        changes.push({
          ...(record.dynamodb?.OldImage === undefined
            ? {}
            : { oldImage: record.dynamodb.OldImage as Record<string, AttributeValue> }),
          ...(record.dynamodb?.NewImage === undefined
            ? {}
            : { newImage: record.dynamodb.NewImage as Record<string, AttributeValue> }),
        });
      }
      if ((page.Records ?? []).length === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  streams.destroy();
  return changes;
};

/** How the fake gateway answers. */
export type GatewayMode = 'healthy' | 'failing' | 'slow';

/** One request the gateway received. */
export interface GatewayRequest {
  readonly at: number;
  readonly probe: boolean;
  readonly mode: GatewayMode;
}

/** Response times of the fake gateway per mode, in ms. */
export interface GatewayLatency {
  readonly healthyMs: number;
  readonly failingMs: number;
  readonly slowMs: number;
  /**
   * While failing, hold each probe's answer until this many probes are in flight together (or `probeHoldMs` has
   * passed): a half-open round then reaches its K concurrent probes however slowly a loaded machine schedules the
   * containers, so a test can assert that the limit was reached, and never exceeded. Default: no hold.
   */
  readonly probeCompany?: number;
  readonly probeHoldMs?: number;
}

/**
 * A payment gateway on a real loopback HTTP server that flips between healthy (200), failing (503) and slow (200
 * after a long time), each after its own latency. It measures concurrency itself: a request is in flight from its arrival until its
 * response ends or its connection closes (a client that aborts closes it).
 */
export class FlippingGateway {
  public mode: GatewayMode = 'healthy';
  public readonly requests: GatewayRequest[] = [];
  public probesInFlight = 0;
  public maxProbesInFlight = 0;
  readonly #server: Server;
  /** Failing-mode probes waiting for company: their answers are released together. */
  #heldProbes: (() => void)[] = [];

  private constructor(
    server: Server,
    public readonly url: string,
    private readonly latency: GatewayLatency,
  ) {
    this.#server = server;
  }

  public static async start(latency: GatewayLatency): Promise<FlippingGateway> {
    let gateway: FlippingGateway | undefined;
    const server = createServer((request, response) => gateway?.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    gateway = new FlippingGateway(server, `http://127.0.0.1:${port}/v1/charges`, latency);
    return gateway;
  }

  public handle(request: IncomingMessage, response: import('node:http').ServerResponse): void {
    const probe = request.headers['x-breaker-probe'] === '1';
    const mode = this.mode;
    this.requests.push({ at: Date.now(), probe, mode });
    if (probe) {
      this.probesInFlight += 1;
      this.maxProbesInFlight = Math.max(this.maxProbesInFlight, this.probesInFlight);
      response.once('close', () => {
        this.probesInFlight -= 1;
      });
    }
    request.resume();
    const answer = (status: number) => {
      if (response.destroyed) return;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(status === 200 ? '{"status":"succeeded"}' : '{"error":"unavailable"}');
    };
    const { healthyMs, failingMs, slowMs, probeCompany, probeHoldMs = 1_000 } = this.latency;
    if (mode === 'failing' && probe && probeCompany !== undefined)
      this.#hold(() => answer(503), probeCompany, probeHoldMs);
    else if (mode === 'failing') setTimeout(() => answer(503), failingMs);
    else setTimeout(() => answer(200), mode === 'slow' ? slowMs : healthyMs);
  }

  #hold(answer: () => void, company: number, holdMs: number): void {
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      answer();
    };
    this.#heldProbes.push(release);
    if (this.#heldProbes.length >= company) {
      const held = this.#heldProbes;
      this.#heldProbes = [];
      for (const each of held) each();
      return;
    }
    setTimeout(() => {
      this.#heldProbes = this.#heldProbes.filter((each) => each !== release);
      release();
    }, holdMs);
  }

  public async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** Calls the gateway the way billing's client does: POST with the call's signal; 5xx and 429 become errors. */
export const charge = async (url: string, { signal, probe }: { signal: AbortSignal; probe: boolean }) => {
  const response = await fetch(url, {
    method: 'POST',
    signal,
    headers: { 'content-type': 'application/json', 'x-breaker-probe': probe ? '1' : '0' },
    body: '{"amountCents":100,"currency":"EUR","reference":"order"}',
  });
  const body = await response.text();
  if (response.status >= 400)
    throw Object.assign(new Error(`gateway answered ${response.status}`), { status: response.status });
  return body;
};
