import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { EnvNames } from '../../shared/config/env-names';
import type { StageConfig } from '../config';
import type { EventConsumer } from '../constructs/event-consumer';
import type { OperationsMonitoring } from '../constructs/monitoring/operations-monitoring';
import { acknowledge, NagReasons } from '../constructs/nag';
import { ServiceFunction } from '../constructs/service-function';
import { FunctionNames } from '../paths';
import { addOutput } from './outputs';

/** Settings of the deployed DLQ replay function (its environment is built from them). */
export const DlqReplaySettings = {
  /** Lambda's ceiling: room for a slow `ratePerSecond`; the run itself is bounded by `maxMessages`. */
  timeout: Duration.minutes(15),
  /** A run holds up to `maxMessages` bodies (≤ 256 KB each) in memory, and Lambda gives CPU in step with memory. */
  memorySize: 512,
  /** Messages one invocation replays at most: as many as the returned report lists one by one. */
  maxMessages: 1_000,
  /** The run stops this long before the timeout, to release held messages and return its report. */
  safetyMarginMs: 15_000,
  /** Parallel workers, each moving batches of 10. */
  concurrency: 10,
} as const;

/**
 * The only actions the function gets besides its log group and X-Ray. No `lambda:InvokeFunction`: every rule
 * target of the app is a consumer's queue (EventConsumer), so no dead letter is re-delivered to a function.
 */
export const DlqReplayActions = {
  /** On every consumer DLQ: read, hold, delete; tags (kind) and redrive sources. */
  deadLetterQueue: [
    'sqs:ReceiveMessage',
    'sqs:ChangeMessageVisibility',
    'sqs:DeleteMessage',
    'sqs:GetQueueAttributes',
    'sqs:GetQueueUrl',
    'sqs:ListQueueTags',
    'sqs:ListDeadLetterSourceQueues',
  ],
  /** On the queues those DLQs lead back to: send, and the look-up (URL, ARN) the tool does before sending. */
  sourceQueue: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
  /** On the app's bus, for `viaBus` replays. */
  bus: ['events:PutEvents'],
  /** No resource-level permission exists for it (see `NagReasons.queueListing`). */
  listing: ['sqs:ListQueues'],
} as const;

/** Properties of the {@link ReplayStack}: the resources the function may touch, passed explicitly. */
export interface ReplayStackProps extends StackProps {
  readonly config: StageConfig;
  /** The bus `viaBus` replays put events on. */
  readonly eventBus: IEventBus;
  /**
   * Every consumer of the app. Both of its DLQs lead back to its queue: the redrive DLQ is the queue's redrive
   * target, and the rule-target DLQ holds events the rule could not deliver to that queue.
   */
  readonly consumers: readonly EventConsumer[];
  /** Puts the function on the dashboard. */
  readonly monitoring: OperationsMonitoring;
}

/**
 * The DLQ replay function (`functions/dlq-replay`), invoked by hand; no rule or schedule triggers it. It may
 * drain the consumers' DLQs and send only to their queues (or put events on the app's bus). The outbox publisher's
 * stream on-failure queue is deliberately out of reach: it holds batch metadata, not events.
 *
 * A stack of its own, created after the services: it imports from them and from the platform, and only the
 * Operations stack (dashboard) imports from it, so no reference points back at a service stack.
 *
 * ```sh
 * aws lambda invoke --function-name <DlqReplayFunctionName> --cli-binary-format raw-in-base64-out \
 *   --cli-read-timeout 0 --payload '{"queue":"<BillingDlqUrl>","dryRun":true}' report.json
 * ```
 */
export class ReplayStack extends Stack {
  public readonly replay: ServiceFunction;
  /** `sqs:ListQueues` on `*`, apart from the role's default policy so that its acknowledgement is its own. */
  public readonly queueListing: Policy;

  public constructor(scope: Construct, id: string, props: ReplayStackProps) {
    super(scope, id, props);
    const { config } = props;
    const s = DlqReplaySettings;

    this.replay = new ServiceFunction(this, 'DlqReplay', {
      name: FunctionNames.dlqReplay,
      config,
      timeout: s.timeout,
      memorySize: s.memorySize,
      description: `${config.prefix}: replays the consumers' DLQs; invoked by hand`,
      environment: {
        [EnvNames.dlqReplayMaxMessages]: String(s.maxMessages),
        [EnvNames.dlqReplaySafetyMarginMs]: String(s.safetyMarginMs),
        [EnvNames.dlqReplayConcurrency]: String(s.concurrency),
      },
    });
    const fn = this.replay.function;

    const deadLetterQueues = props.consumers.flatMap((c) => [c.deadLetterQueue, c.targetDeadLetterQueue]);
    const sourceQueues = props.consumers.map((c) => c.queue);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [...DlqReplayActions.deadLetterQueue],
        resources: arns(deadLetterQueues),
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({ actions: [...DlqReplayActions.sourceQueue], resources: arns(sourceQueues) }),
    );
    props.eventBus.grantPutEventsTo(fn);

    this.queueListing = new Policy(this, 'DlqReplayQueueListing', {
      roles: [this.replay.role],
      statements: [new PolicyStatement({ actions: [...DlqReplayActions.listing], resources: ['*'] })],
    });
    acknowledge(this.queueListing, 'AwsSolutions-IAM5[Resource::*]', NagReasons.queueListing);
    // The function may only run once all of its permissions exist.
    fn.node.addDependency(this.queueListing);

    props.monitoring.watchFunction(fn, 'dlq-replay', "Replays the consumers' DLQs; invoked by hand.");
    addOutput(
      this,
      'DlqReplayFunctionName',
      fn.functionName,
      'DLQ replay function: aws lambda invoke --payload {"queue":"<DlqUrl>","dryRun":true}',
    );
  }
}

function arns(queues: readonly IQueue[]): string[] {
  return queues.map((q) => q.queueArn);
}
