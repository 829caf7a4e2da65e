import {
  type EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  type Rule,
} from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, ListQueuesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { LambdaTopology } from '../lambda/types.js';
import type { FunctionNode, QueueDepth, QueueNode, RuleNode, StatusSources, Topology } from './sources.js';

/** What the local cloud hands {@link localStatusSources}. */
export interface LocalStatusInputs {
  readonly sqs: SQSClient;
  readonly eventBridge: EventBridgeClient;
  /** The deployer's Lambda topology (functions, event source mappings). */
  readonly lambda: LambdaTopology;
}

/** The last segment of an ARN (`...:queue-name`, `...:function:name`). */
const arnName = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1);
/** `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` → `<name>`. */
const streamTable = (arn: string): string => /:table\/([^/]+)/.exec(arn)?.[1] ?? arnName(arn);

const detailTypes = (rule: Rule): string[] => {
  if (rule.EventPattern === undefined) return [];
  try {
    const pattern = JSON.parse(rule.EventPattern) as { 'detail-type'?: unknown };
    return Array.isArray(pattern['detail-type']) ? pattern['detail-type'].map(String) : [];
  } catch {
    return [];
  }
};

const queueUrls = async (sqs: SQSClient): Promise<string[]> => {
  const urls: string[] = [];
  let token: string | undefined;
  do {
    const page = await sqs.send(new ListQueuesCommand({ MaxResults: 1000, NextToken: token }));
    urls.push(...(page.QueueUrls ?? []));
    token = page.NextToken;
  } while (token !== undefined);
  return urls;
};

const rulesOf = async (events: EventBridgeClient): Promise<RuleNode[]> => {
  const buses = (await events.send(new ListEventBusesCommand({}))).EventBuses ?? [];
  const nodes: RuleNode[] = [];
  for (const bus of buses) {
    const rules = (await events.send(new ListRulesCommand({ EventBusName: bus.Name }))).Rules ?? [];
    for (const rule of rules) {
      const targets =
        (await events.send(new ListTargetsByRuleCommand({ Rule: rule.Name, EventBusName: bus.Name })))
          .Targets ?? [];
      nodes.push({
        name: rule.Name ?? '',
        eventBus: bus.Name ?? 'default',
        ...(rule.ScheduleExpression === undefined ? {} : { schedule: rule.ScheduleExpression }),
        detailTypes: detailTypes(rule),
        targets: targets.map((target) => {
          const arn = target.Arn ?? '';
          const kind = arn.includes(':sqs:')
            ? 'queue'
            : arn.includes(':lambda:')
              ? 'function'
              : arn.includes(':event-bus/')
                ? 'bus'
                : 'other';
          const dlq = target.DeadLetterConfig?.Arn;
          return {
            kind,
            name: kind === 'bus' ? arn.slice(arn.lastIndexOf('/') + 1) : arnName(arn),
            ...(dlq === undefined ? {} : { deadLetterQueue: arnName(dlq) }),
          } as const;
        }),
      });
    }
  }
  return nodes.sort((a, b) => a.name.localeCompare(b.name));
};

/**
 * The status page's sources over a running local cloud, read through the same APIs a user has: EventBridge and
 * SQS through the edge. An app adds its own (circuits, a fake dependency's counters) over these.
 */
export const localStatusSources = (inputs: LocalStatusInputs): Pick<StatusSources, 'topology' | 'queues'> => {
  const { sqs, eventBridge, lambda } = inputs;

  const topology = async (): Promise<Topology> => {
    const rules = await rulesOf(eventBridge);
    const attributes = await Promise.all(
      (await queueUrls(sqs)).map(async (url) => {
        const { Attributes = {} } = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'RedrivePolicy'] }),
        );
        return { url, arn: Attributes.QueueArn ?? '', redrive: Attributes.RedrivePolicy };
      }),
    );
    const functions: FunctionNode[] = lambda.functions.map((fn) => {
      const mappings = lambda.eventSourceMappings.filter((m) => m.functionName === fn.functionName);
      return {
        name: fn.functionName,
        service: fn.environment.POWERTOOLS_SERVICE_NAME ?? fn.functionName,
        queues: mappings.filter((m) => m.kind === 'sqs').map((m) => arnName(m.eventSourceArn)),
        streams: mappings.flatMap((m) =>
          m.kind === 'dynamodb-stream'
            ? [
                {
                  table: streamTable(m.eventSourceArn),
                  ...(m.onFailureDestinationArn === undefined
                    ? {}
                    : { onFailure: arnName(m.onFailureDestinationArn) }),
                },
              ]
            : [],
        ),
        ...(fn.deadLetterTargetArn === undefined ? {} : { deadLetterQueue: arnName(fn.deadLetterTargetArn) }),
      };
    });
    const deadLetters = new Set<string>([
      ...attributes.flatMap(({ redrive }) => {
        if (redrive === undefined) return [];
        const target = (JSON.parse(redrive) as { deadLetterTargetArn?: string }).deadLetterTargetArn;
        return target === undefined ? [] : [arnName(target)];
      }),
      ...rules.flatMap((r) =>
        r.targets.flatMap((t) => (t.deadLetterQueue === undefined ? [] : [t.deadLetterQueue])),
      ),
      ...functions.flatMap((f) => [
        ...(f.deadLetterQueue === undefined ? [] : [f.deadLetterQueue]),
        ...f.streams.flatMap((s) => (s.onFailure === undefined ? [] : [s.onFailure])),
      ]),
    ]);
    const queues: QueueNode[] = attributes
      .map(({ arn, redrive }) => {
        const name = arnName(arn);
        const target =
          redrive === undefined
            ? undefined
            : (JSON.parse(redrive) as { deadLetterTargetArn?: string }).deadLetterTargetArn;
        return {
          name,
          arn,
          role: deadLetters.has(name) ? 'dlq' : 'queue',
          ...(target === undefined ? {} : { deadLetterQueue: arnName(target) }),
        } as const;
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    return { rules, queues, functions };
  };

  const queues = async (): Promise<QueueDepth[]> =>
    Promise.all(
      (await queueUrls(sqs)).map(async (url) => {
        const { Attributes = {} } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: [
              'QueueArn',
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
              'ApproximateNumberOfMessagesDelayed',
            ],
          }),
        );
        return {
          name: arnName(Attributes.QueueArn ?? url),
          visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
          inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
          delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
        };
      }),
    );

  return { topology, queues };
};
