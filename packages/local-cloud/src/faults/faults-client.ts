import { LocalCloudError } from '../support/errors.js';
import type { FaultRule, FaultSpecInput } from './fault-model.js';

/** The fault API answered with an unexpected status. */
export class FaultsApiError extends LocalCloudError {
  public constructor(
    message: string,
    public readonly status: number,
    public readonly issues: readonly string[] = [],
  ) {
    super(message);
    this.name = 'FaultsApiError';
  }
}

/** A typed client of the edge's fault API (`<edge>/_breakwater/faults`), for the CLI, tests and the chaos suite. */
export class FaultsClient {
  readonly #url: string;

  /** @param faultsUrl `LocalCloudEndpoints.faultsUrl`, i.e. `<edge url>/_breakwater/faults`. */
  public constructor(
    faultsUrl: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.#url = faultsUrl.replace(/\/+$/, '');
  }

  /** Adds a rule; immediate kinds (Redis outage, gateway knobs, idle workers) have acted when this resolves. */
  public async add(spec: FaultSpecInput): Promise<FaultRule> {
    return (await this.#request('POST', '', spec)) as FaultRule;
  }

  /** Every rule with its hit count. */
  public async list(): Promise<FaultRule[]> {
    return ((await this.#request('GET', '')) as { faults: FaultRule[] }).faults;
  }

  /** Removes every rule (outages end, gateway knobs go back to healthy); returns how many. */
  public async clear(): Promise<number> {
    return ((await this.#request('DELETE', '')) as { cleared: number }).cleared;
  }

  /** Removes one rule. */
  public async remove(id: string): Promise<void> {
    await this.#request('DELETE', `/${encodeURIComponent(id)}`);
  }

  async #request(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await this.fetchImpl(`${this.#url}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (!response.ok) {
      const issues = (parsed as { issues?: string[] } | undefined)?.issues ?? [];
      throw new FaultsApiError(
        `${method} ${this.#url}${path} answered ${response.status}: ${text}`,
        response.status,
        issues,
      );
    }
    return parsed;
  }
}
