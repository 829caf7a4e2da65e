export { INBOX_PATH, inboxHandler } from './inbox-http';
export type { InboxEntry, Subscription, Topic } from './model';
export { LocalSns, type LocalSnsOptions, type SnsDeliveries } from './service';
