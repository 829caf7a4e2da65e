/**
 * Exit codes both operator CLIs (`breakwater-dlq`, `breakwater-breaker`) use, so scripts can treat them alike:
 * 2 is anything the operator must fix before retrying (bad arguments, no command, no region, no credentials, no
 * table), 3 a queue or circuit that does not exist.
 */
export const OperatorExitCodes = {
  ok: 0,
  failed: 1,
  usage: 2,
  notFound: 3,
  permissionDenied: 4,
  interrupted: 130,
} as const;

/** True for the SDK's "no region" and "no credentials" errors: configuration, not a failure of the call. */
export const isMissingConfiguration = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  return (
    error.name === 'CredentialsProviderError' ||
    /could not load credentials|region is missing/i.test(error.message)
  );
};
