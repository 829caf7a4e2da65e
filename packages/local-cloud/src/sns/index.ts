export { INBOX_PATH, inboxHandler } from './inbox-http.js';
export type { InboxEntry, Subscription, Topic } from './model.js';
export { LocalSns, type LocalSnsOptions, type SnsDeliveries } from './service.js';
