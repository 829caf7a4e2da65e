import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
  TagQueueCommand,
} from '@aws-sdk/client-sqs';
import { generatedName } from '../naming.js';
import { jsonText, optionalBoolean, optionalString, type Properties, tagMap } from '../properties.js';
import type { Provisioner } from './provisioner.js';

/** CloudFormation properties that are SQS queue attributes of the same name (JSON documents as JSON text). */
const ATTRIBUTES = [
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'DelaySeconds',
  'FifoQueue',
  'FifoThroughputLimit',
  'KmsDataKeyReusePeriodSeconds',
  'KmsMasterKeyId',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'RedriveAllowPolicy',
  'RedrivePolicy',
  'SqsManagedSseEnabled',
  'VisibilityTimeout',
] as const;

const queueAttributes = (properties: Properties): Record<string, string> => {
  const attributes: Record<string, string> = {};
  for (const name of ATTRIBUTES) {
    const value = properties[name];
    if (value === undefined) continue;
    attributes[name] = typeof value === 'object' ? jsonText(value) : String(value);
  }
  return attributes;
};

/**
 * The queue URL to publish: path style at the endpoint the deployer talks to (the edge), so that functions, tests
 * and the AWS CLI reach it through `AWS_ENDPOINT_URL`. The engine's own URL (fauxqs answers
 * `http://sqs.<region>.localhost:<its port>/...`) would make the SDK bypass the edge, and `*.localhost` names do not
 * resolve everywhere. Without a custom endpoint (real AWS) the service's URL stays.
 */
const publishedQueueUrl = async (sqs: SQSClient, serviceUrl: string, accountId: string, name: string) => {
  const endpoint = await sqs.config.endpoint?.();
  if (endpoint === undefined) return serviceUrl;
  const path = endpoint.path.replace(/\/$/, '');
  const port = endpoint.port === undefined ? '' : `:${endpoint.port}`;
  return `${endpoint.protocol}//${endpoint.hostname}${port}${path}/${accountId}/${name}`;
};

const isNameTaken = (error: unknown): boolean =>
  error instanceof Error && /QueueNameExists|QueueAlreadyExists/.test(`${error.name} ${error.message}`);

/**
 * `AWS::SQS::Queue`: CreateQueue with every attribute (the redrive policy's DLQ ARN already resolved) and the
 * template's tags (the DLQ tool finds DLQs by them). On a re-deploy the queue and its messages stay, the attributes
 * that changed are updated (a refusal is a warning) and the tags are applied again.
 * Ref = URL (path style at the deployer's SQS endpoint); GetAtt Arn, QueueName, QueueUrl.
 */
export const provisionQueue: Provisioner = async ({ stackName, logicalId, properties }, context) => {
  const sqs = context.client('sqs', 'AWS::SQS::Queue');
  const fifo = optionalBoolean(properties, 'FifoQueue') === true;
  const queueName =
    optionalString(properties, 'QueueName') ?? generatedName(stackName, logicalId, 80, fifo ? '.fifo' : '');
  const attributes = queueAttributes(properties);
  const tags = tagMap(properties);
  const tagged = Object.keys(tags).length > 0;
  let queueUrl: string | undefined;
  try {
    ({ QueueUrl: queueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: queueName, Attributes: attributes, ...(tagged ? { tags } : {}) }),
    ));
  } catch (error) {
    if (!isNameTaken(error)) throw error;
    ({ QueueUrl: queueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName })));
    const current: Record<string, string | undefined> =
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] })))
        .Attributes ?? {};
    const changed = Object.fromEntries(
      Object.entries(attributes).filter(([name, value]) => name !== 'FifoQueue' && current[name] !== value),
    );
    if (Object.keys(changed).length > 0) {
      try {
        await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: changed }));
      } catch (error) {
        context.warn(
          `queue ${queueName}: attributes ${Object.keys(changed).join(', ')} not updated: ${String(error)}`,
        );
      }
    }
  }
  // CreateQueue leaves the tags of a queue that exists as they are: a re-deploy applies the template's anew.
  if (tagged) await sqs.send(new TagQueueCommand({ QueueUrl: queueUrl, Tags: tags }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn ?? '';
  const url = await publishedQueueUrl(sqs, queueUrl ?? '', context.environment.accountId, queueName);
  return { physicalId: url, attributes: { Arn: arn, QueueName: queueName, QueueUrl: url } };
};
