import type { CircuitBreakerConfig } from './config';
import { type CircuitSnapshot, type CircuitState, CircuitStates } from './state';
import type { CircuitStateSignal, StateHint } from './store';

/** States that let calls through: a container in one of them keeps calling until it learns of a trip. */
const letsCallsThrough: ReadonlySet<CircuitState> = new Set([
  CircuitStates.closed,
  CircuitStates.metricsOnly,
  CircuitStates.disabled,
]);

/** The hint of a snapshot: what the fast path carries. */
export const hintOf = (snapshot: CircuitSnapshot): StateHint => ({
  state: snapshot.state,
  version: snapshot.version,
  ...(snapshot.openUntil === undefined ? {} : { openUntil: snapshot.openUntil }),
});

/** What the fast path needs from the replica it accelerates. */
export interface FastPathHost {
  /** The cached state. */
  readonly snapshot: CircuitSnapshot;
  /** A sync from the state store (the source of truth). Never throws. */
  sync(): Promise<void>;
  /** Tells `onError`. Never throws. */
  reportError(operation: 'signal', error: unknown): void;
}

/**
 * One container's use of the fast path for one circuit. Without it, a container that only sees successes learns of
 * a trip at its next quiet sync (`quietSyncIntervalMs`); with it, within about `signalIntervalMs`:
 *
 * - the container whose fenced write wins a transition publishes `{state, version, openUntil}`;
 * - a container letting calls through reads it at most once per `signalIntervalMs` (beside a call, never before
 *   its decision) and, when the version is newer than its cache, syncs from the state store at once: the signal
 *   only says "look", the state store says what is true;
 * - a failed read or publish is reported (`operation: 'signal'`) and the next read waits `quietSyncIntervalMs`:
 *   the breaker then runs on its state-store sync policy alone, as it would without a signal.
 */
export class FastPath {
  readonly #circuitId: string;
  readonly #signal: CircuitStateSignal;
  readonly #config: CircuitBreakerConfig;
  #nextRead = Number.NEGATIVE_INFINITY;
  /** The newest hint version that already caused a sync: a hint the store cannot confirm triggers one sync only. */
  #actedOn = 0;
  #reading: Promise<void> | undefined;

  public constructor(circuitId: string, signal: CircuitStateSignal, config: CircuitBreakerConfig) {
    this.#circuitId = circuitId;
    this.#signal = signal;
    this.#config = config;
  }

  /** A read is due: calls flow on the cached state, the state store is reachable, and the interval has elapsed. */
  public due(now: number, snapshot: CircuitSnapshot, degraded: boolean): boolean {
    return !degraded && letsCallsThrough.has(snapshot.state) && now >= this.#nextRead;
  }

  /** The state store was just read: it is fresher than any hint, so the next read can wait a whole interval. */
  public synced(now: number): void {
    this.#nextRead = Math.max(this.#nextRead, now + this.#config.signalIntervalMs);
  }

  /** Reads the signal and syncs when it announces a newer version. One read at a time; never throws. */
  public read(now: number, host: FastPathHost): Promise<void> {
    this.#reading ??= this.#read(now, host).finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  /** Publishes a transition the state store applied. Never throws. */
  public async publish(snapshot: CircuitSnapshot, host: Pick<FastPathHost, 'reportError'>): Promise<void> {
    try {
      await this.#signal.publish(this.#circuitId, hintOf(snapshot));
    } catch (error) {
      // The transition stands in the state store; others learn of it at their next sync.
      host.reportError('signal', error);
    }
  }

  async #read(now: number, host: FastPathHost): Promise<void> {
    this.#nextRead = now + this.#config.signalIntervalMs;
    let hint: StateHint | undefined;
    try {
      hint = await this.#signal.read(this.#circuitId);
    } catch (error) {
      this.#nextRead = now + this.#config.quietSyncIntervalMs;
      host.reportError('signal', error);
      return;
    }
    if (hint === undefined || hint.version <= host.snapshot.version || hint.version <= this.#actedOn) return;
    this.#actedOn = hint.version;
    await host.sync();
  }
}
