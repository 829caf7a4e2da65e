import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../support/http-io.js';
import type { LocalSns } from './service.js';

/** The edge path of the SNS inbox. */
export const INBOX_PATH = '/_breakwater/inbox';

/**
 * `GET /_breakwater/inbox[?topicArn=...&subscriptionArn=...&endpoint=...]`: the inbox as JSON
 * (`{ "notifications": [...] }`, oldest first), so that an e-mail or HTTPS subscriber's messages can be read locally.
 */
export const inboxHandler =
  (sns: LocalSns) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { message: 'The inbox is read with GET' }, { allow: 'GET, HEAD' });
      return;
    }
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    const filter = {
      ...(query.get('topicArn') === null ? {} : { topicArn: query.get('topicArn') as string }),
      ...(query.get('subscriptionArn') === null
        ? {}
        : { subscriptionArn: query.get('subscriptionArn') as string }),
      ...(query.get('endpoint') === null ? {} : { endpoint: query.get('endpoint') as string }),
    };
    // A HEAD answer carries the headers of the GET one; Node leaves its body out.
    sendJson(res, 200, { notifications: sns.notifications(filter) });
  };
