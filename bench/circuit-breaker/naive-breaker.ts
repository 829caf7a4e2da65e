import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { CircuitOpenError } from '@breakwater/circuit-breaker';

/** The baseline: state read before every call and written after it, unconditionally (the common design). */
export class NaiveBreaker {
  public constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  public async execute<T>(call: () => Promise<T>): Promise<T> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: { pk: { S: 'naive' } }, ConsistentRead: true }),
    );
    if (Item?.state?.S === 'OPEN' && Number(Item.openUntil?.N ?? 0) > Date.now()) {
      throw new CircuitOpenError('naive', 'OPEN', Number(Item.openUntil?.N) - Date.now(), 'open');
    }
    try {
      const value = await call();
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { pk: { S: 'naive' }, state: { S: 'CLOSED' }, failures: { N: '0' } },
        }),
      );
      return value;
    } catch (error) {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: 'naive' } },
          UpdateExpression: 'ADD failures :one',
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      );
      throw error;
    }
  }

  public async open(): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: { pk: { S: 'naive' }, state: { S: 'OPEN' }, openUntil: { N: String(Date.now() + 600_000) } },
      }),
    );
  }
}
