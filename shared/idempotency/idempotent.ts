import type { JSONValue } from '@aws-lambda-powertools/commons/types';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { DEFAULT_IDEMPOTENCY_TTL_SECONDS } from '../config/settings';

/** Builds one persistence store per idempotent operation. */
export type PersistenceStoreFactory = () => BasePersistenceLayer;

/**
 * The production store factory: the Powertools DynamoDB persistence layer over the idempotency table (default
 * schema: partition key `id`, TTL attribute `expiration`), sharing one client.
 *
 * It returns a factory, not a store, because Powertools configures a store once, by the first operation that uses
 * it: two operations sharing one store would silently share the first one's key path and TTL.
 */
export const dynamoDbPersistence =
  (tableName: string, client: DynamoDBClient): PersistenceStoreFactory =>
  () =>
    new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client });

/** Options of `makeOperationIdempotent`. */
export interface OperationIdempotencyOptions<TResult> {
  /** Names the operation in the key (`<keyPrefix>#<hash>`), so two operations never share keys. */
  readonly keyPrefix: string;
  /** JMESPath into the first argument selecting what identifies a repeat (e.g. `id`). */
  readonly keyJmesPath: string;
  /**
   * JMESPath selecting what a repeat must carry unchanged; a repeat that differs throws
   * `IdempotencyValidationError` (a reused key with another payload). Default: not checked.
   */
  readonly validationJmesPath?: string;
  readonly persistenceStore: PersistenceStoreFactory;
  /** Default `DEFAULT_IDEMPOTENCY_TTL_SECONDS`. */
  readonly expiresAfterSeconds?: number;
  /** Adjusts a stored result before it is returned for a repeat (e.g. to mark it as replayed). */
  readonly onReplay?: (stored: TResult) => TResult;
}

/** An operation whose first argument identifies it and whose second is the Lambda context. */
export type ContextualOperation<TInput, TArgs extends unknown[], TResult> = (
  input: TInput,
  context: Context,
  ...rest: TArgs
) => Promise<TResult>;

/**
 * Makes an operation run at most once per key (Powertools idempotency):
 *
 * - A repeat of a completed operation returns the stored result without running it.
 * - A repeat while the first run is in flight throws `IdempotencyAlreadyInProgressError`; the in-flight lock
 *   expires with the Lambda's remaining time (read from the context in second position), so a crashed run cannot
 *   block its key until the TTL.
 * - A run that throws leaves no record, so the retry runs the operation again.
 *
 * The result is stored as JSON: return a small, JSON-serializable summary.
 */
export const makeOperationIdempotent = <TInput, TArgs extends unknown[], TResult>(
  operation: ContextualOperation<TInput, TArgs, TResult>,
  options: OperationIdempotencyOptions<TResult>,
): ContextualOperation<TInput, TArgs, TResult> => {
  const { onReplay } = options;
  return makeIdempotent(operation, {
    persistenceStore: options.persistenceStore(),
    keyPrefix: options.keyPrefix,
    config: new IdempotencyConfig({
      eventKeyJmesPath: options.keyJmesPath,
      ...(options.validationJmesPath === undefined
        ? {}
        : { payloadValidationJmesPath: options.validationJmesPath }),
      throwOnNoIdempotencyKey: true,
      expiresAfterSeconds: options.expiresAfterSeconds ?? DEFAULT_IDEMPOTENCY_TTL_SECONDS,
      ...(onReplay === undefined
        ? {}
        : { responseHook: (stored) => onReplay(stored as TResult) as JSONValue }),
    }),
  });
};

/**
 * Makes a per-event processor run at most once per domain event id (`event.id`), never per SQS message id: a
 * message moved back from a DLQ gets a new message id but carries the same event. See `makeOperationIdempotent`.
 */
export const makeEventIdempotent = <TEvent extends { id: string }, TArgs extends unknown[], TResult>(
  processor: ContextualOperation<TEvent, TArgs, TResult>,
  options: Omit<OperationIdempotencyOptions<TResult>, 'keyJmesPath' | 'validationJmesPath' | 'onReplay'>,
): ContextualOperation<TEvent, TArgs, TResult> =>
  makeOperationIdempotent(processor, { ...options, keyJmesPath: 'id' });
