import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DeleteCommandInput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** What deleting an outbox item did: deleted it, or found it already gone (a duplicate stream record). */
export type OutboxDeleteOutcome = 'deleted' | 'already-gone';

/** The outbox table, as the publisher sees it. */
export interface OutboxStore {
  /** Deletes the item of a published event. */
  delete(eventId: string): Promise<OutboxDeleteOutcome>;
}

/** The conditional delete of a published event's item: only an item that exists, so a repeat is visible. */
export const buildOutboxDelete = (eventId: string, outboxTableName: string): DeleteCommandInput => ({
  TableName: outboxTableName,
  Key: { pk: eventId },
  ConditionExpression: 'attribute_exists(pk)',
});

/** `OutboxStore` over DynamoDB (document client). */
export class DynamoDbOutboxStore implements OutboxStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  public constructor(client: DynamoDBDocumentClient, outboxTableName: string) {
    this.#client = client;
    this.#tableName = outboxTableName;
  }

  public async delete(eventId: string): Promise<OutboxDeleteOutcome> {
    try {
      await this.#client.send(new DeleteCommand(buildOutboxDelete(eventId, this.#tableName)));
      return 'deleted';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'already-gone';
      throw error;
    }
  }
}
