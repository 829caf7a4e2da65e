import type { CircuitReading } from './sources.js';

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
  /** When the first sample was taken: a circuit absent until later had no item, i.e. was CLOSED (never written). */
  #firstSampleAt: number | undefined;

  public constructor(maxSpans = 200) {
    this.#maxSpans = maxSpans;
  }

  /** Adds one sample of every circuit, taken at `now` (epoch ms). */
  public record(readings: readonly CircuitReading[], now: number): void {
    const firstSampleAt = this.#firstSampleAt;
    this.#firstSampleAt ??= now;
    for (const reading of readings) {
      const history = this.#histories.get(reading.circuitId);
      if (history === undefined) {
        const from = reading.since > 0 ? Math.min(reading.since, now) : now;
        const spans: CircuitSpan[] = [];
        // Absent from earlier samples: it had never been written, which is CLOSED (the breaker's initial state);
        // an item that is still CLOSED (only its counters were written) just extends that span.
        const wasClosed = firstSampleAt !== undefined && firstSampleAt < from;
        if (wasClosed && reading.state === 'CLOSED' && reading.version === 0) {
          spans.push({ state: 'CLOSED', from: firstSampleAt, reason: 'never written: closed', version: 0 });
        } else if (wasClosed) {
          spans.push({
            state: 'CLOSED',
            from: firstSampleAt,
            to: from,
            reason: 'never written: closed',
            version: 0,
          });
        }
        if (spans.length === 0 || spans.at(-1)?.to !== undefined) {
          spans.push({ state: reading.state, from, reason: reading.reason, version: reading.version });
        }
        this.#histories.set(reading.circuitId, {
          current: reading,
          spans,
          firstVersion: firstSampleAt !== undefined && firstSampleAt < from ? 0 : reading.version,
        });
        continue;
      }
      if (reading.version !== history.current.version || reading.state !== history.current.state) {
        const from = reading.since > 0 ? Math.min(reading.since, now) : now;
        const previous = history.current;
        const last = history.spans.at(-1);
        // An OPEN circuit that moved on by two versions or more between samples went HALF_OPEN in between: its
        // probes were admitted from the end of the cooldown (openUntil) until the state the sample shows.
        const probedBetween =
          previous.state === 'OPEN' &&
          reading.version - previous.version >= 2 &&
          previous.openUntil !== undefined &&
          previous.openUntil > (last?.from ?? 0) &&
          previous.openUntil < from;
        if (last !== undefined) {
          history.spans[history.spans.length - 1] = {
            ...last,
            to: probedBetween ? (previous.openUntil as number) : from,
          };
        }
        if (probedBetween) {
          history.spans.push({
            state: 'HALF_OPEN',
            from: previous.openUntil as number,
            to: from,
            reason: 'probing (between two samples)',
            version: previous.version + 1,
          });
        }
        history.spans.push({ state: reading.state, from, reason: reading.reason, version: reading.version });
        if (history.spans.length > this.#maxSpans)
          history.spans.splice(0, history.spans.length - this.#maxSpans);
      }
      history.current = reading;
    }
  }

  /** When sampling began (epoch ms), if it has. */
  public get startedAt(): number | undefined {
    return this.#firstSampleAt;
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
