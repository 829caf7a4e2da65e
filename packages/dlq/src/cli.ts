import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCodes, HELP } from './cli-help.js';
import { renderDlqList, renderPeek, renderReplaySummary, reportProgress } from './cli-output.js';
import { type ClientSettings, createClients } from './clients.js';
import { type DiscoveryOptions, listDlqs } from './discovery.js';
import { PermissionDeniedError, QueueNotFoundError, UsageError } from './errors.js';
import { nativeRedrive } from './native.js';
import { peekMessages } from './peek.js';
import { resolveQueue } from './queues.js';
import { type ReplayOptions, replayDlq } from './replay.js';
import { hasFailures } from './report.js';
import type { ReplayClients } from './senders.js';
import type { EventCheck } from './types.js';

/** A parsed command line. */
export type CliCommand =
  /** `asked`: --help or `help`; without it, no command was given (a usage error). */
  | { readonly kind: 'help'; readonly asked: boolean }
  | {
      readonly kind: 'list';
      readonly json: boolean;
      readonly client: ClientSettings;
      readonly discovery: DiscoveryOptions;
    }
  | {
      readonly kind: 'peek';
      readonly json: boolean;
      readonly client: ClientSettings;
      readonly queue: string;
      readonly max: number;
      readonly full: boolean;
    }
  | {
      readonly kind: 'replay';
      readonly json: boolean;
      readonly client: ClientSettings;
      readonly queue: string;
      readonly native: boolean;
      readonly reportPath: string | undefined;
      readonly options: Omit<ReplayOptions, 'signal' | 'onProgress'>;
    };

const options = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
  pattern: { type: 'string' },
  prefix: { type: 'string' },
  queue: { type: 'string', multiple: true },
  peek: { type: 'boolean', default: true },
  max: { type: 'string' },
  full: { type: 'boolean' },
  type: { type: 'string', multiple: true },
  since: { type: 'string' },
  until: { type: 'string' },
  'error-code': { type: 'string', multiple: true },
  where: { type: 'string', multiple: true },
  ids: { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
  keep: { type: 'boolean' },
  'keep-reason': { type: 'boolean' },
  rate: { type: 'string' },
  to: { type: 'string' },
  'via-bus': { type: 'boolean' },
  bus: { type: 'string' },
  native: { type: 'boolean' },
  report: { type: 'string' },
  concurrency: { type: 'string' },
} as const;

const positive = (flag: string, text: string | undefined, integer: boolean): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${flag} must be a positive ${integer ? 'integer' : 'number'}, got '${text}'`);
  }
  return value;
};

const list = (values: readonly string[] | undefined): string[] | undefined =>
  values?.flatMap((value) => value.split(',')).filter((value) => value.trim() !== '');

/** Parses argv (without the node and script paths). Throws `UsageError`. Pure. */
export const parseCliArgs = (argv: readonly string[]): CliCommand => {
  let parsed: ReturnType<
    typeof parseArgs<{ options: typeof options; allowPositionals: true; allowNegative: true }>
  >;
  try {
    parsed = parseArgs({
      args: [...argv],
      options,
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [command, queue, ...extra] = positionals;
  if (values.help === true || command === 'help') return { kind: 'help', asked: true };
  if (command === undefined) return { kind: 'help', asked: false };
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const json = values.json === true;
  const client: ClientSettings = {
    ...(values.region === undefined ? {} : { region: values.region }),
    ...(values['endpoint-url'] === undefined ? {} : { endpoint: values['endpoint-url'] }),
  };
  if (command === 'list') {
    if (queue !== undefined) throw new UsageError('list takes no queue; use --queue or --pattern');
    const discovery: DiscoveryOptions = {
      peek: values.peek,
      ...(values.pattern === undefined ? {} : { namePattern: values.pattern }),
      ...(values.prefix === undefined ? {} : { prefix: values.prefix }),
      ...(values.queue === undefined ? {} : { queues: values.queue }),
    };
    return { kind: 'list', json, client, discovery };
  }
  if (command !== 'peek' && command !== 'replay') {
    throw new UsageError(`unknown command '${command}': use list, peek or replay (--help for more)`);
  }
  if (queue === undefined) throw new UsageError(`${command} needs a queue (URL, ARN or name)`);
  const max = positive('max', values.max, true);
  if (command === 'peek')
    return { kind: 'peek', json, client, queue, max: max ?? 10, full: values.full === true };
  const selection = {
    ...(values.type === undefined ? {} : { types: list(values.type) }),
    ...(values.since === undefined ? {} : { since: values.since }),
    ...(values.until === undefined ? {} : { until: values.until }),
    ...(values['error-code'] === undefined ? {} : { errorCodes: list(values['error-code']) }),
    ...(values.where === undefined ? {} : { where: values.where }),
    ...(values.ids === undefined ? {} : { ids: list(values.ids) }),
  };
  const native = values.native === true;
  const viaBus = values['via-bus'] === true;
  if (values.bus !== undefined && !viaBus) throw new UsageError('--bus only goes with --via-bus');
  if (viaBus && values.to !== undefined) throw new UsageError('--to and --via-bus exclude each other');
  const filtered = Object.keys(selection).length > 0;
  if (
    native &&
    (filtered ||
      values['dry-run'] === true ||
      values.keep === true ||
      values['keep-reason'] === true ||
      max !== undefined ||
      viaBus)
  ) {
    throw new UsageError(
      '--native moves everything as is: it cannot be combined with a selection, --dry-run, --keep, --keep-reason, --max or --via-bus',
    );
  }
  const rate = positive('rate', values.rate, false);
  const concurrency = positive('concurrency', values.concurrency, true);
  return {
    kind: 'replay',
    json,
    client,
    queue,
    native,
    reportPath: values.report,
    options: {
      selection,
      dryRun: values['dry-run'] === true,
      keep: values.keep === true,
      keepFailureReason: values['keep-reason'] === true,
      viaBus,
      ...(max === undefined ? {} : { max }),
      ...(rate === undefined ? {} : { ratePerSecond: rate }),
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(values.to === undefined ? {} : { to: values.to }),
      ...(values.bus === undefined ? {} : { busName: values.bus }),
    },
  };
};

/**
 * Where the CLI writes and how it reaches AWS; tests inject their own.
 *
 * @example
 * ```ts
 * const io: CliIo = { stdout: process.stdout, stderr: process.stderr, signal: AbortSignal.timeout(60_000) };
 * ```
 */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly createClients?: (settings: ClientSettings) => ReplayClients;
  /**
   * Turns what the operator typed into a queue the SQS calls take, given the command's clients and settings.
   * Default: as typed (a URL, an ARN or a name). Breakwater's bin resolves friendly names (stack outputs, tags).
   */
  readonly queueNames?: (
    clients: ReplayClients,
    settings: ClientSettings,
  ) => (reference: string) => Promise<string>;
  /** Aborting stops a replay cleanly (the bin wires Ctrl-C to it). */
  readonly signal?: AbortSignal;
  /** The consumers' contract: envelopes it refuses are shown as malformed and never replayed. Default: none. */
  readonly checkEvent?: EventCheck;
}

/**
 * Options of {@link main}.
 *
 * @example
 * ```ts
 * await main({ checkEvent: (envelope) => (isMyEvent(envelope) ? undefined : 'not one of our events') });
 * ```
 */
export interface MainOptions extends Pick<CliIo, 'checkEvent' | 'createClients' | 'queueNames'> {}

/** True for the SDK's "no region" and "no credentials" errors: configuration, not a failure of the call. */
const isMissingConfiguration = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'CredentialsProviderError' ||
    /could not load credentials|region is missing/i.test(error.message));

/**
 * The exit code for an error that ended a command, by its class (or name, for errors carried in a report).
 *
 * @example
 * ```ts
 * import { exitCodeFor, ExitCodes } from '@breakwater/dlq/cli';
 *
 * exitCodeFor(new QueueNotFoundError('billing-dlq')) === ExitCodes.queueNotFound; // true
 * ```
 */
export const exitCodeFor = (error: unknown): number => {
  const name = error instanceof Error ? error.name : typeof error === 'string' ? error : '';
  if (error instanceof UsageError || name === 'UsageError' || name === 'AmbiguousNameError')
    return ExitCodes.usage;
  if (isMissingConfiguration(error)) return ExitCodes.usage;
  if (error instanceof QueueNotFoundError || name === 'QueueNotFoundError') return ExitCodes.queueNotFound;
  if (error instanceof PermissionDeniedError || name === 'PermissionDeniedError')
    return ExitCodes.permissionDenied;
  return ExitCodes.someFailed;
};

/** A hint for the errors an operator meets first: no region, no credentials, no endpoint. */
const hintFor = (error: unknown, message: string): string => {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (/region is missing/i.test(message)) return ' (set AWS_REGION or pass --region)';
  if (/could not load credentials/i.test(message))
    return ' (set AWS_PROFILE or credentials in the environment)';
  if (typeof code === 'string' && ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET'].includes(code)) {
    return ' (cannot reach the endpoint: check AWS_ENDPOINT_URL / --endpoint-url and that it is running)';
  }
  return '';
};

/** Where replay reports go unless `--report` names a file. */
export const REPORTS_DIRECTORY = 'dlq-reports';

const fileSafe = (text: string): string => text.replace(/[^A-Za-z0-9._-]+/g, '-');

const runReplay = async (
  command: Extract<CliCommand, { kind: 'replay' }>,
  clients: ReplayClients,
  io: CliIo,
): Promise<number> => {
  const progress = reportProgress(io.stderr);
  if (command.native) {
    const final = await nativeRedrive(clients.sqs, command.queue, {
      ...(command.options.to === undefined ? {} : { to: command.options.to }),
      ...(command.options.ratePerSecond === undefined
        ? {}
        : { ratePerSecond: command.options.ratePerSecond }),
      ...(io.signal === undefined ? {} : { signal: io.signal }),
      onProgress: progress.native,
    });
    progress.done();
    io.stdout.write(
      command.json ? `${JSON.stringify(final)}\n` : `move task ${final.status}: ${final.moved} moved\n`,
    );
    if (final.status === 'COMPLETED') return ExitCodes.ok;
    return io.signal?.aborted === true ? ExitCodes.interrupted : ExitCodes.someFailed;
  }
  // The first line of a replay: once it is out, Ctrl-C stops cleanly (the bin wired the signal before the run).
  io.stderr.write(`started: replay from ${command.queue}${command.options.dryRun ? ' (dry run)' : ''}\n`);
  const report = await replayDlq(clients, command.queue, {
    ...command.options,
    ...(io.checkEvent === undefined ? {} : { checkEvent: io.checkEvent }),
    ...(io.signal === undefined ? {} : { signal: io.signal }),
    onProgress: progress.replay,
  });
  progress.done();
  const path =
    command.reportPath ??
    join(REPORTS_DIRECTORY, `dlq-replay-${fileSafe(report.queue.name)}-${fileSafe(report.startedAt)}.json`);
  const text = `${JSON.stringify(report, null, 2)}\n`;
  if (command.json) io.stdout.write(text);
  if (!command.json || command.reportPath !== undefined) {
    if (command.reportPath === undefined) await mkdir(REPORTS_DIRECTORY, { recursive: true });
    await writeFile(path, text);
    // With --json, stdout carries the report alone.
    (command.json ? io.stderr : io.stdout).write(renderReplaySummary(report, path));
  }
  if (report.error !== undefined) {
    io.stderr.write(`error: ${report.error.message}\n`);
    return exitCodeFor(report.error.name);
  }
  if (report.interrupted) return ExitCodes.interrupted;
  return hasFailures(report) ? ExitCodes.someFailed : ExitCodes.ok;
};

/** The command with every queue an operator named (friendly names included) turned into what SQS takes. */
const withQueueUrls = async (
  command: Exclude<CliCommand, { kind: 'help' }>,
  resolve: (name: string) => Promise<string>,
): Promise<Exclude<CliCommand, { kind: 'help' }>> => {
  switch (command.kind) {
    case 'list': {
      const queues = command.discovery.queues;
      if (queues === undefined) return command;
      return {
        ...command,
        discovery: { ...command.discovery, queues: await Promise.all(queues.map(resolve)) },
      };
    }
    case 'peek':
      return { ...command, queue: await resolve(command.queue) };
    case 'replay': {
      const to = command.options.to === undefined ? undefined : await resolve(command.options.to);
      return {
        ...command,
        queue: await resolve(command.queue),
        options: { ...command.options, ...(to === undefined ? {} : { to }) },
      };
    }
  }
};

/**
 * Runs one command line and returns its exit code; prints errors plainly, never a stack trace.
 *
 * @example
 * ```ts
 * import { runCli } from '@breakwater/dlq/cli';
 *
 * process.exitCode = await runCli(['replay', 'billing-dlq', '--dry-run'], { stdout: process.stdout, stderr: process.stderr });
 * ```
 */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  let command: CliCommand;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    io.stderr.write(
      `error: ${error instanceof Error ? error.message : String(error)}\nRun with --help for usage.\n`,
    );
    return ExitCodes.usage;
  }
  if (command.kind === 'help') {
    (command.asked ? io.stdout : io.stderr).write(HELP);
    return command.asked ? ExitCodes.ok : ExitCodes.usage;
  }
  try {
    const clients = (io.createClients ?? createClients)(command.client);
    const resolveName =
      io.queueNames?.(clients, command.client) ?? ((name: string) => Promise.resolve(name.trim()));
    command = await withQueueUrls(command, resolveName);
    switch (command.kind) {
      case 'list': {
        const dlqs = await listDlqs(clients.sqs, command.discovery);
        io.stdout.write(command.json ? `${JSON.stringify(dlqs, null, 2)}\n` : renderDlqList(dlqs));
        return ExitCodes.ok;
      }
      case 'peek': {
        const queue = await resolveQueue(clients.sqs, command.queue);
        const messages = await peekMessages(clients.sqs, queue, {
          max: command.max,
          ...(io.checkEvent === undefined ? {} : { checkEvent: io.checkEvent }),
        });
        // Receipt handles are spent (the messages were released): leave them out.
        const shown = messages.map(({ receiptHandle: _, ...message }) => message);
        const text = command.json
          ? `${JSON.stringify(shown, null, 2)}\n`
          : renderPeek(queue, messages, command.full);
        io.stdout.write(text);
        return ExitCodes.ok;
      }
      case 'replay':
        return await runReplay(command, clients, io);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`error: ${message}${hintFor(error, message)}\n`);
    return exitCodeFor(error);
  }
};

/**
 * The bin's entry: runs the command line of this process and sets its exit code; Ctrl-C once stops cleanly,
 * twice exits at once.
 *
 * @example
 * ```ts
 * #!/usr/bin/env node
 * import { main } from '@breakwater/dlq/cli';
 * // A bin of your own that checks envelopes with your contract before replaying them:
 * await main({ checkEvent: (envelope) => (isMyEvent(envelope) ? undefined : 'not one of our events') });
 * ```
 */
export const main = async (options: MainOptions = {}): Promise<void> => {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(ExitCodes.interrupted);
    process.stderr.write(
      '\nstopping: sends under way settle, held messages become visible (Ctrl-C again to quit now)\n',
    );
    controller.abort();
  });
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
    ...options,
  });
};
