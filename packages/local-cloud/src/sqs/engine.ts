import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../support/aws-protocol.js';
import type { ActionHandler } from './actions/context.js';
import { SQS_ACTIONS } from './actions/index.js';
import { SqsErrors } from './errors.js';
import { serveSqsHttp } from './http.js';
import { decodeInput, isSqsAction, type SqsAction } from './input.js';
import { MoveTasks } from './move-tasks.js';
import { type SqsRequestContext, SqsStore } from './store.js';

/** Options of {@link createSqsEngine}; every one has a default. */
export interface SqsEngineOptions {
  /** Region of requests that carry none, and whose queues have path URLs without a region; default `us-east-1`. */
  readonly region?: string;
  /** The account of every queue; default `000000000000`. */
  readonly accountId?: string;
  /** SenderId of sent messages (AWS: the sender's IAM user or role id); default the account id. */
  readonly senderId?: string;
  /** Where unexpected failures are reported; default: nowhere. */
  readonly log?: (message: string) => void;
}

/** The local SQS engine: every SQS action, over either protocol, in this process. */
export interface SqsEngine {
  readonly store: SqsStore;
  readonly region: string;
  /** Runs one action with JSON-protocol members (validated as AWS validates them); throws SqsServiceError. */
  run(action: string, input: unknown, request: SqsRequestContext): Promise<unknown>;
  /** Serves one HTTP request whose body has been read (the edge hands SQS requests over this way). */
  serve(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    options?: {
      readonly requestId?: string;
      readonly region?: string | undefined;
      readonly defaultHost?: string;
    },
  ): Promise<void>;
  /** Cancels move tasks and releases long polls. */
  stop(): Promise<void>;
}

/**
 * Creates the engine. It replaces fauxqs as the local cloud's SQS: see sqs/README.md for why and for how
 * its fidelity is measured.
 */
export const createSqsEngine = ({
  region = LOCAL_REGION,
  accountId = LOCAL_ACCOUNT_ID,
  senderId = accountId,
  log,
}: SqsEngineOptions = {}): SqsEngine => {
  const store = new SqsStore(region, accountId);
  const moveTasks = new MoveTasks(store);
  const run = async (action: string, input: unknown, request: SqsRequestContext): Promise<unknown> => {
    if (!isSqsAction(action)) throw SqsErrors.unknownOperation(action);
    const handler = SQS_ACTIONS[action] as ActionHandler<SqsAction>;
    return handler(decodeInput(action, input), { store, moveTasks, request, now: Date.now(), senderId });
  };
  return {
    store,
    region,
    run,
    serve: (req, res, body, options = {}) =>
      serveSqsHttp(run, req, res, body, {
        requestId: options.requestId ?? randomUUID(),
        region: options.region,
        defaultRegion: region,
        defaultHost: options.defaultHost ?? 'localhost',
        log,
      }),
    stop: async () => {
      await moveTasks.stop();
      store.close();
    },
  };
};
