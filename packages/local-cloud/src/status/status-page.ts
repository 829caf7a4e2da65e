import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionLogEntry } from '../lambda/log-entry.js';
import { send, sendJson } from '../support/http-io.js';
import { type CircuitHistory, CircuitTimeline } from './circuit-timeline.js';
import { findTracePath, type TracePath } from './log-book.js';
import type {
  AlarmReading,
  GatewayReading,
  NotificationReading,
  QueueDepth,
  StatusSources,
  Topology,
} from './sources.js';

/** Where the page lives on the edge. */
export const STATUS_PATH = '/_breakwater/';

/** The page's files, served as they are (no build step): beside src/ and dist/, so both find them. */
const PAGE_DIRECTORY = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'status-page');
const PAGE_FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '': { file: 'index.html', type: 'text/html; charset=utf-8' },
  'index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  'app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  'style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

/** An optional part of the state: there, or why not. */
export type Optional<T> =
  | { readonly available: true; readonly items: readonly T[] }
  | { readonly available: false; readonly why: string };

/** How the page names the app and shortens its resource names. */
export interface StatusPageLook {
  /** The page's title. */
  readonly title: string;
  /** A regular expression (its source) for the prefix every resource name of the app shares, dropped where shown. */
  readonly namePrefix: string | null;
  /** What the trace panel follows: the app's entity (`order`) by its log key (`orderId`), else requests. */
  readonly trace: { readonly label: string; readonly keyField: string | null };
}

/** `GET /_breakwater/api/state`. */
export interface StatusState {
  readonly generatedAt: string;
  readonly page: StatusPageLook;
  readonly topology: Topology | null;
  /** Each queue's depth now, and its visible count at the last samples (oldest first). */
  readonly queues: readonly (QueueDepth & { readonly history: readonly number[] })[];
  readonly circuits: readonly CircuitHistory[];
  /** When circuit sampling began (epoch ms): the timelines start there. */
  readonly sampledSince: number | null;
  readonly gateway: GatewayReading | null;
  readonly alarms: Optional<AlarmReading>;
  readonly notifications: Optional<NotificationReading>;
  /** Whether requests can be traced (function logs are kept). */
  readonly logs: { readonly available: boolean };
  /** Sources that failed this time, with their error. */
  readonly errors: readonly string[];
}

/** Options of {@link StatusPage}. */
export interface StatusPageOptions {
  /** How often circuits are sampled into their timeline, in ms. Default 1000. */
  readonly sampleIntervalMs?: number;
  /** Queue depth samples kept per queue. Default 150. */
  readonly depthHistory?: number;
  /** Log entries searched for a traced path. Default 20 000. */
  readonly logLimit?: number;
  /** Where a failed sample is reported. Default: nowhere (the page shows it). */
  readonly log?: (line: string) => void;
  /** The page's title. Default `Local cloud`. */
  readonly title?: string;
  /**
   * The prefix the app's resource names share (a regular expression's source, e.g. `^myapp-[a-z]+-` for
   * `myapp-<stage>-…`), dropped on the page. Default: names shown whole.
   */
  readonly namePrefix?: string;
  /**
   * What the trace panel follows besides correlation ids: the structured log key of the app's own entity and what to
   * call it (`{ keyField: 'orderId', label: 'order' }`). Default: requests, by correlation id only.
   */
  readonly trace?: { readonly keyField: string; readonly label: string };
}

const NOT_CONNECTED = 'not connected: the local cloud has no source for it yet (see `StatusSources`)';

/**
 * The local cloud's status page: the deployed topology, live queue and DLQ depths, each circuit's state over time,
 * the gateway's calls, alarms and notifications when their sources exist, and a request's path through the logs.
 * Static files from `page/` plus a JSON API, all under `/_breakwater/` on the edge.
 */
export class StatusPage {
  readonly #sources: StatusSources;
  readonly #timeline = new CircuitTimeline();
  readonly #depths = new Map<string, number[]>();
  readonly #options: Required<Omit<StatusPageOptions, 'log' | 'title' | 'namePrefix' | 'trace'>> &
    Pick<StatusPageOptions, 'log'>;
  readonly #look: StatusPageLook;
  readonly #timer: NodeJS.Timeout;
  #topology: { value: Topology; at: number } | undefined;
  #sampling: Promise<void> | undefined;

  public constructor(sources: StatusSources, options: StatusPageOptions = {}) {
    this.#sources = sources;
    this.#options = {
      sampleIntervalMs: options.sampleIntervalMs ?? 1000,
      depthHistory: options.depthHistory ?? 150,
      logLimit: options.logLimit ?? 20_000,
      ...(options.log === undefined ? {} : { log: options.log }),
    };
    if (options.namePrefix !== undefined) new RegExp(options.namePrefix); // a bad pattern fails here, not in the page
    this.#look = {
      title: options.title ?? 'Local cloud',
      namePrefix: options.namePrefix ?? null,
      trace: { label: options.trace?.label ?? 'request', keyField: options.trace?.keyField ?? null },
    };
    this.#timer = setInterval(() => void this.sampleCircuits(), this.#options.sampleIntervalMs);
    this.#timer.unref();
    void this.sampleCircuits();
  }

  /** Stops sampling. */
  public stop(): void {
    clearInterval(this.#timer);
  }

  /** Samples every circuit once into the timeline (one sample at a time). */
  public sampleCircuits(): Promise<void> {
    const circuits = this.#sources.circuits?.bind(this.#sources);
    if (circuits === undefined) return Promise.resolve();
    this.#sampling ??= circuits()
      .then((readings) => this.#timeline.record(readings, Date.now()))
      .catch((error: unknown) => this.#options.log?.(`status page: circuits not sampled: ${String(error)}`))
      .finally(() => {
        this.#sampling = undefined;
      });
    return this.#sampling;
  }

  /** The whole state the page shows. */
  public async state(): Promise<StatusState> {
    const errors: string[] = [];
    const guard = async <T>(what: string, read: () => Promise<T>): Promise<T | null> => {
      try {
        return await read();
      } catch (error) {
        errors.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      }
    };
    const optional = async <T>(what: string, read: (() => Promise<readonly T[]>) | undefined) => {
      if (read === undefined) return { available: false as const, why: NOT_CONNECTED };
      const items = await guard(what, read);
      return items === null
        ? { available: false as const, why: errors.at(-1) ?? `${what} failed` }
        : { available: true as const, items };
    };
    await this.sampleCircuits();
    const gatewaySource = this.#sources.gateway?.bind(this.#sources);
    const [topology, depths, gateway, alarms, notifications] = await Promise.all([
      guard('topology', () => this.topology()),
      guard('queues', () => this.#sources.queues()),
      gatewaySource === undefined ? null : guard('gateway', gatewaySource),
      optional('alarms', this.#sources.alarms?.bind(this.#sources)),
      optional('notifications', this.#sources.notifications?.bind(this.#sources)),
    ]);
    const queues = (depths ?? []).map((depth) => {
      const history = this.#depths.get(depth.name) ?? [];
      history.push(depth.visible);
      if (history.length > this.#options.depthHistory) history.shift();
      this.#depths.set(depth.name, history);
      return { ...depth, history: [...history] };
    });
    return {
      generatedAt: new Date().toISOString(),
      page: this.#look,
      topology,
      queues,
      circuits: this.#timeline.histories(),
      sampledSince: this.#timeline.startedAt ?? null,
      gateway,
      alarms,
      notifications,
      logs: { available: this.#sources.logs !== undefined },
      errors,
    };
  }

  /** The path of one request (by correlation id, or by the app's key field) through the function logs. */
  public async tracePath(query: string): Promise<TracePath> {
    const entries: readonly FunctionLogEntry[] = (await this.#sources.logs?.(this.#options.logLimit)) ?? [];
    return findTracePath(entries, query, this.#look.trace.keyField ?? undefined);
  }

  /** The edge's path handler for `/_breakwater/`. */
  public readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://edge');
    const rest = url.pathname.startsWith(STATUS_PATH) ? url.pathname.slice(STATUS_PATH.length) : '';
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return sendJson(res, 405, { message: 'GET only' }, { ...NO_STORE, allow: 'GET, HEAD' });
      }
      if (rest === 'api/state') return sendJson(res, 200, await this.state(), NO_STORE);
      if (rest === 'api/trace') {
        const id = url.searchParams.get('id')?.trim() ?? '';
        if (id === '')
          return sendJson(
            res,
            400,
            { message: `pass ?id=<${this.#look.trace.label} or correlation id>` },
            NO_STORE,
          );
        return sendJson(res, 200, await this.tracePath(id), NO_STORE);
      }
      const page = PAGE_FILES[rest];
      if (page === undefined) return sendJson(res, 404, { message: 'not found' }, NO_STORE);
      return send(res, 200, await readFile(join(PAGE_DIRECTORY, page.file)), {
        ...NO_STORE,
        'content-type': page.type,
      });
    } catch (error) {
      return sendJson(res, 500, { message: String(error) }, NO_STORE);
    }
  };

  private async topology(): Promise<Topology> {
    // The topology changes only with a deploy: read it at most every 30 s.
    if (this.#topology !== undefined && Date.now() - this.#topology.at < 30_000) return this.#topology.value;
    const value = await this.#sources.topology();
    this.#topology = { value, at: Date.now() };
    return value;
  }
}

/** Status answers are live: never cached. */
const NO_STORE = { 'cache-control': 'no-store' } as const;
