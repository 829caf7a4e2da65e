import { ConfigurationError } from '../errors';

/** The environment a reader reads (`process.env` by default; tests pass their own). */
export type Env = Readonly<Record<string, string | undefined>>;

/** Reads a required, non-empty (after trimming) environment variable, or throws naming it. */
export const requireEnv = (name: string, env: Env = process.env): string => {
  const value = env[name]?.trim();
  if (value === undefined || value === '') {
    throw new ConfigurationError(`environment variable ${name} is required but not set`);
  }
  return value;
};

/** Reads an optional environment variable, with a default when unset or empty. */
export const optionalEnv = (name: string, fallback: string, env: Env = process.env): string => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? fallback : value;
};

/** Reads an integer environment variable within bounds, with a default when unset; throws when malformed. */
export const intEnv = (
  name: string,
  fallback: number,
  bounds: { min?: number; max?: number } = {},
  env: Env = process.env,
): number => {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = bounds;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(
      `environment variable ${name} must be an integer in [${min}, ${max}], got '${raw}'`,
    );
  }
  return value;
};
