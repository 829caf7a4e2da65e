/** The edge path of the CloudWatch clock's admin API (see `clockHandler`). */
export const CLOUDWATCH_CLOCK_PATH = '/_breakwater/cloudwatch/clock';

/**
 * The clock of the local CloudWatch. At scale 1 it is the wall clock, so `npm start` behaves as AWS does. Tests run
 * it faster (`timeScale: 60` makes a 1-minute alarm period pass in one real second) and may jump it forward
 * (`advance`), so that alarms over minutes, or over days of message age, are seen firing in seconds without touching
 * the templates. Everything CloudWatch measures is read on this clock: datapoint timestamps, periods, the age of a
 * queue's oldest message, a stream's iterator age.
 */
export interface CloudWatchClock {
  /** Now, in CloudWatch time (epoch milliseconds). */
  now(): number;
  /** A wall-clock instant (e.g. an EMF `_aws.Timestamp`, a message's sent time) in CloudWatch time. */
  fromWallClock(epochMs: number): number;
  /** How many CloudWatch milliseconds pass per wall-clock millisecond. */
  readonly scale: number;
  /** Wall-clock milliseconds that `virtualMs` of CloudWatch time take. */
  wallDuration(virtualMs: number): number;
  /** Jumps CloudWatch time forward by `ms` (never backwards). */
  advance(ms: number): void;
}

/** A clock running `scale` times faster than the wall clock, from now on (`scale` ≥ 1). */
export const scaledClock = (scale = 1, wallNow: () => number = Date.now): CloudWatchClock => {
  if (!Number.isFinite(scale) || scale < 1) throw new RangeError(`time scale must be ≥ 1, got ${scale}`);
  const anchor = wallNow();
  // Each jump forward holds from the wall-clock instant it was made: an instant before it keeps its CloudWatch time,
  // so a message sent before a 7-day jump is 7 days older after it.
  const jumps: { readonly fromWall: number; readonly offset: number }[] = [];
  const offsetAt = (epochMs: number): number => {
    for (let i = jumps.length - 1; i >= 0; i--) {
      const jump = jumps[i];
      if (jump !== undefined && epochMs >= jump.fromWall) return jump.offset;
    }
    return 0;
  };
  const fromWallClock = (epochMs: number) => anchor + (epochMs - anchor) * scale + offsetAt(epochMs);
  return {
    scale,
    now: () => fromWallClock(wallNow()),
    fromWallClock,
    wallDuration: (virtualMs) => virtualMs / scale,
    advance: (ms) => {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`the clock only moves forward, got ${ms} ms`);
      const at = wallNow();
      jumps.push({ fromWall: at, offset: offsetAt(at) + ms });
    },
  };
};
