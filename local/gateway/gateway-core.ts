import { parseJson } from '@breakwater/local-cloud/http';
import {
  type ChargeOutcome,
  ChargeOutcomes,
  type ChargeRecord,
  type ChargeRequest,
  ChargeRequestSchema,
  DEFAULT_GATEWAY_CONFIG,
  type GatewayConfig,
  GatewayConfigUpdateSchema,
  type GatewayStats,
  type LedgerEntry,
} from './gateway-model';
import { type RandomSource, randomId, randomSeed, seededRandom } from './seeded-random';

/** A charge request as it reached the gateway, before any checks. */
export interface ChargeAttempt {
  readonly authorization?: string | undefined;
  readonly idempotencyKey?: string | undefined;
  readonly body: string;
}

/** What to do with a charge request: answer it, or hold the connection and drop it (a timeout). */
export type ChargeDecision =
  | {
      readonly kind: 'respond';
      readonly status: number;
      readonly body: unknown;
      readonly headers?: Record<string, string>;
      readonly outcome: ChargeOutcome;
    }
  | { readonly kind: 'hang'; readonly hangMs: number; readonly outcome: 'timeout' };

/** Options of `FakeGatewayCore`. */
export interface FakeGatewayCoreOptions {
  /** The API key callers must send as `Authorization: Bearer <apiKey>`. */
  readonly apiKey: string;
  /** Seed of the random draws (failures, timeouts, declines, ids). Default: a random seed. */
  readonly seed?: number;
  /** The clock, for outage windows and timestamps. Default: the system clock. */
  readonly now?: () => Date;
}

const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

const zeroCounts = (): Record<ChargeOutcome, number> =>
  Object.fromEntries(ChargeOutcomes.map((outcome) => [outcome, 0])) as Record<ChargeOutcome, number>;

const sameRequest = (a: ChargeRequest, b: ChargeRequest): boolean =>
  a.amountCents === b.amountCents && a.currency === b.currency && a.reference === b.reference;

const issuesOf = (error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string[] =>
  error.issues.map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`);

/**
 * The fake payment gateway without I/O: configuration, ledger, statistics and the decision for each charge
 * request. Every decision is synchronous, so two concurrent requests under one key can never both charge.
 *
 * Order of checks: API key (401), Idempotency-Key (400), then the knobs (outage 503, timeout, injected failure),
 * then the body (400), the ledger (replay 200/402, or 422 for a key reused with another body), and declines (402).
 * Three random draws are made for every authenticated request, whatever the knobs, so a seeded run is repeatable.
 */
export class FakeGatewayCore {
  private readonly apiKey: string;
  /** The seed of this run's random draws: log it to replay a run that surprised you. */
  public readonly seed: number;
  private readonly now: () => Date;
  private random: RandomSource;
  private ids: RandomSource;
  private current: GatewayConfig = { ...DEFAULT_GATEWAY_CONFIG };
  private readonly entries = new Map<string, LedgerEntry>();
  private requests = 0;
  private counts = zeroCounts();

  public constructor({ apiKey, seed = randomSeed(), now = () => new Date() }: FakeGatewayCoreOptions) {
    if (apiKey.trim() === '') throw new Error('the fake gateway needs a non-empty apiKey');
    this.apiKey = apiKey;
    this.seed = seed;
    this.now = now;
    this.random = seededRandom(seed);
    this.ids = seededRandom(seed ^ 0x9e3779b9);
  }

  /** The current knobs. */
  public config(): GatewayConfig {
    return { ...this.current, declineForReferences: [...this.current.declineForReferences] };
  }

  /** Merges a partial configuration over the current one; invalid input changes nothing and lists its issues. */
  public updateConfig(
    update: unknown,
  ): { ok: true; config: GatewayConfig } | { ok: false; issues: string[] } {
    const parsed = GatewayConfigUpdateSchema.safeParse(update);
    if (!parsed.success) return { ok: false, issues: issuesOf(parsed.error) };
    const changes = Object.fromEntries(
      Object.entries(parsed.data).filter(([, value]) => value !== undefined),
    );
    this.current = { ...this.current, ...changes };
    return { ok: true, config: this.config() };
  }

  /** Every idempotency key seen, oldest first. */
  public ledger(): LedgerEntry[] {
    return [...this.entries.values()];
  }

  /** Request counters by outcome. */
  public stats(): GatewayStats {
    return { requests: this.requests, byOutcome: { ...this.counts } };
  }

  /** Back to a healthy gateway with an empty ledger and zero counters; random draws restart from the seed. */
  public reset(): void {
    this.current = { ...DEFAULT_GATEWAY_CONFIG };
    this.entries.clear();
    this.requests = 0;
    this.counts = zeroCounts();
    this.random = seededRandom(this.seed);
    this.ids = seededRandom(this.seed ^ 0x9e3779b9);
  }

  /** True while the outage switch is on or the outage window is open. */
  public inOutage(): boolean {
    const { outage, outageUntil } = this.current;
    return outage || (outageUntil !== null && this.now().getTime() < Date.parse(outageUntil));
  }

  /** Decides what happens to one charge request and records it. */
  public charge(attempt: ChargeAttempt): ChargeDecision {
    this.requests += 1;
    if (attempt.authorization !== `Bearer ${this.apiKey}`) {
      return this.respond('unauthorized', 401, {
        error: 'unauthorized',
        message: 'invalid or missing API key',
      });
    }
    const key = attempt.idempotencyKey?.trim() ?? '';
    if (key === '' || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      const message = `an Idempotency-Key header of 1..${MAX_IDEMPOTENCY_KEY_LENGTH} characters is required`;
      return this.respond('invalid', 400, { error: 'missing_idempotency_key', message });
    }
    const entry = this.see(key);
    const [timeoutRoll, failureRoll, declineRoll] = [this.random(), this.random(), this.random()];
    const config = this.current;
    const timesOut = timeoutRoll < config.timeoutRate;

    if (this.inOutage()) return this.respond('outage', 503, { error: 'service_unavailable' });
    if (timesOut && !config.timeoutAfterCharge) return this.hang();
    if (failureRoll < config.failureRate) {
      const status = config.failureStatus;
      return status === 429
        ? this.respond('failed', 429, { error: 'rate_limited' }, { 'retry-after': '1' })
        : this.respond('failed', status, { error: 'gateway_error' });
    }

    const json = parseJson(attempt.body);
    if (!json.ok)
      return this.respond('invalid', 400, { error: 'invalid_request', issues: ['(body): not JSON'] });
    const parsed = ChargeRequestSchema.safeParse(json.value);
    if (!parsed.success)
      return this.respond('invalid', 400, { error: 'invalid_request', issues: issuesOf(parsed.error) });
    const request = parsed.data;

    if (entry.charge !== null) {
      if (!sameRequest(entry.charge, request)) {
        const message = 'this Idempotency-Key was used with a different request body';
        return this.respond('conflict', 422, { error: 'idempotency_key_reused', message });
      }
      return timesOut ? this.hang() : this.answer('replayed', entry.charge, false);
    }

    const declined =
      config.declineForReferences.includes(request.reference) || declineRoll < config.declineRate;
    const charge: ChargeRecord = {
      ...request,
      chargeId: randomId('ch', this.ids),
      status: declined ? 'declined' : 'succeeded',
      ...(declined ? { declineCode: config.declineCode } : {}),
      createdAt: this.now().toISOString(),
    };
    this.entries.set(key, { ...entry, charge });
    if (timesOut) return this.hang();
    return this.answer(declined ? 'declined' : 'succeeded', charge, true);
  }

  private see(key: string): LedgerEntry {
    const at = this.now().toISOString();
    const previous = this.entries.get(key);
    const entry: LedgerEntry = previous
      ? { ...previous, attempts: previous.attempts + 1, lastSeenAt: at }
      : { idempotencyKey: key, attempts: 1, firstSeenAt: at, lastSeenAt: at, charge: null };
    this.entries.set(key, entry);
    return entry;
  }

  private answer(outcome: ChargeOutcome, charge: ChargeRecord, first: boolean): ChargeDecision {
    if (charge.status === 'declined') {
      return this.respond(outcome, 402, { error: 'card_declined', declineCode: charge.declineCode });
    }
    return this.respond(outcome, first ? 201 : 200, { chargeId: charge.chargeId, status: charge.status });
  }

  private hang(): ChargeDecision {
    this.counts.timeout += 1;
    return { kind: 'hang', hangMs: this.current.hangMs, outcome: 'timeout' };
  }

  private respond(
    outcome: ChargeOutcome,
    status: number,
    body: unknown,
    headers?: Record<string, string>,
  ): ChargeDecision {
    this.counts[outcome] += 1;
    return { kind: 'respond', status, body, outcome, ...(headers ? { headers } : {}) };
  }
}
