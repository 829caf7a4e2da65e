import {
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
} from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, type IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import type { PersistenceStoreFactory } from '../../shared/idempotency';

/**
 * A Powertools persistence layer kept in a Map, with the DynamoDB layer's put condition (a key may be taken only
 * when absent, expired, or in progress past its in-flight expiry). Unit tests run the real Powertools idempotency
 * logic over it; the DynamoDB layer itself is exercised by the integration tests.
 */
export class InMemoryIdempotencyStore extends BasePersistenceLayer {
  public readonly records = new Map<string, IdempotencyRecord>();

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const record = this.records.get(idempotencyKey);
    if (record === undefined) throw new IdempotencyItemNotFoundError();
    return record;
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const existing = this.records.get(record.idempotencyKey);
    const now = Date.now();
    const takeable =
      existing === undefined ||
      (existing.expiryTimestamp !== undefined && existing.expiryTimestamp < now / 1000) ||
      (existing.getStatus() === 'INPROGRESS' &&
        existing.inProgressExpiryTimestamp !== undefined &&
        existing.inProgressExpiryTimestamp < now);
    if (!takeable) {
      throw new IdempotencyItemAlreadyExistsError(`key ${record.idempotencyKey} exists`, existing);
    }
    this.records.set(record.idempotencyKey, record);
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    this.records.set(record.idempotencyKey, record);
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    this.records.delete(record.idempotencyKey);
  }
}

/** A store factory over in-memory stores; `stores` lists every store it built (one per idempotent operation). */
export const inMemoryPersistence = (): PersistenceStoreFactory & { stores: InMemoryIdempotencyStore[] } => {
  const stores: InMemoryIdempotencyStore[] = [];
  const factory = () => {
    const store = new InMemoryIdempotencyStore();
    stores.push(store);
    return store;
  };
  return Object.assign(factory, { stores });
};
