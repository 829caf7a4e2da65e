import { randomUUID } from 'node:crypto';
import {
  buildFunctionEnvironment,
  newLogStreamName,
  type RuntimeEnvironmentSettings,
} from './environment.js';
import { EnvironmentInitError, ExecutionEnvironment } from './execution-environment.js';
import type { FunctionDefinition, InvocationResult, LogSink, RunnerObserver } from './types.js';

/** Options of a function's pool of execution environments. */
export interface FunctionPoolOptions {
  readonly definition: FunctionDefinition;
  readonly settings: RuntimeEnvironmentSettings;
  /** At most this many environments (concurrent invocations) at once. */
  readonly maxEnvironments: number;
  readonly log: LogSink;
  readonly initTimeoutMs: number;
  readonly runtimeModulesParent: string;
  /** Called as each invocation starts on its environment (fault injection kills or freezes it from here). */
  readonly onInvocation?: (environment: ExecutionEnvironment) => void;
  /** Hears each invocation's duration and outcome (AWS/Lambda metrics). */
  readonly observer?: RunnerObserver;
}

/**
 * The execution environments of one function. An invocation takes an idle environment, or starts one (a cold
 * start) while under `maxEnvironments`, or waits for one to free up. Environments stay warm until `stop()`; one
 * whose process dies (idle or busy) gives its slot back at once, so the next invocation starts a fresh one.
 */
export class FunctionPool {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly waiters: Array<() => void> = [];
  private readonly all = new Set<ExecutionEnvironment>();
  private starting = 0;
  private stopped = false;
  /** Environments started before a reload, still busy: stopped when they finish instead of kept warm. */
  private readonly stale = new Set<ExecutionEnvironment>();

  public constructor(private readonly options: FunctionPoolOptions) {}

  public get definition(): FunctionDefinition {
    return this.options.definition;
  }

  /** Runs the handler once with `event`; resolves with the result (init errors and timeouts included). */
  public async invoke(event: unknown, requestId: string = randomUUID()): Promise<InvocationResult> {
    let environment: ExecutionEnvironment;
    // Every slot taken: on AWS the invocation is throttled (and retried by its source); here it waits its turn.
    const throttled = this.idle.length === 0 && this.all.size + this.starting >= this.options.maxEnvironments;
    try {
      environment = await this.acquire();
    } catch (error) {
      if (error instanceof EnvironmentInitError) {
        this.observe(0, false, throttled);
        return { requestId, ok: false, timedOut: false, error: error.error };
      }
      throw error;
    }
    const started = performance.now();
    try {
      const pending = environment.invoke(event, requestId);
      this.options.onInvocation?.(environment);
      const result = await pending;
      this.observe(performance.now() - started, result.ok, throttled);
      return result;
    } finally {
      this.release(environment);
    }
  }

  /**
   * Makes the next invocations load the function's code afresh (watch mode rebuilt its bundle): idle environments
   * stop now, busy ones when their invocation ends; state outside the function (queues, tables) is untouched.
   */
  public async reload(): Promise<void> {
    for (const environment of this.all) this.stale.add(environment);
    const idle = this.idle.splice(0);
    await Promise.all(idle.map((environment) => environment.stop()));
    // A function that was warm is warm again on its new code: the next invocation pays no cold start.
    if (idle.length > 0 && !this.stopped) {
      void this.startEnvironment().then(
        (environment) => this.release(environment),
        () => undefined,
      );
    }
  }

  /** The environments waiting for an invocation now. */
  public idleEnvironments(): readonly ExecutionEnvironment[] {
    return this.idle.filter((environment) => environment.alive);
  }

  private observe(durationMs: number, ok: boolean, throttled: boolean): void {
    this.options.observer?.invocation?.({
      functionName: this.options.definition.functionName,
      durationMs,
      ok,
      throttled,
    });
  }

  /** Kills every environment; invocations in flight fail with `Runtime.ExitError`. */
  public async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.waiters.splice(0)) wake();
    await Promise.all([...this.all].map((environment) => environment.stop()));
  }

  private async acquire(): Promise<ExecutionEnvironment> {
    for (;;) {
      if (this.stopped)
        throw new EnvironmentInitError({ errorType: 'Runtime.Stopped', errorMessage: 'runner stopped' });
      const warm = this.idle.pop();
      if (warm?.alive) return warm;
      if (warm !== undefined) {
        this.retire(warm);
        continue;
      }
      if (this.all.size + this.starting < this.options.maxEnvironments) return this.startEnvironment();
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private async startEnvironment(): Promise<ExecutionEnvironment> {
    const { definition, settings } = this.options;
    this.starting += 1;
    try {
      const environment = await ExecutionEnvironment.start({
        definition,
        environment: buildFunctionEnvironment(definition, settings, newLogStreamName()),
        log: this.options.log,
        initTimeoutMs: this.options.initTimeoutMs,
        runtimeModulesParent: this.options.runtimeModulesParent,
      });
      this.all.add(environment);
      // A process that dies while idle would otherwise keep its slot forever: free it when it exits.
      void environment.whenExited.then(() => this.retire(environment));
      if (this.stopped) await environment.stop();
      return environment;
    } catch (error) {
      this.waiters.shift()?.();
      throw error;
    } finally {
      this.starting -= 1;
    }
  }

  private release(environment: ExecutionEnvironment): void {
    if (this.stale.delete(environment)) {
      this.all.delete(environment);
      void environment.stop();
    } else if (!environment.alive || this.stopped) {
      this.all.delete(environment);
    } else {
      this.idle.push(environment);
    }
    this.waiters.shift()?.();
  }

  /** Forgets an environment whose process is gone, and lets a waiting invocation take (or start) a slot. */
  private retire(environment: ExecutionEnvironment): void {
    const index = this.idle.indexOf(environment);
    if (index >= 0) this.idle.splice(index, 1);
    this.stale.delete(environment);
    if (this.all.delete(environment)) this.waiters.shift()?.();
  }
}
