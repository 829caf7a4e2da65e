import * as z from 'zod';

/**
 * The fault rules of the local cloud: what `POST /_breakwater/faults` accepts. A rule names a service, an action
 * (a glob over the operation or, for Lambda, the function name), what to do, and how often and for how long.
 */

/** Services a rule can name; the edge's request services plus the Upstash endpoint, Lambda, Redis and the gateway. */
export const FaultServices = [
  'sqs',
  'dynamodb',
  'events',
  'secretsmanager',
  'ssm',
  'upstash',
  'lambda',
  'redis',
  'gateway',
] as const;
export type FaultService = (typeof FaultServices)[number];

/** Services whose requests pass through the edge. */
export const EDGE_SERVICES: ReadonlySet<FaultService> = new Set([
  'sqs',
  'dynamodb',
  'events',
  'secretsmanager',
  'ssm',
]);

const rate = z.number().min(0).max(1);
const millis = z.int().min(0).max(3_600_000);

const common = {
  service: z.enum(FaultServices),
  /** Glob (`*`, `?`) over the action (`TransactWriteItems`, `PutEvents`) or, for Lambda, the function name. Default `*`. */
  action: z.string().min(1).max(256).default('*'),
  /** The request must contain this text (a table, queue, bus or secret name). Default: any request. */
  resource: z.string().min(1).max(1024).optional(),
  /** Share of matching requests the fault hits (0..1). Default 1. */
  rate: rate.default(1),
  /** Hit at most this many times, then the rule is spent. Default unlimited. */
  count: z.int().min(1).max(100_000_000).optional(),
  /** The rule is active for this long from when it is added. Default until cleared. */
  durationMs: millis.optional(),
};

/** An AWS-shaped error answer; `code` defaults to the service's throttling code, `status` to the code's own. */
const ErrorFault = z.strictObject({
  ...common,
  kind: z.literal('error'),
  code: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9.]{0,127}$/)
    .optional(),
  status: z.int().min(400).max(599).optional(),
  message: z.string().max(1024).optional(),
});

/** PutEvents answers 200 with some entries failed (`Entries[].ErrorCode`), those entries not put on the bus. */
const PartialFailureFault = z.strictObject({
  ...common,
  kind: z.literal('partial-failure'),
  /** The entry error code. Default `ThrottlingException`. */
  code: z.enum(['ThrottlingException', 'InternalFailure']).default('ThrottlingException'),
  /** Share of a hit call's entries that fail (at least one). Default 0.5. */
  entryRate: rate.default(0.5),
});

/** The request waits this long, then goes through. */
const LatencyFault = z.strictObject({ ...common, kind: z.literal('latency'), ms: millis });

/** The connection is cut before any answer (the client sees a reset or a socket hang-up). */
const ResetFault = z.strictObject({ ...common, kind: z.literal('reset') });

/**
 * Lambda: `invocation` kills the worker running a matching invocation at a random point within `withinMs` of its
 * start; `idle` kills the function's idle workers once, when the rule is added.
 */
const KillFault = z.strictObject({
  ...common,
  kind: z.literal('kill'),
  phase: z.enum(['invocation', 'idle']).default('invocation'),
  withinMs: millis.default(200),
});

/** Lambda: the worker is stopped (SIGSTOP) for `ms`, mid-invocation or idle, then continued. */
const FreezeFault = z.strictObject({
  ...common,
  kind: z.literal('freeze'),
  phase: z.enum(['invocation', 'idle']).default('invocation'),
  ms: millis,
  withinMs: millis.default(50),
});

/** Redis: redis-server stops when the rule is added and starts again (empty) after `durationMs` or on clear. */
const OutageFault = z.strictObject({ ...common, kind: z.literal('outage') });

/** The knobs of an app's fake gateway, set on add and reset on clear by the actuator the app registers for it. */
const GatewayFault = z.strictObject({
  ...common,
  kind: z.literal('gateway'),
  knobs: z.record(z.string(), z.unknown()),
});

export const FaultSpecSchema = z.discriminatedUnion('kind', [
  ErrorFault,
  PartialFailureFault,
  LatencyFault,
  ResetFault,
  KillFault,
  FreezeFault,
  OutageFault,
  GatewayFault,
]);

/** A rule as given (before defaults). */
export type FaultSpecInput = z.input<typeof FaultSpecSchema>;
/** A rule with its defaults. */
export type FaultSpec = z.infer<typeof FaultSpecSchema>;
export type FaultKind = FaultSpec['kind'];

/** Which kinds each service takes: a rule that could never fire is refused. */
export const KINDS_BY_SERVICE: Readonly<Record<FaultService, readonly FaultKind[]>> = {
  sqs: ['error', 'latency', 'reset'],
  dynamodb: ['error', 'latency', 'reset'],
  events: ['error', 'latency', 'reset', 'partial-failure'],
  secretsmanager: ['error', 'latency', 'reset'],
  ssm: ['error', 'latency', 'reset'],
  upstash: ['error', 'latency', 'reset'],
  lambda: ['kill', 'freeze', 'error'],
  redis: ['outage'],
  gateway: ['gateway'],
};

/** A rule as the API lists it. */
export type FaultRule = FaultSpec & {
  readonly id: string;
  readonly createdAt: string;
  /** When the rule stops, if it has a duration. */
  readonly expiresAt?: string;
  /** Times it fired. */
  readonly hits: number;
  /** Still able to fire (not expired, not spent). */
  readonly active: boolean;
};
