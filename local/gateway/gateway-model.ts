import * as z from 'zod';

/**
 * The data of the fake payment gateway: its runtime knobs, the charge request it accepts (the contract in
 * PLAN.md, "Payment gateway HTTP contract"), and what its admin API reports.
 */

const rate = z.number().min(0).max(1);

/** Every runtime knob of the fake gateway. `PUT /__admin/config` accepts any subset of it. */
export const GatewayConfigSchema = z.strictObject({
  /** Share of charge requests answered with `failureStatus` (0..1). Default 0. */
  failureRate: rate,
  /** Status of an injected failure: 429 or 5xx for a transient failure, 4xx to test other paths. Default 503. */
  failureStatus: z.int().min(400).max(599),
  /** Delay before every charge request is processed, in ms. Default 0. */
  latencyMs: z.int().min(0).max(120_000),
  /** Share of charge requests that never get an answer: the connection is held, then dropped (0..1). Default 0. */
  timeoutRate: rate,
  /**
   * When true, a timed-out request is still processed (the charge is recorded) before its answer is withheld:
   * the case idempotency keys exist for. Default false (the gateway never saw the charge).
   */
  timeoutAfterCharge: z.boolean(),
  /** How long a timed-out request is held before its connection is dropped, in ms. Default 30000. */
  hangMs: z.int().min(0).max(600_000),
  /** Share of valid new charges declined with 402 (0..1). Default 0. */
  declineRate: rate,
  /** The `declineCode` of a decline. Default `insufficient_funds`. */
  declineCode: z.string().min(1).max(64),
  /** Charges with one of these references are always declined. Default []. */
  declineForReferences: z.array(z.string().min(1).max(200)).max(10_000),
  /** Outage switch: every charge request gets 503 while true. Default false. */
  outage: z.boolean(),
  /** Outage window: every charge request gets 503 until this instant (ISO 8601), or null. Default null. */
  outageUntil: z.iso.datetime({ offset: true }).nullable(),
});

/** The runtime knobs of the fake gateway. */
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;

/** A partial configuration, merged over the current one by `PUT /__admin/config`. */
export const GatewayConfigUpdateSchema = GatewayConfigSchema.partial();

/** A partial configuration. */
export type GatewayConfigUpdate = z.infer<typeof GatewayConfigUpdateSchema>;

/** A healthy gateway: no failures, no latency, no declines, no outage. */
export const DEFAULT_GATEWAY_CONFIG: Readonly<GatewayConfig> = Object.freeze({
  failureRate: 0,
  failureStatus: 503,
  latencyMs: 0,
  timeoutRate: 0,
  timeoutAfterCharge: false,
  hangMs: 30_000,
  declineRate: 0,
  declineCode: 'insufficient_funds',
  declineForReferences: [],
  outage: false,
  outageUntil: null,
});

/**
 * The body of `POST /v1/charges`. Unknown fields are refused, as real gateways refuse unknown parameters, so a
 * client drifting from the contract fails here rather than in production.
 */
export const ChargeRequestSchema = z.strictObject({
  amountCents: z.int().positive().max(99_999_999),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code in capitals, e.g. EUR'),
  reference: z.string().min(1).max(200),
});

/** A valid charge request. */
export type ChargeRequest = z.infer<typeof ChargeRequestSchema>;

/** What the gateway did with an idempotency key's first processed request. */
export interface ChargeRecord extends ChargeRequest {
  readonly chargeId: string;
  readonly status: 'succeeded' | 'declined';
  /** Set when `status` is `declined`. */
  readonly declineCode?: string;
  readonly createdAt: string;
}

/** One idempotency key as the gateway saw it. */
export interface LedgerEntry {
  readonly idempotencyKey: string;
  /** Authenticated requests that carried this key, whatever happened to them (failures and timeouts included). */
  readonly attempts: number;
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  /** The charge made under this key, or null while no request under it got that far. */
  readonly charge: ChargeRecord | null;
}

/** How a charge request ended. */
export const ChargeOutcomes = [
  'succeeded',
  'replayed',
  'declined',
  'failed',
  'outage',
  'timeout',
  'unauthorized',
  'invalid',
  'conflict',
] as const;

/** How a charge request ended: `replayed` = answered from the ledger; `conflict` = key reused with another body. */
export type ChargeOutcome = (typeof ChargeOutcomes)[number];

/** Counters of `GET /__admin/stats`. */
export interface GatewayStats {
  /** Charge requests received (admin calls are not counted). */
  readonly requests: number;
  readonly byOutcome: Readonly<Record<ChargeOutcome, number>>;
}
