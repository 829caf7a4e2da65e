import { randomInt } from 'node:crypto';

/** A source of numbers in [0, 1). */
export type RandomSource = () => number;

/**
 * A small, fast, seedable generator (mulberry32). Not for secrets: it only makes the fake gateway's failures and
 * declines repeatable, so a test with a seed sees the same sequence on every run.
 */
export const seededRandom = (seed: number): RandomSource => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/** A seed for runs that do not ask for one. */
export const randomSeed = (): number => randomInt(0, 2 ** 32 - 1);

/** An id such as `ch_5f0c2a91d4e7b3a8c6f1e290`: a prefix and 24 hex digits drawn from `random`. */
export const randomId = (prefix: string, random: RandomSource): string => {
  let hex = '';
  while (hex.length < 24)
    hex += Math.floor(random() * 0x10000)
      .toString(16)
      .padStart(4, '0');
  return `${prefix}_${hex}`;
};
