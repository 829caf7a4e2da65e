/**
 * A min-heap of items due at a time: a queue keeps its delayed and in-flight messages here and, on each request,
 * takes out those whose time has come, earliest first and, at the same time, first pushed first. Entries are
 * never removed early; the caller recognises stale ones (a message deleted or given a new deadline meanwhile)
 * when they come out.
 */
interface Entry<T> {
  readonly at: number;
  readonly order: number;
  readonly value: T;
}

const before = <T>(a: Entry<T> | undefined, b: Entry<T> | undefined): boolean =>
  a !== undefined && (b === undefined || a.at < b.at || (a.at === b.at && a.order < b.order));

export class DueHeap<T> {
  private readonly items: Entry<T>[] = [];
  private pushed = 0;

  public get size(): number {
    return this.items.length;
  }

  /** The earliest due time, if any. */
  public peekAt(): number | undefined {
    return this.items[0]?.at;
  }

  public push(at: number, value: T): void {
    const items = this.items;
    items.push({ at, order: this.pushed++, value });
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = items[parent];
      const here = items[index];
      if (above === undefined || here === undefined || !before(here, above)) break;
      items[parent] = here;
      items[index] = above;
      index = parent;
    }
  }

  /** Removes and returns the earliest entry if it is due at `now` or earlier. */
  public popDue(now: number): Entry<T> | undefined {
    const items = this.items;
    const top = items[0];
    if (top === undefined || top.at > now) return undefined;
    const last = items.pop();
    if (last !== undefined && items.length > 0) {
      items[0] = last;
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        const right = left + 1;
        let smallest = index;
        if (before(items[left], items[smallest])) smallest = left;
        if (before(items[right], items[smallest])) smallest = right;
        if (smallest === index) break;
        const swap = items[smallest];
        const here = items[index];
        if (swap === undefined || here === undefined) break;
        items[smallest] = here;
        items[index] = swap;
        index = smallest;
      }
    }
    return top;
  }

  public clear(): void {
    this.items.length = 0;
  }
}
