import { ConfigurationError } from './errors.js';

/**
 * An integer environment variable: `fallback` when unset or blank, else its value within `bounds`; anything else is
 * a {@link ConfigurationError} naming the variable (a typo must not silently become the default).
 */
export const intEnv = (
  name: string,
  fallback: number,
  bounds: { min?: number; max?: number } = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
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
