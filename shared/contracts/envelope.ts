import * as z from './zod';

/**
 * The one envelope every Breakwater domain event travels in. It is the EventBridge `detail`; `type` is also the
 * EventBridge `detail-type` and `source` the EventBridge `source`, so rules can match without reading the body.
 *
 * `id` is the domain event id: idempotency keys on it, because SQS message ids change on redrive and replay.
 */
export const eventEnvelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().check(z.minLength(1)),
  version: z.int().check(z.positive()),
  source: z.string().check(z.minLength(1)),
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().check(z.minLength(1)),
  causationId: z.optional(z.string().check(z.minLength(1))),
  data: z.unknown(),
});

/** An envelope whose `data` has not been checked against its event type yet. */
export type UntypedEventEnvelope = z.infer<typeof eventEnvelopeSchema>;

/** An envelope with typed `data`. */
export type EventEnvelope<TType extends string = string, TData = unknown> = Omit<
  UntypedEventEnvelope,
  'type' | 'data'
> & {
  type: TType;
  data: TData;
};
