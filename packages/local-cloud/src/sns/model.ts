/** A topic as the local SNS keeps it. */
export interface Topic {
  readonly arn: string;
  readonly name: string;
  readonly attributes: Map<string, string>;
  readonly tags: Map<string, string>;
}

export const SUBSCRIPTION_PROTOCOLS = [
  'http',
  'https',
  'email',
  'email-json',
  'sms',
  'sqs',
  'application',
  'lambda',
  'firehose',
] as const;
export type SubscriptionProtocol = (typeof SUBSCRIPTION_PROTOCOLS)[number];

export interface Subscription {
  readonly arn: string;
  readonly topicArn: string;
  readonly protocol: SubscriptionProtocol;
  readonly endpoint: string;
  readonly attributes: Map<string, string>;
  /** Locally every subscription is confirmed at once (the confirmation request is in the inbox). */
  confirmed: boolean;
}

/** One message as an inbox holds it: a publish to a topic, or what one subscription received. */
export interface InboxEntry {
  /** Where it was delivered: the topic itself (every publish), or a subscription. */
  readonly topicArn: string;
  readonly subscriptionArn?: string;
  readonly protocol?: SubscriptionProtocol;
  readonly endpoint?: string;
  readonly type: 'Notification' | 'SubscriptionConfirmation';
  readonly messageId: string;
  readonly subject?: string;
  readonly message: string;
  /** ISO 8601, as SNS stamps notifications. */
  readonly timestamp: string;
  /** The body the endpoint got: the JSON envelope (http/https/email-json/sqs), the text (email), or the raw message. */
  readonly body: string;
}
