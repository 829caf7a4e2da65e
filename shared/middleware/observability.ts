import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** CloudWatch namespace of Breakwater's metrics when `POWERTOOLS_METRICS_NAMESPACE` is not set (infra sets it per stage). */
export const METRICS_NAMESPACE = 'Breakwater';

/**
 * The logging port that use-cases receive. Powertools' `Logger` satisfies it; tests pass a recording fake. Attributes
 * are structured keys, never whole payloads.
 */
export interface Log {
  debug(message: string, ...attributes: Record<string, unknown>[]): void;
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}

/** The metrics port that use-cases receive. Powertools' `Metrics` satisfies it. */
export interface MetricsRecorder {
  addMetric(name: string, unit: (typeof MetricUnit)[keyof typeof MetricUnit], value: number): void;
}

/** The logger, metrics and tracer of one function; created once per container, shared by every invocation. */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /**
   * X-Ray through Powertools: the handler's subsegment (see `withStack`), every SDK client passed through
   * `tracer.captureAWSv3Client`, and every `fetch` (the payment gateway, Upstash) as a subsegment of its own. It is
   * off outside Lambda (no `AWS_EXECUTION_ENV`) and with `POWERTOOLS_TRACE_ENABLED=false`; then every call is a no-op.
   */
  readonly tracer: Tracer;
}

/**
 * Creates the logger, metrics and tracer of a function. The namespace is the stage's (`POWERTOOLS_METRICS_NAMESPACE`,
 * set by infra to `Breakwater/<stage>`, which the alarms query), so stages sharing an account never mix their
 * metrics; the service name is fixed here so dashboards and traces do not depend on deploy-time settings.
 */
export const createObservability = (serviceName: string): Observability => {
  const logger = new Logger({ serviceName });
  // Metrics report their own warnings through the function's logger: structured, and subject to its level.
  const namespace = process.env.POWERTOOLS_METRICS_NAMESPACE?.trim() || METRICS_NAMESPACE;
  return {
    logger,
    metrics: new Metrics({ namespace, serviceName, logger }),
    tracer: new Tracer({ serviceName }),
  };
};

/**
 * A short, log-safe description of an error: its name, message (truncated: some client errors echo the whole
 * request) and, for our own errors, nothing else. Use it instead of logging the error object with its payload.
 */
export const describeError = (error: unknown): { errorName: string; errorMessage: string } => {
  if (error instanceof Error) {
    const message = error.message.length > 300 ? `${error.message.slice(0, 300)}…` : error.message;
    return { errorName: error.name, errorMessage: message };
  }
  return { errorName: typeof error, errorMessage: String(error).slice(0, 300) };
};

export { MetricUnit };
