import {
  PutEventsCommand,
  type PutEventsCommandOutput,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import type { EventEnvelope } from '../contracts';
import { BreakwaterError } from '../errors';
import { currentTraceHeader } from '../middleware/tracing';
import {
  type BatchLimits,
  planBatches,
  putEventsEntrySize,
  putEventsLimits,
  toPutEventsEntry,
} from './entries';

/** An event that could not be put on the bus, with the last reason EventBridge (or the SDK) gave. */
export interface PublishFailure {
  readonly eventId: string;
  readonly eventType: string;
  readonly errorCode: string;
  readonly errorMessage: string;
  /** PutEvents calls that included this event (0 when it was never sendable). */
  readonly attempts: number;
}

/** What happened to each event of a `publishAll` call. */
export interface PublishReport {
  /** Ids of the events EventBridge accepted. */
  readonly published: readonly string[];
  readonly failed: readonly PublishFailure[];
}

/** Some events could not be published after every attempt; `failures` lists them, `published` the others. */
export class EventPublishError extends BreakwaterError {
  public readonly failures: readonly PublishFailure[];
  public readonly published: readonly string[];

  public constructor(report: PublishReport) {
    const summary = report.failed.map((failure) => `${failure.eventId} (${failure.errorCode})`).join(', ');
    super(`${report.failed.length} event(s) could not be published: ${summary}`);
    this.name = 'EventPublishError';
    this.failures = report.failed;
    this.published = report.published;
  }
}

/** What the publisher needs from an EventBridge client; `EventBridgeClient` satisfies it, tests pass a fake. */
export interface PutEventsSender {
  send(command: PutEventsCommand): Promise<PutEventsCommandOutput>;
}

/** Options of `EventPublisher`. */
export interface EventPublisherOptions {
  /** A ready EventBridge client (its endpoint and retries are the caller's choice). */
  readonly client: PutEventsSender;
  readonly eventBusName: string;
  /** PutEvents calls per event at most, first included. Default 4. */
  readonly maxAttempts?: number;
  /** First backoff ceiling in ms; doubles per attempt, full jitter. Default 100. */
  readonly baseDelayMs?: number;
  /** Backoff ceiling in ms. Default 2000. */
  readonly maxDelayMs?: number;
  /** Default: PutEvents' limits (10 entries, 256 KB). */
  readonly limits?: BatchLimits;
  /** Default: a timer. Tests pass one that does not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Default `Math.random`. */
  readonly random?: () => number;
  /**
   * The X-Ray trace header put on every entry, read at each publish. Default: the invocation's (`_X_AMZN_TRACE_ID`,
   * see `currentTraceHeader`); none outside Lambda.
   */
  readonly traceHeader?: () => string | undefined;
}

interface Pending {
  readonly envelope: EventEnvelope;
  readonly entry: PutEventsRequestEntry;
  readonly size: number;
  attempts: number;
  lastError?: { code: string; message: string };
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Puts domain events on the bus: batches them within PutEvents' limits, retries only the entries that failed (with
 * exponential backoff and full jitter, a bounded number of times), and reports what finally failed.
 *
 * The SDK already retries a call that fails as a whole (throttled, 5xx); what it never retries is a call that
 * succeeds with some entries failed (`FailedEntryCount > 0`). That is this class's job.
 */
export class EventPublisher {
  readonly #options: Required<Omit<EventPublisherOptions, 'client' | 'eventBusName'>>;
  readonly #client: PutEventsSender;
  readonly #eventBusName: string;

  public constructor({ client, eventBusName, ...options }: EventPublisherOptions) {
    this.#client = client;
    this.#eventBusName = eventBusName;
    this.#options = {
      maxAttempts: options.maxAttempts ?? 4,
      baseDelayMs: options.baseDelayMs ?? 100,
      maxDelayMs: options.maxDelayMs ?? 2000,
      limits: options.limits ?? putEventsLimits,
      sleep: options.sleep ?? delay,
      random: options.random ?? Math.random,
      traceHeader: options.traceHeader ?? currentTraceHeader,
    };
  }

  /** Publishes every event or throws `EventPublishError` naming those that failed (the others were published). */
  public async publish(events: readonly EventEnvelope[]): Promise<void> {
    const report = await this.publishAll(events);
    if (report.failed.length > 0) throw new EventPublishError(report);
  }

  /** Publishes what it can and reports per event; only a bug throws. */
  public async publishAll(events: readonly EventEnvelope[]): Promise<PublishReport> {
    const { maxAttempts, limits } = this.#options;
    const published: string[] = [];
    const failed: PublishFailure[] = [];
    let pending: Pending[] = [];
    const traceHeader = this.#options.traceHeader();
    for (const envelope of events) {
      const entry = toPutEventsEntry(envelope, this.#eventBusName, traceHeader);
      const item: Pending = { envelope, entry, size: putEventsEntrySize(entry), attempts: 0 };
      if (item.size > limits.maxBytes) {
        // Retrying cannot shrink it: report it at once.
        item.lastError = {
          code: 'EntryTooLarge',
          message: `entry is ${item.size} bytes, limit ${limits.maxBytes}`,
        };
        failed.push(toFailure(item));
      } else {
        pending.push(item);
      }
    }
    for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt += 1) {
      if (attempt > 1) await this.#options.sleep(this.#backoff(attempt - 1));
      const batches = planBatches(pending, (item) => item.size, limits);
      const outcomes = await Promise.all(batches.map((batch) => this.#send(batch)));
      pending = [];
      for (const { accepted, rejected } of outcomes) {
        published.push(...accepted.map((item) => item.envelope.id));
        pending.push(...rejected);
      }
    }
    failed.push(...pending.map(toFailure));
    return { published, failed };
  }

  #backoff(retry: number): number {
    const { baseDelayMs, maxDelayMs, random } = this.#options;
    return Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1)));
  }

  async #send(batch: Pending[]): Promise<{ accepted: Pending[]; rejected: Pending[] }> {
    for (const item of batch) item.attempts += 1;
    try {
      const output = await this.#client.send(
        new PutEventsCommand({ Entries: batch.map((item) => item.entry) }),
      );
      const results = output.Entries ?? [];
      const accepted: Pending[] = [];
      const rejected: Pending[] = [];
      batch.forEach((item, index) => {
        const result = results[index];
        // Entries answer in request order; a missing answer is not proof of delivery.
        if (result?.EventId !== undefined && result.ErrorCode === undefined) {
          accepted.push(item);
        } else {
          item.lastError = {
            code: result?.ErrorCode ?? 'MissingResult',
            message: result?.ErrorMessage ?? 'PutEvents returned no result for this entry',
          };
          rejected.push(item);
        }
      });
      return { accepted, rejected };
    } catch (error) {
      // The whole call failed (throttled, network): every entry of the batch is retried.
      const code = error instanceof Error ? error.name : 'UnknownError';
      const message = error instanceof Error ? error.message : String(error);
      for (const item of batch) item.lastError = { code, message };
      return { accepted: [], rejected: batch };
    }
  }
}

const toFailure = (item: Pending): PublishFailure => ({
  eventId: item.envelope.id,
  eventType: item.envelope.type,
  errorCode: item.lastError?.code ?? 'Unknown',
  errorMessage: item.lastError?.message ?? '',
  attempts: item.attempts,
});
