import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, vi } from 'vitest';
import { type ConformanceCase, conformanceCases } from '../support/cases';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';

/** SNS: topics, Publish's validation, and the notification an SQS subscriber receives. */

let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget(process.env, { dynamoDb: false });
});
afterAll(async () => {
  await target?.stop();
});

const API = 'https://docs.aws.amazon.com/sns/latest/api';
const GUIDE = 'https://docs.aws.amazon.com/sns/latest/dg';

const topic = async (t: ConformanceTarget): Promise<string> => {
  const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: t.uniqueName('topic') }));
  const arn = TopicArn as string;
  t.onStop(() => t.sns.send(new DeleteTopicCommand({ TopicArn: arn })));
  return arn;
};

const cases: ConformanceCase<ConformanceTarget>[] = [
  {
    name: 'CreateTopic is idempotent: the same name gives the same ARN',
    source: `${API}/API_CreateTopic.html`,
    run: async (t) => {
      const name = t.uniqueName('topic');
      const first = await t.sns.send(new CreateTopicCommand({ Name: name }));
      t.onStop(() => t.sns.send(new DeleteTopicCommand({ TopicArn: first.TopicArn })));
      const second = await t.sns.send(new CreateTopicCommand({ Name: name }));
      expect(second.TopicArn).toBe(first.TopicArn);
      expect(first.TopicArn).toMatch(new RegExp(`^arn:aws:sns:[a-z0-9-]+:\\d{12}:${name}$`));
    },
  },
  {
    name: 'Publish to a topic that does not exist is NotFound',
    source: `${API}/API_Publish.html#API_Publish_Errors`,
    run: async (t) => {
      const arn = (await topic(t)).replace(/:[^:]+$/, `:${t.uniqueName('none')}`);
      await expect(t.sns.send(new PublishCommand({ TopicArn: arn, Message: 'x' }))).rejects.toMatchObject({
        name: 'NotFoundException',
      });
    },
  },
  {
    name: 'Publish refuses an empty message (InvalidParameter)',
    source: `${API}/API_Publish.html`,
    run: async (t) => {
      const arn = await topic(t);
      await expect(t.sns.send(new PublishCommand({ TopicArn: arn, Message: '' }))).rejects.toMatchObject({
        name: 'InvalidParameterException',
      });
    },
  },
  {
    name: 'an SQS subscriber receives the JSON notification: Type, MessageId, TopicArn, Subject, Message',
    source: `${GUIDE}/sns-message-and-json-formats.html`,
    run: async (t) => {
      const arn = await topic(t);
      const { QueueUrl } = await t.sqs.send(new CreateQueueCommand({ QueueName: t.uniqueName('inbox') }));
      t.onStop(() => t.sqs.send(new DeleteQueueCommand({ QueueUrl })));
      const { Attributes } = await t.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      await t.sns.send(
        new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }),
      );
      const { MessageId } = await t.sns.send(
        new PublishCommand({ TopicArn: arn, Message: 'hello', Subject: 'greeting' }),
      );
      await vi.waitFor(
        async () => {
          const { Messages } = await t.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
          expect(JSON.parse(Messages?.[0]?.Body ?? '{}')).toMatchObject({
            Type: 'Notification',
            MessageId,
            TopicArn: arn,
            Subject: 'greeting',
            Message: 'hello',
          });
        },
        { timeout: 60_000, interval: 500 },
      );
    },
  },
  {
    name: 'GetTopicAttributes counts the confirmed subscriptions; ListSubscriptionsByTopic lists them',
    source: `${API}/API_GetTopicAttributes.html`,
    run: async (t) => {
      const arn = await topic(t);
      const { QueueUrl } = await t.sqs.send(new CreateQueueCommand({ QueueName: t.uniqueName('sub') }));
      t.onStop(() => t.sqs.send(new DeleteQueueCommand({ QueueUrl })));
      const { Attributes } = await t.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      await t.sns.send(
        new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }),
      );
      const attributes = await t.sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
      expect(attributes.Attributes).toMatchObject({ TopicArn: arn, SubscriptionsConfirmed: '1' });
      const { Subscriptions } = await t.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }));
      expect(Subscriptions).toEqual([
        expect.objectContaining({ TopicArn: arn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }),
      ]);
    },
  },
];

describe('SNS', () => {
  conformanceCases(cases, () => target, { concurrent: true });
});
