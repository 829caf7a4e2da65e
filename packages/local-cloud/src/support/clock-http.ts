import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, parseJson, readText, sendJson } from './http-io.js';

/** A clock of the local cloud that an admin call may jump forward: CloudWatch's, or the schedules'. */
export interface AdjustableClock {
  /** Now, in this clock's time (epoch milliseconds). */
  now(): number;
  /** How many of its milliseconds pass per wall-clock millisecond. */
  readonly scale: number;
  /** Jumps it forward by `ms`. */
  advance(ms: number): void;
}

const THIRTY_DAYS_SECONDS = 30 * 24 * 3600;

/**
 * A clock's admin API on the edge: `GET` answers `{ now, scale }` (ISO 8601), `POST {"advanceSeconds": n}` jumps it
 * forward (0 to 30 days), so a test sees an alarm on days (a dead letter's age) fire, or a 5-minute schedule run once,
 * now. Only that clock moves: every other part of the local cloud keeps its own time.
 */
export const clockHandler =
  (clock: AdjustableClock) =>
  async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const state = () => ({ now: new Date(clock.now()).toISOString(), scale: clock.scale });
    if (req.method === 'GET') return sendJson(res, 200, state());
    if (req.method !== 'POST')
      return sendJson(res, 405, { message: 'GET the clock, or POST {"advanceSeconds": n}' });
    let text: string;
    try {
      text = await readText(req, 4096);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendJson(res, 413, { message: error.message });
      throw error;
    }
    const body = text.trim() === '' ? { ok: true as const, value: {} } : parseJson(text);
    if (!body.ok) return sendJson(res, 400, { message: 'the body is not JSON' });
    const seconds = (body.value as { advanceSeconds?: unknown } | null)?.advanceSeconds;
    if (
      typeof seconds !== 'number' ||
      !Number.isFinite(seconds) ||
      seconds < 0 ||
      seconds > THIRTY_DAYS_SECONDS
    )
      return sendJson(res, 400, { message: 'advanceSeconds must be a number of seconds from 0 to 30 days' });
    clock.advance(seconds * 1000);
    return sendJson(res, 200, state());
  };
