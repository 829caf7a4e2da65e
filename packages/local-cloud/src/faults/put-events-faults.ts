import type { JsonProtocolService } from '../support/aws-protocol.js';
import type { FaultStore } from './fault-store.js';

const ENTRY_MESSAGES: Readonly<Record<string, string>> = {
  ThrottlingException: 'Request rate exceeded for the event bus',
  InternalFailure: 'Internal failure while putting the event',
};

/**
 * EventBridge with partial PutEvents failures: when a `partial-failure` rule fires, a share of the call's entries
 * is left off the bus and answered as AWS answers a failed entry (`ErrorCode` and `ErrorMessage` in its place of
 * `Entries`, counted in `FailedEntryCount`); the rest are put as usual. Other actions pass through.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsResultEntry.html
 */
export const withPutEventsFaults = (
  service: JsonProtocolService,
  store: FaultStore,
  random: () => number = Math.random,
): JsonProtocolService => ({
  signingName: service.signingName,
  targetPrefix: service.targetPrefix,
  handle: async (request) => {
    const entries = request.input.Entries;
    if (request.action !== 'PutEvents' || !Array.isArray(entries) || entries.length === 0)
      return service.handle(request);
    if (!store.has('events', ['partial-failure'])) return service.handle(request);
    const fault = store.take(
      { service: 'events', action: 'PutEvents', resource: JSON.stringify(request.input) },
      ['partial-failure'],
    );
    if (fault === undefined || fault.kind !== 'partial-failure') return service.handle(request);
    const failing = new Set<number>();
    entries.forEach((_, index) => {
      if (random() < fault.entryRate) failing.add(index);
    });
    if (failing.size === 0) failing.add(Math.floor(random() * entries.length));
    const kept = entries.filter((_, index) => !failing.has(index));
    const answer =
      kept.length === 0
        ? { status: 200, body: { FailedEntryCount: 0, Entries: [] } }
        : await service.handle({ ...request, input: { ...request.input, Entries: kept } });
    const body = answer.body as { FailedEntryCount?: number; Entries?: unknown[] };
    if (answer.status !== 200 || !Array.isArray(body.Entries)) return answer;
    const putResults = [...body.Entries];
    const merged = entries.map((_, index) =>
      failing.has(index)
        ? { ErrorCode: fault.code, ErrorMessage: ENTRY_MESSAGES[fault.code] ?? fault.code }
        : putResults.shift(),
    );
    return {
      status: 200,
      body: { ...body, FailedEntryCount: (body.FailedEntryCount ?? 0) + failing.size, Entries: merged },
    };
  },
});
