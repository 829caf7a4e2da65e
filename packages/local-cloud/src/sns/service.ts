import { randomUUID } from 'node:crypto';
import { AwsServiceError, LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../support/aws-protocol.js';
import { escapeXml } from '../support/query-protocol.js';
import { SnsErrors } from './errors.js';
import {
  type InboxEntry,
  SUBSCRIPTION_PROTOCOLS,
  type Subscription,
  type SubscriptionProtocol,
  type Topic,
} from './model.js';
import { entryMap, messageAttributes, type Params, tagMap } from './query-input.js';

/** Where the local SNS hands messages for queue and function subscribers. */
export interface SnsDeliveries {
  /** Sends `body` to the SQS queue of this ARN. */
  toQueue?(queueArn: string, body: string): Promise<void>;
  /** Invokes the function of this ARN asynchronously with an SNS event. */
  toFunction?(functionArn: string, event: unknown): void;
}

/** Options of {@link LocalSns}. */
export interface LocalSnsOptions {
  readonly region?: string;
  readonly accountId?: string;
  /** Where delivery failures are reported; default nowhere. */
  readonly log?: (line: string) => void;
}

/** The outcome of one query-protocol action: the members of its `<Action>Result`, already XML. */
type ActionResult = string;

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_TOPIC_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;
const MAX_MESSAGE_BYTES = 256 * 1024;
const INBOX_LIMIT = 10_000;

const tag = (name: string, value: string | undefined): string =>
  value === undefined ? '' : `<${name}>${escapeXml(value)}</${name}>`;
const entries = (map: ReadonlyMap<string, string>): string =>
  [...map]
    .map(([key, value]) => `<entry><key>${escapeXml(key)}</key><value>${escapeXml(value)}</value></entry>`)
    .join('');

/**
 * The local SNS: topics, subscriptions, Publish, and an inbox. Every publish is kept in its topic's inbox, and every
 * delivery in its subscription's: e-mail, HTTP(S) and SMS endpoints are not contacted, the inbox is where their
 * messages can be read (over the edge at `GET /_breakwater/inbox`). SQS and Lambda subscribers get the message as
 * SNS delivers it. Subscriptions are confirmed at once (the confirmation request is in the inbox first). Query
 * protocol, as the AWS SDK and CLI speak it to SNS. See https://docs.aws.amazon.com/sns/latest/api/welcome.html.
 */
export class LocalSns {
  public readonly signingName = 'sns';
  public readonly xmlNamespace = 'http://sns.amazonaws.com/doc/2010-03-31/';
  private readonly topics = new Map<string, Topic>();
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly inbox: InboxEntry[] = [];
  private readonly listeners = new Set<(entry: InboxEntry) => void>();
  private deliveries: SnsDeliveries = {};
  private readonly region: string;
  private readonly accountId: string;
  private readonly log: (line: string) => void;

  public constructor(options: LocalSnsOptions = {}) {
    this.region = options.region ?? LOCAL_REGION;
    this.accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
    this.log = options.log ?? (() => {});
  }

  /** Sets where queue and function subscribers are delivered (merged over what was set before). */
  public connect(deliveries: SnsDeliveries): void {
    this.deliveries = { ...this.deliveries, ...deliveries };
  }

  /** The query actions this service answers (for the edge's routing of unsigned requests). */
  public get actions(): ReadonlySet<string> {
    return new Set(Object.keys(this.handlers));
  }

  /** The inbox, oldest first: every publish (no `subscriptionArn`) and every delivery, optionally of one topic. */
  public notifications(
    filter: {
      readonly topicArn?: string;
      readonly subscriptionArn?: string;
      readonly endpoint?: string;
    } = {},
  ): InboxEntry[] {
    return this.inbox.filter(
      (entry) =>
        (filter.topicArn === undefined || entry.topicArn === filter.topicArn) &&
        (filter.subscriptionArn === undefined || entry.subscriptionArn === filter.subscriptionArn) &&
        (filter.endpoint === undefined || entry.endpoint === filter.endpoint),
    );
  }

  /** Hears every inbox entry as it is recorded. */
  public onNotification(listener: (entry: InboxEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every topic with its subscriptions. */
  public listTopics(): { topic: Topic; subscriptions: Subscription[] }[] {
    return [...this.topics.values()].map((topic) => ({
      topic,
      subscriptions: [...this.subscriptions.values()].filter((s) => s.topicArn === topic.arn),
    }));
  }

  /** Publishes a message to a topic (CloudWatch alarm actions call this); throws NotFound for an unknown topic. */
  public async publish(
    topicArn: string,
    message: string,
    subject?: string,
    attributes: Record<string, { Type: string; Value: string }> = {},
  ): Promise<string> {
    const topic = this.topics.get(topicArn);
    if (topic === undefined) throw SnsErrors.notFound('Topic does not exist');
    if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) throw SnsErrors.invalidParameter('Message too long');
    const messageId = randomUUID();
    const timestamp = new Date().toISOString();
    const envelope = (subscriptionArn: string | undefined) =>
      JSON.stringify({
        Type: 'Notification',
        MessageId: messageId,
        TopicArn: topicArn,
        ...(subject === undefined ? {} : { Subject: subject }),
        Message: message,
        Timestamp: timestamp,
        SignatureVersion: topic.attributes.get('SignatureVersion') ?? '1',
        Signature: 'local',
        SigningCertURL: 'https://sns.us-east-1.amazonaws.com/local.pem',
        UnsubscribeURL: `https://sns.${this.region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn ?? ''}`,
        ...(Object.keys(attributes).length === 0 ? {} : { MessageAttributes: attributes }),
      });
    this.record({
      topicArn,
      type: 'Notification',
      messageId,
      ...(subject === undefined ? {} : { subject }),
      message,
      timestamp,
      body: envelope(undefined),
    });
    for (const subscription of this.subscriptions.values()) {
      if (subscription.topicArn !== topicArn || !subscription.confirmed) continue;
      const raw = subscription.attributes.get('RawMessageDelivery') === 'true';
      const body =
        subscription.protocol === 'email' || subscription.protocol === 'sms'
          ? message
          : raw
            ? message
            : envelope(subscription.arn);
      this.record({
        topicArn,
        subscriptionArn: subscription.arn,
        protocol: subscription.protocol,
        endpoint: subscription.endpoint,
        type: 'Notification',
        messageId,
        ...(subject === undefined ? {} : { subject }),
        message,
        timestamp,
        body,
      });
      await this.deliver(subscription, body, envelope(subscription.arn));
    }
    return messageId;
  }

  private async deliver(subscription: Subscription, body: string, envelope: string): Promise<void> {
    try {
      if (subscription.protocol === 'sqs') await this.deliveries.toQueue?.(subscription.endpoint, body);
      else if (subscription.protocol === 'lambda')
        this.deliveries.toFunction?.(subscription.endpoint, {
          Records: [
            {
              EventSource: 'aws:sns',
              EventVersion: '1.0',
              EventSubscriptionArn: subscription.arn,
              Sns: JSON.parse(envelope) as unknown,
            },
          ],
        });
    } catch (error) {
      this.log(
        `SNS could not deliver to ${subscription.endpoint}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private record(entry: InboxEntry): void {
    this.inbox.push(entry);
    if (this.inbox.length > INBOX_LIMIT) this.inbox.shift();
    for (const listener of this.listeners) listener(entry);
  }

  /** Runs one query-protocol action; returns the XML members of its result. */
  public async run(action: string, params: Params): Promise<ActionResult> {
    const handler = Object.hasOwn(this.handlers, action) ? this.handlers[action] : undefined;
    if (handler === undefined) throw SnsErrors.invalidAction(action);
    try {
      return await handler(params);
    } catch (error) {
      if (error instanceof AwsServiceError) throw error;
      throw new AwsServiceError('InternalError', error instanceof Error ? error.message : String(error), 500);
    }
  }

  private required(params: Params, name: string): string {
    const value = params.get(name);
    if (value === undefined || value === '')
      throw SnsErrors.invalidParameter(`${name} Reason: must not be empty`);
    return value;
  }

  private topic(params: Params, name = 'TopicArn'): Topic {
    const topic = this.topics.get(this.required(params, name));
    if (topic === undefined) throw SnsErrors.notFound('Topic does not exist');
    return topic;
  }

  private subscriptionXml(s: Subscription): string {
    return `<member>${tag('TopicArn', s.topicArn)}${tag('Protocol', s.protocol)}${tag('SubscriptionArn', s.confirmed ? s.arn : 'PendingConfirmation')}${tag('Owner', this.accountId)}${tag('Endpoint', s.endpoint)}</member>`;
  }

  private readonly handlers: Readonly<
    Record<string, (params: Params) => Promise<ActionResult> | ActionResult>
  > = {
    CreateTopic: (params) => {
      const name = this.required(params, 'Name');
      const attributes = entryMap(params, 'Attributes');
      const fifo = attributes.get('FifoTopic') === 'true';
      if (!(fifo ? FIFO_TOPIC_NAME : TOPIC_NAME).test(name))
        throw SnsErrors.invalidParameter(
          fifo
            ? 'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.'
            : 'Topic Name',
        );
      const arn = `arn:aws:sns:${this.region}:${this.accountId}:${name}`;
      const existing = this.topics.get(arn);
      if (existing === undefined) {
        this.topics.set(arn, { arn, name, attributes, tags: tagMap(params) });
      } else {
        // CreateTopic is idempotent, but not with other attributes than the topic has.
        for (const [key, value] of attributes)
          if (existing.attributes.get(key) !== value)
            throw SnsErrors.invalidParameter(
              'Attributes Reason: Topic already exists with different attributes',
            );
      }
      return tag('TopicArn', arn);
    },
    DeleteTopic: (params) => {
      const arn = this.required(params, 'TopicArn');
      this.topics.delete(arn);
      for (const [key, subscription] of this.subscriptions)
        if (subscription.topicArn === arn) this.subscriptions.delete(key);
      return '';
    },
    ListTopics: () =>
      `<Topics>${[...this.topics.keys()].map((arn) => `<member>${tag('TopicArn', arn)}</member>`).join('')}</Topics>`,
    GetTopicAttributes: (params) => {
      const topic = this.topic(params);
      const subscriptions = [...this.subscriptions.values()].filter((s) => s.topicArn === topic.arn);
      const attributes = new Map(topic.attributes);
      attributes.set('TopicArn', topic.arn);
      attributes.set('Owner', this.accountId);
      attributes.set('SubscriptionsConfirmed', String(subscriptions.filter((s) => s.confirmed).length));
      attributes.set('SubscriptionsPending', String(subscriptions.filter((s) => !s.confirmed).length));
      attributes.set('SubscriptionsDeleted', '0');
      attributes.set('DisplayName', topic.attributes.get('DisplayName') ?? '');
      return `<Attributes>${entries(attributes)}</Attributes>`;
    },
    SetTopicAttributes: (params) => {
      const topic = this.topic(params);
      topic.attributes.set(this.required(params, 'AttributeName'), params.get('AttributeValue') ?? '');
      return '';
    },
    Subscribe: (params) => {
      const topic = this.topic(params);
      const protocol = this.required(params, 'Protocol') as SubscriptionProtocol;
      if (!SUBSCRIPTION_PROTOCOLS.includes(protocol))
        throw SnsErrors.invalidParameter(`Invalid protocol type: ${protocol}`);
      const endpoint = this.required(params, 'Endpoint');
      if ((protocol === 'email' || protocol === 'email-json') && !/^[^@\s]+@[^@\s]+$/.test(endpoint))
        throw SnsErrors.invalidParameter('Email address');
      if ((protocol === 'http' || protocol === 'https') && !endpoint.startsWith(`${protocol}://`))
        throw SnsErrors.invalidParameter(`Endpoint must match the specified protocol`);
      if ((protocol === 'sqs' || protocol === 'lambda') && !endpoint.startsWith('arn:'))
        throw SnsErrors.invalidParameter(`${protocol === 'sqs' ? 'SQS' : 'Lambda'} endpoint ARN`);
      const existing = [...this.subscriptions.values()].find(
        (s) => s.topicArn === topic.arn && s.protocol === protocol && s.endpoint === endpoint,
      );
      if (existing !== undefined) return tag('SubscriptionArn', existing.arn);
      const arn = `${topic.arn}:${randomUUID()}`;
      const subscription: Subscription = {
        arn,
        topicArn: topic.arn,
        protocol,
        endpoint,
        attributes: entryMap(params, 'Attributes'),
        confirmed: false,
      };
      this.subscriptions.set(arn, subscription);
      const messageId = randomUUID();
      const message = `You have chosen to subscribe to the topic ${topic.arn}. To confirm the subscription, visit the SubscribeURL included in this message.`;
      this.record({
        topicArn: topic.arn,
        subscriptionArn: arn,
        protocol,
        endpoint,
        type: 'SubscriptionConfirmation',
        messageId,
        subject: `AWS Notification - Subscription Confirmation`,
        message,
        timestamp: new Date().toISOString(),
        body: JSON.stringify({
          Type: 'SubscriptionConfirmation',
          MessageId: messageId,
          TopicArn: topic.arn,
          Message: message,
          Token: 'local',
        }),
      });
      subscription.confirmed = true;
      return tag('SubscriptionArn', arn);
    },
    ConfirmSubscription: (params) => {
      const topic = this.topic(params);
      const subscription = [...this.subscriptions.values()].find((s) => s.topicArn === topic.arn);
      if (subscription === undefined) throw SnsErrors.notFound('Subscription does not exist');
      subscription.confirmed = true;
      return tag('SubscriptionArn', subscription.arn);
    },
    Unsubscribe: (params) => {
      const arn = this.required(params, 'SubscriptionArn');
      if (!this.subscriptions.delete(arn)) throw SnsErrors.notFound('Subscription does not exist');
      return '';
    },
    ListSubscriptions: () =>
      `<Subscriptions>${[...this.subscriptions.values()].map((s) => this.subscriptionXml(s)).join('')}</Subscriptions>`,
    ListSubscriptionsByTopic: (params) => {
      const topic = this.topic(params);
      return `<Subscriptions>${[...this.subscriptions.values()]
        .filter((s) => s.topicArn === topic.arn)
        .map((s) => this.subscriptionXml(s))
        .join('')}</Subscriptions>`;
    },
    GetSubscriptionAttributes: (params) => {
      const subscription = this.subscriptions.get(this.required(params, 'SubscriptionArn'));
      if (subscription === undefined) throw SnsErrors.notFound('Subscription does not exist');
      const attributes = new Map(subscription.attributes);
      attributes.set('SubscriptionArn', subscription.arn);
      attributes.set('TopicArn', subscription.topicArn);
      attributes.set('Protocol', subscription.protocol);
      attributes.set('Endpoint', subscription.endpoint);
      attributes.set('Owner', this.accountId);
      attributes.set('PendingConfirmation', String(!subscription.confirmed));
      attributes.set('ConfirmationWasAuthenticated', 'true');
      return `<Attributes>${entries(attributes)}</Attributes>`;
    },
    SetSubscriptionAttributes: (params) => {
      const subscription = this.subscriptions.get(this.required(params, 'SubscriptionArn'));
      if (subscription === undefined) throw SnsErrors.notFound('Subscription does not exist');
      subscription.attributes.set(this.required(params, 'AttributeName'), params.get('AttributeValue') ?? '');
      return '';
    },
    Publish: async (params) => {
      const arn = params.get('TopicArn') ?? params.get('TargetArn');
      if (arn === undefined || arn === '')
        throw SnsErrors.invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
      const message = params.get('Message');
      if (message === undefined || message === '')
        throw SnsErrors.invalidParameter('Message Reason: Empty message');
      const subject = params.get('Subject');
      if (subject !== undefined && (subject.length > 100 || /[^\x20-\x7e]/.test(subject)))
        throw SnsErrors.invalidParameter('Subject');
      const messageId = await this.publish(arn, message, subject, messageAttributes(params));
      return tag('MessageId', messageId);
    },
    TagResource: (params) => {
      const topic = this.topic(params, 'ResourceArn');
      for (const [key, value] of tagMap(params)) topic.tags.set(key, value);
      return '';
    },
    ListTagsForResource: (params) => {
      const topic = this.topic(params, 'ResourceArn');
      return `<Tags>${[...topic.tags].map(([key, value]) => `<member>${tag('Key', key)}${tag('Value', value)}</member>`).join('')}</Tags>`;
    },
  };
}
