import type { Log, MetricsRecorder } from '../../shared/middleware/observability';

/** One recorded log line. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly attributes: Record<string, unknown>;
}

/** A `Log` that keeps its lines, so tests can assert on what was logged and at which level. */
export class RecordingLog implements Log {
  public readonly lines: LogLine[] = [];

  public debug(message: string, ...attributes: Record<string, unknown>[]): void {
    this.#record('debug', message, attributes);
  }
  public info(message: string, ...attributes: Record<string, unknown>[]): void {
    this.#record('info', message, attributes);
  }
  public warn(message: string, ...attributes: Record<string, unknown>[]): void {
    this.#record('warn', message, attributes);
  }
  public error(message: string, ...attributes: Record<string, unknown>[]): void {
    this.#record('error', message, attributes);
  }

  /** Lines at `level`. */
  public at(level: LogLine['level']): LogLine[] {
    return this.lines.filter((line) => line.level === level);
  }

  #record(level: LogLine['level'], message: string, attributes: Record<string, unknown>[]): void {
    this.lines.push({ level, message, attributes: Object.assign({}, ...attributes) });
  }
}

/** A `MetricsRecorder` that keeps what was added. */
export class RecordingMetrics implements MetricsRecorder {
  public readonly added: { name: string; unit: string; value: number }[] = [];

  public addMetric(name: string, unit: string, value: number): void {
    this.added.push({ name, unit, value });
  }

  /** Sum of the values added under `name`. */
  public total(name: string): number {
    return this.added.filter((metric) => metric.name === name).reduce((sum, metric) => sum + metric.value, 0);
  }
}
