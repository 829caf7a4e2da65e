/**
 * Trace context that Breakwater carries by hand where the SDK does not: the X-Ray trace header of the running
 * invocation onto PutEvents entries (`TraceHeader`) and onto re-sent SQS messages (`AWSTraceHeader`). Everything
 * else (the handler's subsegment, SDK calls, `fetch`) is Powertools Tracer's, wired in `withStack` and by
 * `tracer.captureAWSv3Client` where each client is built.
 */

/** The variable Lambda sets to the invocation's trace header (per invocation, so it is read at each use). */
export const TRACE_HEADER_ENV = '_X_AMZN_TRACE_ID';

// `Root=1-<8 hex>-<24 hex>` and optional `;Key=Value` parts (Parent, Sampled, Lineage): what X-Ray accepts.
const traceHeaderPattern = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}(;[A-Za-z]+=[A-Za-z0-9:_-]*)*$/;

/** Whether `value` is an X-Ray trace header that EventBridge and SQS accept. */
export const isTraceHeader = (value: string): boolean => traceHeaderPattern.test(value);

/**
 * The trace header of the running invocation, or `undefined` outside Lambda (and for a malformed value: a header
 * EventBridge or SQS would refuse must never cost the event). Read at every call, never cached: Lambda replaces it
 * for each invocation of a warm container.
 */
export const currentTraceHeader = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined => {
  const value = env[TRACE_HEADER_ENV]?.trim();
  return value !== undefined && isTraceHeader(value) ? value : undefined;
};
