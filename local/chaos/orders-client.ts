import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

/** An answer of the orders API; `status` 0 when the request never got one (a network error or timeout). */
export interface OrdersAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * A client of the orders API as a real caller uses it: requests signed with SigV4 (`execute-api`), and a timeout on
 * every request. The local front takes the caller from the access key, so orders are read back as the same key.
 */
export class SignedOrdersClient {
  private readonly signer: SignatureV4;

  public constructor(
    private readonly apiUrl: string,
    region: string,
    credentials = { accessKeyId: 'chaos-driver', secretAccessKey: 'chaos-driver' },
    private readonly timeoutMs = 30_000,
  ) {
    this.signer = new SignatureV4({
      service: 'execute-api',
      region,
      credentials,
      sha256: Hash.bind(null, 'sha256'),
    });
  }

  public async request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<OrdersAnswer> {
    const url = new URL(`${this.apiUrl}${path}`);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const signed = await this.signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port === '' ? {} : { port: Number(url.port) }),
      path: url.pathname,
      headers: {
        host: url.host,
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(payload === undefined ? {} : { body: payload }),
    });
    const { host: _host, ...sendable } = signed.headers as Record<string, string>;
    try {
      const response = await fetch(url, {
        method,
        headers: sendable,
        ...(payload === undefined ? {} : { body: payload }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed };
    } catch (error) {
      return { status: 0, body: error instanceof Error ? error.message : String(error) };
    }
  }
}
