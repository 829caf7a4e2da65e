/**
 * Virtual time for the fleet simulation: a clock the breakers read, and an event queue ordered by (time, insertion).
 * The run loop pops every event due at the earliest instant, runs it, then lets the promise chains it started settle
 * (one macrotask turn) before moving on, so a whole fleet of real breakers runs in simulated seconds, deterministically.
 */
interface Event {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
}

/** A binary min-heap of events. */
class EventHeap {
  readonly #items: Event[] = [];
  public get size(): number {
    return this.#items.length;
  }
  public peek(): Event | undefined {
    return this.#items[0];
  }
  public push(event: Event): void {
    const items = this.#items;
    items.push(event);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i] as Event, items[parent] as Event)) break;
      [items[i], items[parent]] = [items[parent] as Event, items[i] as Event];
      i = parent;
    }
  }
  public pop(): Event | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && before(items[left] as Event, items[smallest] as Event)) smallest = left;
        if (right < items.length && before(items[right] as Event, items[smallest] as Event)) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest] as Event, items[i] as Event];
        i = smallest;
      }
    }
    return top;
  }
}

const before = (a: Event, b: Event): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The simulation's clock and scheduler. Time is epoch ms, advanced only by the run loop. */
export class VirtualTime {
  public time: number;
  readonly #events = new EventHeap();
  #seq = 0;

  public constructor(start: number) {
    this.time = start;
  }

  /** The breaker's clock. */
  public now(): number {
    return this.time;
  }

  /** Runs `run` at `at` (never earlier than now). */
  public at(at: number, run: () => void): void {
    this.#events.push({ at: Math.max(at, this.time), seq: this.#seq++, run });
  }

  /** A promise resolved `ms` from now. */
  public sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.at(this.time + ms, resolve));
  }

  /** Runs events until `end` (epoch ms), letting the promise chains of each instant settle before the next. */
  public async runUntil(end: number): Promise<void> {
    await turn();
    for (;;) {
      const next = this.#events.peek();
      if (next === undefined || next.at > end) break;
      this.time = next.at;
      while (this.#events.peek()?.at === this.time) this.#events.pop()?.run();
      await turn();
    }
    this.time = end;
  }
}

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same run. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};
