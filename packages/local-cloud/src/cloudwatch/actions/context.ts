import type { AlarmEngine } from '../alarms.js';
import type { CloudWatchClock } from '../clock.js';
import type { Input } from '../input.js';
import type { MetricStore } from '../metric-store.js';

/** What every action may use. */
export interface ActionContext {
  readonly store: MetricStore;
  readonly alarms: AlarmEngine;
  readonly clock: CloudWatchClock;
  readonly region: string;
  readonly accountId: string;
}

/** One CloudWatch action: SDK input members in, SDK output members out (timestamps as `Date`). */
export type Action = (input: Input, context: ActionContext) => Record<string, unknown>;

/** A page of `items` from the opaque `NextToken` (an offset), and the token of the next page. */
export const page = <T>(
  items: readonly T[],
  nextToken: string | undefined,
  size: number,
): { items: T[]; nextToken?: string } => {
  let offset = 0;
  if (nextToken !== undefined) {
    const decoded = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(decoded) || decoded < 0 || decoded > items.length) throw new InvalidToken();
    offset = decoded;
  }
  const slice = items.slice(offset, offset + size);
  const next =
    offset + size < items.length ? Buffer.from(String(offset + size)).toString('base64url') : undefined;
  return { items: slice, ...(next === undefined ? {} : { nextToken: next }) };
};

/** Thrown by `page` for a token it did not issue; actions answer `InvalidNextToken`. */
export class InvalidToken extends Error {}
