import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Observability } from '../../shared/middleware/observability';

/**
 * Real Powertools logger, metrics and tracer that stay quiet: the logger at SILENT, metrics disabled (they would
 * otherwise print EMF blobs into the test output), the tracer disabled (tests of tracing build their own).
 */
export const quietObservability = (serviceName = 'test'): Observability => {
  const previous = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    const logger = new Logger({ serviceName, logLevel: 'SILENT' });
    // Metrics warn through their logger (e.g. "no application metrics to publish"): keep that quiet too.
    return {
      logger,
      metrics: new Metrics({ namespace: 'BreakwaterTest', serviceName, logger }),
      tracer: new Tracer({ serviceName, enabled: false }),
    };
  } finally {
    if (previous === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = previous;
  }
};
