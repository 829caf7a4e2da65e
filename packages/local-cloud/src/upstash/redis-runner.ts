import { Command, Pipeline, type Redis, ReplyError } from 'ioredis';
import { errorText, type RedisCommand, type RestOutcome, toRestValue } from './rest-encoding.js';

/**
 * Commands that change the state of the connection they run on. Every REST request shares one connection, so
 * these would leak into other callers' requests (or, like SUBSCRIBE and MONITOR, take the connection over).
 * Upstash refuses them over REST too; transactions go through `/multi-exec` instead of MULTI/EXEC.
 */
const CONNECTION_STATE_COMMANDS = new Set([
  'AUTH',
  'CLIENT',
  'DISCARD',
  'EXEC',
  'HELLO',
  'MONITOR',
  'MULTI',
  'PSUBSCRIBE',
  'PSYNC',
  'PUNSUBSCRIBE',
  'QUIT',
  'REPLICAOF',
  'RESET',
  'SELECT',
  'SHUTDOWN',
  'SLAVEOF',
  'SSUBSCRIBE',
  'SUBSCRIBE',
  'SUNSUBSCRIBE',
  'SYNC',
  'UNSUBSCRIBE',
  'UNWATCH',
  'WATCH',
]);

/** Commands that may block their connection; they run on a connection of their own so that others keep flowing. */
const BLOCKING_COMMANDS = new Set([
  'BLMOVE',
  'BLMPOP',
  'BLPOP',
  'BRPOP',
  'BRPOPLPUSH',
  'BZMPOP',
  'BZPOPMAX',
  'BZPOPMIN',
  'WAIT',
  'WAITAOF',
]);

const commandName = (command: RedisCommand): string => command[0].toUpperCase();

const isBlocking = (command: RedisCommand): boolean => {
  const name = commandName(command);
  if (BLOCKING_COMMANDS.has(name)) return true;
  return (name === 'XREAD' || name === 'XREADGROUP') && command.some((arg) => arg.toUpperCase() === 'BLOCK');
};

const refusal = (command: RedisCommand): string | undefined =>
  CONNECTION_STATE_COMMANDS.has(commandName(command))
    ? `ERR command '${command[0].toLowerCase()}' is not supported over REST`
    : undefined;

/**
 * A command whose reply is handed back exactly as Redis sent it, as Buffers (binary-safe). ioredis reshapes some
 * replies by command name (HGETALL into an object); the REST API must return Redis's own reply (a flat array).
 */
class RawCommand extends Command {
  public constructor(command: RedisCommand) {
    super(command[0], command.slice(1), { replyEncoding: null });
  }

  public override transformReply(result: Buffer | Buffer[]): Buffer | Buffer[] {
    return result;
  }
}

/** What an ioredis pipeline yields: `[error, reply]` per command, in order. */
type BatchReplies = ReadonlyArray<[Error | null, unknown]>;

/** Turns one `[error, reply]` into an outcome; errors that are not Redis's own (connection lost) are thrown. */
const toOutcome = ([error, reply]: [Error | null, unknown], base64: boolean): RestOutcome => {
  if (error === null) return { result: toRestValue(reply, base64) };
  if (error instanceof ReplyError) return { error: errorText(error) };
  throw error;
};

/** A transaction Redis refused as a whole (EXECABORT): nothing ran. */
export interface TransactionAborted {
  readonly aborted: string;
}

/**
 * Runs REST commands on a Redis connection. Redis errors become `{ error }` outcomes with Redis's own text;
 * anything else (the connection is gone) is thrown for the HTTP layer to answer 500.
 */
export class RedisCommandRunner {
  private readonly dedicated = new Set<Redis>();

  /** @param redis a connected ioredis client speaking RESP2 (`protocol: 2`), owned by the caller. */
  public constructor(private readonly redis: Redis) {}

  /** Runs one command (`POST /` or the URL-path form). */
  public async execute(command: RedisCommand, base64: boolean): Promise<RestOutcome> {
    const [outcome] = await this.pipeline([command], base64);
    return outcome ?? { error: 'ERR no reply from redis' };
  }

  /** Runs commands in order without atomicity (`POST /pipeline`); each gets its own outcome. */
  public async pipeline(commands: readonly RedisCommand[], base64: boolean): Promise<RestOutcome[]> {
    const runnable = commands.filter((command) => !refusal(command));
    const replies =
      runnable.length === 0
        ? []
        : await this.withConnection(runnable.some(isBlocking), (redis) => this.batch(redis, runnable));
    let next = 0;
    return commands.map((command) => {
      const refused = refusal(command);
      if (refused) return { error: refused };
      const reply = replies[next++];
      return reply ? toOutcome(reply, base64) : { error: 'ERR no reply from redis' };
    });
  }

  /**
   * Runs commands as one MULTI/EXEC transaction (`POST /multi-exec`). A command Redis refuses while queueing
   * aborts the whole transaction, as in Redis; errors while executing are reported per command.
   */
  public async multiExec(
    commands: readonly RedisCommand[],
    base64: boolean,
  ): Promise<RestOutcome[] | TransactionAborted> {
    const refused = commands.map(refusal).find((reason) => reason !== undefined);
    if (refused) return { aborted: `EXECABORT Transaction discarded because of previous errors: ${refused}` };
    // One batch on the shared connection: MULTI, the commands and EXEC are written together, so no other
    // request's command can land inside the transaction.
    const replies = await this.batch(this.redis, [['MULTI'], ...commands, ['EXEC']]);
    const [execError, execReply] = replies[replies.length - 1] ?? [new Error('no reply to EXEC'), null];
    if (execError) {
      if (!(execError instanceof ReplyError)) throw execError;
      const queueErrors = replies.slice(1, -1).flatMap(([error]) => (error ? [errorText(error)] : []));
      return { aborted: [errorText(execError), ...queueErrors].join(': ') };
    }
    const results: unknown[] = Array.isArray(execReply) ? execReply : [];
    return results.map((reply) =>
      reply instanceof Error ? { error: errorText(reply) } : { result: toRestValue(reply, base64) },
    );
  }

  /** Drops the connections opened for blocking commands; the shared connection belongs to the caller. */
  public close(): void {
    for (const connection of this.dedicated) connection.disconnect();
    this.dedicated.clear();
  }

  private async batch(redis: Redis, commands: readonly RedisCommand[]): Promise<BatchReplies> {
    const pipeline = new Pipeline(redis);
    for (const command of commands) pipeline.sendCommand(new RawCommand(command));
    return ((await pipeline.exec()) ?? []) as BatchReplies;
  }

  private async withConnection<T>(ownConnection: boolean, work: (redis: Redis) => Promise<T>): Promise<T> {
    if (!ownConnection) return work(this.redis);
    const connection = this.redis.duplicate();
    this.dedicated.add(connection);
    try {
      return await work(connection);
    } finally {
      this.dedicated.delete(connection);
      connection.disconnect();
    }
  }
}
