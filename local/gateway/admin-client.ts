import { BreakwaterError } from '../../shared/errors';
import {
  type GatewayConfig,
  GatewayConfigSchema,
  type GatewayConfigUpdate,
  type GatewayStats,
  type LedgerEntry,
} from './gateway-model';

/** The admin API answered with an unexpected status. */
export class GatewayAdminError extends BreakwaterError {
  public constructor(
    message: string,
    public readonly status: number,
    public readonly body: string,
  ) {
    super(message);
    this.name = 'GatewayAdminError';
  }
}

/**
 * A typed client of the fake payment gateway's admin API (`/__admin`), for tests and the local cloud's demo:
 * set knobs, read the ledger and counters, reset between tests.
 */
export class GatewayAdminClient {
  private readonly baseUrl: string;

  /**
   * @param adminUrl the admin base URL, `<gateway url>/__admin`.
   * @param fetchImpl the fetch to use. Default: the global fetch.
   */
  public constructor(
    adminUrl: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.baseUrl = adminUrl.replace(/\/+$/, '');
  }

  /** The current knobs. */
  public async getConfig(): Promise<GatewayConfig> {
    return GatewayConfigSchema.parse(await this.request('GET', '/config'));
  }

  /** Merges knobs over the current configuration and returns the result. Throws on invalid knobs (400). */
  public async updateConfig(update: GatewayConfigUpdate): Promise<GatewayConfig> {
    return GatewayConfigSchema.parse(await this.request('PUT', '/config', update));
  }

  /** Switches the outage on: for `durationMs` from now, or until `endOutage` when no duration is given. */
  public async startOutage(durationMs?: number): Promise<GatewayConfig> {
    return durationMs === undefined
      ? this.updateConfig({ outage: true })
      : this.updateConfig({ outageUntil: new Date(Date.now() + durationMs).toISOString() });
  }

  /** Ends any outage, switched or windowed. */
  public async endOutage(): Promise<GatewayConfig> {
    return this.updateConfig({ outage: false, outageUntil: null });
  }

  /** Every idempotency key the gateway has seen, oldest first, with attempts and the charge made. */
  public async ledger(): Promise<LedgerEntry[]> {
    const body = (await this.request('GET', '/ledger')) as { entries: LedgerEntry[] };
    return body.entries;
  }

  /** The ledger entry of one idempotency key, if the gateway has seen it. */
  public async ledgerEntry(idempotencyKey: string): Promise<LedgerEntry | undefined> {
    return (await this.ledger()).find((entry) => entry.idempotencyKey === idempotencyKey);
  }

  /** Request counters by outcome. */
  public async stats(): Promise<GatewayStats> {
    return (await this.request('GET', '/stats')) as GatewayStats;
  }

  /** Healthy defaults, empty ledger, zero counters, random draws restarted from the seed. */
  public async reset(): Promise<void> {
    await this.request('POST', '/reset');
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await this.fetchImpl(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new GatewayAdminError(
        `${method} ${path} answered ${response.status}: ${text}`,
        response.status,
        text,
      );
    }
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }
}
