import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalSns } from './service';

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
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'The inbox is read with GET' }));
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
    const body = JSON.stringify({ notifications: sns.notifications(filter) });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
