import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { StoredMessage } from './message.js';
import type { QueueIdentity } from './queue.js';
import type { StoredQueueAttributes } from './queue-attributes.js';
import type { SqsStore } from './store.js';

/** The engine's queues and messages as JSON, for `npm start -- --persist`. */
interface SqsSnapshot {
  readonly version: 1;
  readonly queues: readonly {
    readonly identity: QueueIdentity;
    readonly attributes: StoredQueueAttributes;
    readonly tags: Readonly<Record<string, string>>;
    readonly createdTimestamp: number;
    readonly messages: readonly StoredMessage[];
  }[];
}

/** Writes every queue (identity, attributes, tags) and message of the store to `file` (atomically). */
export const saveSqsSnapshot = (store: SqsStore, file: string): void => {
  const snapshot: SqsSnapshot = {
    version: 1,
    queues: store.all().map((queue) => ({
      identity: {
        name: queue.name,
        region: queue.region,
        accountId: queue.accountId,
        arn: queue.arn,
        fifo: queue.fifo,
      },
      attributes: queue.attributes,
      tags: Object.fromEntries(queue.tags),
      createdTimestamp: queue.createdTimestamp,
      messages: queue.allMessages(),
    })),
  };
  writeFileSync(`${file}.tmp`, JSON.stringify(snapshot));
  renameSync(`${file}.tmp`, file);
};

/**
 * Restores a snapshot into an empty store: the queues with their attributes and tags, and their messages, each
 * visible again (a restart ends every receive, as a visibility timeout would; receive counts are kept, so a message
 * still reaches its DLQ after its receives). Returns how many queues and messages came back; 0 when there is none.
 */
export const restoreSqsSnapshot = (
  store: SqsStore,
  file: string,
  now: number = Date.now(),
): { queues: number; messages: number } => {
  let snapshot: SqsSnapshot;
  try {
    snapshot = JSON.parse(readFileSync(file, 'utf8')) as SqsSnapshot;
  } catch {
    return { queues: 0, messages: 0 };
  }
  let messages = 0;
  for (const saved of snapshot.queues) {
    const queue = store.create(saved.identity, saved.attributes, saved.createdTimestamp);
    for (const [key, value] of Object.entries(saved.tags)) queue.tags.set(key, value);
    for (const message of saved.messages) {
      const delay =
        message.state === 'delayed' ? Math.max(0, Math.ceil((message.visibleAt - now) / 1000)) : 0;
      queue.enqueue({ ...message }, delay, now);
      messages += 1;
    }
  }
  return { queues: snapshot.queues.length, messages };
};
