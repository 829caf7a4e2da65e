import { setTimeout as sleep } from 'node:timers/promises';

/** The parts of an ARN: `arn:partition:service:region:account:resource`. */
export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  /** Everything after the account, e.g. a queue name or `table/orders/stream/<label>`. */
  readonly resource: string;
}

/** Splits an ARN; throws on anything that is not one. */
export const parseArn = (arn: string): ArnParts => {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') throw new Error(`not an ARN: ${arn}`);
  const [, partition = '', service = '', region = '', account = ''] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
};

/** True for the error an aborted SDK call or sleep throws. */
export const isAbort = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'AbortError' || error.name === 'AbortErr');

/** Sleeps `ms`, or returns early (without throwing) when `signal` aborts. */
export const abortableSleep = async (ms: number, signal: AbortSignal): Promise<void> => {
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    if (!isAbort(error)) throw error;
  }
};
