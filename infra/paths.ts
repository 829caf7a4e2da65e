import { fileURLToPath } from 'node:url';

/** Root of the repository (holds package-lock.json, which esbuild bundling uses as its project root). */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Names of the function folders under `functions/`. Each has a `handler.ts` exporting `handler`. */
export const FunctionNames = {
  ordersApi: 'orders-api',
  outboxPublisher: 'outbox-publisher',
  outboxSweeper: 'outbox-sweeper',
  billing: 'billing',
  orderStatus: 'order-status',
  notifications: 'notifications',
  dlqReplay: 'dlq-replay',
} as const;

/** One of {@link FunctionNames}. */
export type FunctionName = (typeof FunctionNames)[keyof typeof FunctionNames];

/** Absolute path of the handler entry of a function. */
export function functionEntry(name: FunctionName): string {
  return fileURLToPath(new URL(`../functions/${name}/handler.ts`, import.meta.url));
}
