import { ConfigurationError } from '../../shared/errors';

/** Environment variables that set the local cloud's ports (flags of the main command take precedence). */
export const LocalPortEnv = {
  edge: 'BREAKWATER_EDGE_PORT',
  api: 'BREAKWATER_API_PORT',
  redisRest: 'BREAKWATER_REDIS_PORT',
  gateway: 'BREAKWATER_GATEWAY_PORT',
} as const;

/** Default ports: the edge where LocalStack's is, the rest next to it. 0 means any free port. */
export const DefaultLocalPorts = { edge: 4566, api: 4567, redisRest: 4568, gateway: 4569 } as const;

/** The ports of one local cloud instance. */
export type LocalPorts = { readonly [K in keyof typeof DefaultLocalPorts]: number };

const parsePort = (name: string, raw: string): number => {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigurationError(`${name} must be a port number from 0 to 65535, got '${raw}'`);
  }
  return port;
};

/** Ports from explicit values, else the environment, else the defaults. */
export const resolvePorts = (
  explicit: Partial<Record<keyof LocalPorts, string | number>> = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): LocalPorts => {
  const pick = (key: keyof LocalPorts): number => {
    const given = explicit[key];
    if (given !== undefined) return parsePort(`--${key}-port`, String(given));
    const fromEnv = env[LocalPortEnv[key]]?.trim();
    return fromEnv ? parsePort(LocalPortEnv[key], fromEnv) : DefaultLocalPorts[key];
  };
  return { edge: pick('edge'), api: pick('api'), redisRest: pick('redisRest'), gateway: pick('gateway') };
};
