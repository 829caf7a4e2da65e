import type { CircuitBreakerConfig } from './config.js';
import { coordinationIntervals, probesRationed } from './policy.js';
import { type CircuitSnapshot, type CircuitState, CircuitStates } from './state.js';
import type { CircuitStateSignal, StateHint } from './store.js';

/** States that let calls through: a container in one of them keeps calling until it learns of a trip. */
const letsCallsThrough: ReadonlySet<CircuitState> = new Set([
  CircuitStates.closed,
  CircuitStates.metricsOnly,
  CircuitStates.disabled,
]);

/** The hint of a snapshot: what the fast path carries (the whole snapshot, so a reader can act on it). */
export const hintOf = (snapshot: CircuitSnapshot): StateHint => ({
  state: snapshot.state,
  version: snapshot.version,
  ...(snapshot.openUntil === undefined ? {} : { openUntil: snapshot.openUntil }),
  snapshot,
});

/** What the fast path needs from the replica it accelerates. */
export interface FastPathHost {
  /** The cached state. */
  readonly snapshot: CircuitSnapshot;
  /** The fleet's size as the window last showed it. */
  readonly fleet: number;
  /** A sync from the state store (the source of truth). Never throws. */
  sync(): Promise<void>;
  /** Adopts a published snapshot newer than the cache. */
  adoptPublished(snapshot: CircuitSnapshot): boolean;
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
  /** When this container last looked at the shared state (a read of the signal or a sync). */
  #lastLook = Number.NEGATIVE_INFINITY;
  /** The newest hint version that already caused a sync: a hint the store cannot confirm triggers one sync only. */
  #actedOn = 0;
  #reading: Promise<void> | undefined;
  readonly #jitter: number;

  public constructor(
    circuitId: string,
    signal: CircuitStateSignal,
    config: CircuitBreakerConfig,
    jitter = 0.5,
  ) {
    this.#circuitId = circuitId;
    this.#signal = signal;
    this.#config = config;
    this.#jitter = jitter;
  }

  /**
   * A read is due: calls flow on the cached state (or, in a fleet too large for every container to probe, the
   * circuit is past its cooldown or half-open and this container waits to learn how the round ends), the state
   * store is reachable, and the interval has elapsed.
   */
  public due(now: number, snapshot: CircuitSnapshot, degraded: boolean, fleet = 1): boolean {
    if (degraded || now < this.#nextRead) return false;
    if (letsCallsThrough.has(snapshot.state)) return true;
    if (!probesRationed(fleet, this.#config)) return false;
    if (snapshot.state === 'HALF_OPEN') return true;
    // Past the cooldown, each container starts reading at its own offset: the whole fleet is due at that instant.
    const openUntil = snapshot.openUntil ?? Number.POSITIVE_INFINITY;
    return snapshot.state === 'OPEN' && now >= openUntil + this.#jitter * this.#intervalMs(fleet);
  }

  /**
   * A due read is also stale when this container has not looked for 1.5 intervals (it called too rarely to read
   * beside its calls in time): that read is awaited before the decision, so no container calls on a cache that
   * misses a trip for much longer than an interval. One Redis round trip, at most once per interval, bounded by the
   * client's timeout; after a failed read the next one is not due for a quiet interval, so Redis down never waits.
   */
  public stale(now: number, fleet = 1): boolean {
    return now - this.#lastLook >= 1.5 * this.#intervalMs(fleet);
  }

  /** The state store was just read: it is fresher than any hint, so the next read can wait a whole interval. */
  public synced(now: number, fleet = 1): void {
    this.#nextRead = Math.max(this.#nextRead, now + this.#intervalMs(fleet));
    this.#lastLook = now;
  }

  /** The read interval: `signalIntervalMs`, stretched so that the fleet stays within `signalReadsPerSecond`. */
  #intervalMs(fleet: number): number {
    return coordinationIntervals(fleet, this.#config).signalMs;
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
    this.#nextRead = now + this.#intervalMs(host.fleet);
    this.#lastLook = now;
    let hint: StateHint | undefined;
    try {
      hint = await this.#signal.read(this.#circuitId);
    } catch (error) {
      this.#nextRead = now + coordinationIntervals(host.fleet, this.#config).quietSyncMs;
      host.reportError('signal', error);
      return;
    }
    if (hint === undefined || hint.version <= host.snapshot.version || hint.version <= this.#actedOn) return;
    this.#actedOn = hint.version;
    // A hint that carries its snapshot is acted on at once; an older publisher's bare hint means "read the store".
    if (hint.snapshot?.version === hint.version && host.adoptPublished(hint.snapshot)) return;
    await host.sync();
  }
}
