import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { expect } from 'vitest';

/** The clients the second app's tests drive it with. */
export interface ShelfAppClients {
  readonly dynamodb: DynamoDBClient;
  readonly events: EventBridgeClient;
  readonly sqs: SQSClient;
}

/**
 * The second CDK app of the tests (test/fixtures/cdk-app: rule → queue with DLQ → function → table), seen from
 * outside: a book arrives on its bus, the function shelves it in its table, one without an ISBN ends in its DLQ.
 */
export const shelfApp = (clients: ShelfAppClients) => {
  const arrive = (detail: Record<string, string>) =>
    clients.events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'shelf-library',
            Source: 'shelf.app',
            DetailType: 'book.arrived',
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
  /** Which version of the function shelved the book (`shelvedBy`), if any. */
  const shelvedBy = async (table: string, isbn: string) =>
    (await clients.dynamodb.send(new GetItemCommand({ TableName: table, Key: { isbn: { S: isbn } } }))).Item
      ?.shelvedBy?.S;
  /** Posts a book and a book without an ISBN; waits for the first on the shelf and the second in the DLQ. */
  const runsEndToEnd = async (outputs: { BooksTableName?: string; ShelvingDlqUrl?: string }) => {
    await arrive({ isbn: '978-0441172719', title: 'Dune' });
    await arrive({ title: 'no isbn' });
    await expect
      .poll(() => shelvedBy(outputs.BooksTableName ?? '', '978-0441172719'), { timeout: 30_000 })
      .toBe('v1');
    await expect
      .poll(
        async () =>
          (
            await clients.sqs.send(
              new GetQueueAttributesCommand({
                QueueUrl: outputs.ShelvingDlqUrl,
                AttributeNames: ['ApproximateNumberOfMessages'],
              }),
            )
          ).Attributes?.ApproximateNumberOfMessages,
        { timeout: 60_000, interval: 500 },
      )
      .toBe('1');
  };
  return { arrive, shelvedBy, runsEndToEnd };
};
