import type { CircuitReading } from './sources';

/** One stretch of time a circuit spent in a state. */
export interface CircuitSpan {
  readonly state: string;
  /** Epoch ms. */
  readonly from: number;
  /** Epoch ms; undefined while it lasts. */
  readonly to?: number;
  readonly reason: string;
  readonly version: number;
}

/** A circuit and its states over time, oldest span first. */
export interface CircuitHistory {
  readonly circuitId: string;
  readonly current: CircuitReading;
  readonly spans: readonly CircuitSpan[];
  /** Transitions since the page first saw the circuit (version steps; several may fall between two samples). */
  readonly transitions: number;
}

/**
 * Folds samples of the breaker table into each circuit's states over time (pure over its inputs): a new span starts
 * whenever a sample shows another version, at the `since` the store gives it (so a span's start is the real
 * transition time, not the sampling time). At most `maxSpans` spans are kept per circuit.
 */
export class CircuitTimeline {
  readonly #maxSpans: number;
  readonly #histories = new Map<
    string,
    { current: CircuitReading; spans: CircuitSpan[]; firstVersion: number }
  >();

  public constructor(maxSpans = 200) {
    this.#maxSpans = maxSpans;
  }

  /** Adds one sample of every circuit, taken at `now` (epoch ms). */
  public record(readings: readonly CircuitReading[], now: number): void {
    for (const reading of readings) {
      const history = this.#histories.get(reading.circuitId);
      if (history === undefined) {
        const from = reading.since > 0 ? reading.since : now;
        this.#histories.set(reading.circuitId, {
          current: reading,
          spans: [{ state: reading.state, from, reason: reading.reason, version: reading.version }],
          firstVersion: reading.version,
        });
        continue;
      }
      if (reading.version !== history.current.version || reading.state !== history.current.state) {
        const from = reading.since > 0 ? Math.min(reading.since, now) : now;
        const last = history.spans.at(-1);
        if (last !== undefined) history.spans[history.spans.length - 1] = { ...last, to: from };
        history.spans.push({ state: reading.state, from, reason: reading.reason, version: reading.version });
        if (history.spans.length > this.#maxSpans)
          history.spans.splice(0, history.spans.length - this.#maxSpans);
      }
      history.current = reading;
    }
  }

  /** Every circuit seen so far, by id. */
  public histories(): CircuitHistory[] {
    return [...this.#histories.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([circuitId, h]) => ({
        circuitId,
        current: h.current,
        spans: [...h.spans],
        transitions: Math.max(0, h.current.version - h.firstVersion),
      }));
  }
}
