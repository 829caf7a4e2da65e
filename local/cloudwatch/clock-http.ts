import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CloudWatchClock } from './clock';

/** The edge path of the CloudWatch clock's admin API. */
export const CLOUDWATCH_CLOCK_PATH = '/_breakwater/cloudwatch/clock';

const reply = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

const readJson = async (req: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? {} : JSON.parse(text);
};

/**
 * The CloudWatch clock's admin API: `GET` answers `{ now, scale }` (CloudWatch time, ISO 8601); `POST
 * {"advanceSeconds": n}` jumps it forward, so that an alarm on days (a dead letter's age) can be seen firing in a
 * test. Only CloudWatch's view of time moves: queues, retention and schedules keep the wall clock.
 */
export const clockHandler =
  (clock: CloudWatchClock) =>
  async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method === 'GET')
      return reply(res, 200, { now: new Date(clock.now()).toISOString(), scale: clock.scale });
    if (req.method !== 'POST')
      return reply(res, 405, { message: 'GET the clock, or POST {"advanceSeconds": n}' });
    let body: unknown;
    try {
      body = await readJson(req);
    } catch {
      return reply(res, 400, { message: 'the body is not JSON' });
    }
    const seconds = (body as { advanceSeconds?: unknown }).advanceSeconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > 30 * 24 * 3600)
      return reply(res, 400, { message: 'advanceSeconds must be a number of seconds from 0 to 30 days' });
    clock.advance(seconds * 1000);
    return reply(res, 200, { now: new Date(clock.now()).toISOString(), scale: clock.scale });
  };
