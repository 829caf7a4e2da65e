import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { BootstrapArguments, EnvironmentMessage, InvokeMessage } from './protocol.js';
import type { FunctionDefinition, FunctionError, InvocationResult, LogSink } from './types.js';

// From the sources the bootstrap is TypeScript (Node strips its types); from the build, JavaScript.
const bootstrapPath = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? './bootstrap.ts' : './bootstrap.js', import.meta.url),
);

const running = new Set<ChildProcess>();
let exitHookInstalled = false;
const trackChild = (child: ChildProcess) => {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // A synchronous kill when the runner's process exits without stop(): no environment outlives it.
    process.once('exit', () => {
      for (const orphan of running) orphan.kill('SIGKILL');
    });
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
};

/** Options of one execution environment. */
export interface ExecutionEnvironmentOptions {
  readonly definition: FunctionDefinition;
  /** The complete environment of the child process (nothing is inherited from the runner). */
  readonly environment: Readonly<Record<string, string>>;
  readonly log: LogSink;
  /** Lambda gives the init phase 10 s. */
  readonly initTimeoutMs: number;
  /** A file URL from which runtime-provided modules (`@aws-sdk/*`) resolve. */
  readonly runtimeModulesParent: string;
}

/** The init phase failed: every invocation that needed this environment fails with `error`. */
export class EnvironmentInitError extends Error {
  public constructor(public readonly error: FunctionError) {
    super(`${error.errorType}: ${error.errorMessage}`);
    this.name = 'EnvironmentInitError';
  }
}

/** An X-Ray trace header, unsampled. */
const newTraceId = (): string =>
  `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;

interface Pending {
  readonly requestId: string;
  readonly resolve: (result: InvocationResult) => void;
  readonly timer: NodeJS.Timeout;
}

const pipeLines = (stream: NodeJS.ReadableStream | null, emit: (line: string) => void) => {
  let buffered = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) emit(line);
  });
  stream?.on('end', () => {
    if (buffered !== '') emit(buffered);
  });
};

/**
 * One Lambda execution environment: a child process with the function's own environment variables, running one
 * invocation at a time. A timed-out invocation kills the process (Lambda resets the environment too), so the next
 * invocation gets a fresh one (a cold start).
 */
export class ExecutionEnvironment {
  private pending: Pending | undefined;
  private exited = false;
  private killed = false;
  private readonly exit: Promise<unknown>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly options: ExecutionEnvironmentOptions,
  ) {
    child.on('message', (message: EnvironmentMessage) => this.onMessage(message));
    this.exit = new Promise((resolve) => child.once('exit', resolve));
    child.once('exit', (code, signal) => this.onExit(code, signal));
  }

  /** Spawns the environment and runs the init phase; throws `EnvironmentInitError` when the handler cannot load. */
  public static async start(options: ExecutionEnvironmentOptions): Promise<ExecutionEnvironment> {
    const { definition } = options;
    const args: BootstrapArguments = {
      codeDirectory: definition.codeDirectory,
      handler: definition.handler,
      runtimeModulesParent: options.runtimeModulesParent,
      functionArn: definition.functionArn,
    };
    const child = fork(
      bootstrapPath,
      [args.codeDirectory, args.handler, args.runtimeModulesParent, args.functionArn],
      {
        cwd: definition.codeDirectory,
        env: { ...options.environment },
        // Never inherit the runner's loaders (tsx, vitest): the function runs its bundle under plain Node, as on Lambda.
        execArgv: [],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        serialization: 'json',
      },
    );
    trackChild(child);
    const logStream = options.environment.AWS_LAMBDA_LOG_STREAM_NAME;
    const logGroup =
      options.environment.AWS_LAMBDA_LOG_GROUP_NAME ?? `/aws/lambda/${definition.functionName}`;
    const emit =
      logStream === undefined
        ? (line: string) => options.log(definition.functionName, line)
        : (line: string) => options.log(definition.functionName, line, { logGroup, logStream });
    pipeLines(child.stdout, emit);
    pipeLines(child.stderr, emit);
    const environment = new ExecutionEnvironment(child, options);
    const ready = new Promise<void>((resolve, reject) => {
      const fail = (error: FunctionError) => {
        clearTimeout(timer);
        reject(new EnvironmentInitError(error));
      };
      const timer = setTimeout(
        () =>
          fail({
            errorType: 'Runtime.InitTimeout',
            errorMessage: `init phase exceeded ${options.initTimeoutMs} ms`,
          }),
        options.initTimeoutMs,
      );
      child.on('message', (message: EnvironmentMessage) => {
        if (message.type === 'init-error') fail(message.error);
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code) =>
        fail({ errorType: 'Runtime.ExitError', errorMessage: `exit status ${code}` }),
      );
      child.once('error', (error) => fail({ errorType: 'Runtime.ExitError', errorMessage: error.message }));
    });
    try {
      await ready;
    } catch (error) {
      await environment.stop();
      throw error;
    }
    return environment;
  }

  /** Resolves when the process has exited, however it ended (killed, crashed, or stopped). */
  public get whenExited(): Promise<void> {
    return this.exit.then(() => undefined);
  }

  /** True while the process runs and can take an invocation. */
  public get alive(): boolean {
    return !this.exited && !this.killed;
  }

  /** True while an invocation runs. */
  public get busy(): boolean {
    return this.pending !== undefined;
  }

  /** Fault injection: kills the process now, as a crashed worker; an invocation in flight fails (`Runtime.ExitError`). */
  public crash(): void {
    if (!this.exited) this.kill();
  }

  /** Fault injection: stops the process (SIGSTOP) for `ms`, then lets it go on; the function timeout still runs. */
  public freeze(ms: number): void {
    if (this.exited) return;
    this.child.kill('SIGSTOP');
    setTimeout(() => {
      if (!this.exited) this.child.kill('SIGCONT');
    }, ms).unref();
  }

  /** Runs one invocation; resolves (never rejects) with its result. Enforces the function timeout. */
  public invoke(event: unknown, requestId: string): Promise<InvocationResult> {
    const { definition, log } = this.options;
    if (this.pending !== undefined) throw new Error('an execution environment runs one invocation at a time');
    const timeoutMs = definition.timeoutSeconds * 1000;
    if (!this.alive) {
      return Promise.resolve({
        requestId,
        ok: false,
        timedOut: false,
        error: {
          errorType: 'Runtime.ExitError',
          errorMessage: `RequestId: ${requestId} Error: environment stopped`,
        },
      });
    }
    return new Promise<InvocationResult>((resolve) => {
      const timer = setTimeout(() => {
        const message = `Task timed out after ${definition.timeoutSeconds.toFixed(2)} seconds`;
        log(definition.functionName, `${new Date().toISOString()} ${requestId} ${message}`);
        this.settle({
          requestId,
          ok: false,
          timedOut: true,
          error: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: ${message}` },
        });
        this.kill();
      }, timeoutMs);
      this.pending = { requestId, resolve, timer };
      const message: InvokeMessage = {
        type: 'invoke',
        requestId,
        event,
        deadlineMs: Date.now() + timeoutMs,
        traceId: newTraceId(),
      };
      this.child.send(message);
    });
  }

  /** Ends the process (and fails the invocation in flight, if any). */
  public async stop(): Promise<void> {
    if (this.exited) return;
    this.kill();
    await this.exit;
  }

  private kill(): void {
    this.killed = true;
    this.child.kill('SIGKILL');
  }

  private settle(result: InvocationResult): void {
    const pending = this.pending;
    if (pending === undefined || pending.requestId !== result.requestId) return;
    clearTimeout(pending.timer);
    this.pending = undefined;
    pending.resolve(result);
  }

  private onMessage(message: EnvironmentMessage): void {
    if (message.type !== 'result') return;
    if (message.ok) {
      this.settle({
        requestId: message.requestId,
        ok: true,
        payload: JSON.parse(message.payload) as unknown,
      });
    } else {
      this.settle({ requestId: message.requestId, ok: false, timedOut: false, error: message.error });
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.exited = true;
    const pending = this.pending;
    if (pending === undefined) return;
    const status = signal === null ? `exit status ${code}` : `signal ${signal}`;
    this.settle({
      requestId: pending.requestId,
      ok: false,
      timedOut: false,
      error: {
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${pending.requestId} Error: Runtime exited with error: ${status}`,
      },
    });
  }
}
