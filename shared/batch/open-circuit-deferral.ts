import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import { CircuitOpenError } from '../circuit-breaker/errors';
import { visibilityTimeoutSeconds } from '../circuit-breaker/queue';
import { ConfigurationError } from '../errors';
import type { RecordFailureHook } from './event-consumer';

/** Makes an in-flight message invisible for a while. `sqsMessageVisibility` implements it; tests pass a recorder. */
export interface MessageVisibility {
  /** The message comes back `seconds` from now (not from its receive): SQS ChangeMessageVisibility. */
  change(queueUrl: string, receiptHandle: string, seconds: number): Promise<void>;
}

/** What `sqsMessageVisibility` needs from an SQS client; `SQSClient` satisfies it. */
export interface ChangeMessageVisibilitySender {
  send(command: ChangeMessageVisibilityCommand): Promise<unknown>;
}

/**
 * ChangeMessageVisibility through a ready SQS client. Give it `useQueueUrlAsEndpoint: false`: the queue URL is
 * derived from the record's ARN with AWS's host, and the client's own endpoint (e.g. `AWS_ENDPOINT_URL` in a local
 * cloud) must stay the one it talks to.
 */
export const sqsMessageVisibility = (client: ChangeMessageVisibilitySender): MessageVisibility => ({
  change: async (queueUrl, receiptHandle, seconds) => {
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  },
});

/**
 * The queue URL of an SQS record's `eventSourceARN` (`arn:<partition>:sqs:<region>:<account>:<name>`), as SQS
 * formats it: `https://sqs.<region>.<domain>/<account>/<name>`.
 * @throws ConfigurationError when the ARN is not an SQS queue's.
 */
export const queueUrlOfArn = (arn: string): string => {
  const match = /^arn:(aws[a-z-]*):sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/.exec(arn);
  if (match === null) throw new ConfigurationError(`not the ARN of an SQS queue: ${arn}`);
  const [, partition, region, account, name] = match;
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
};

/** Defaults of {@link deferWhileCircuitOpen}. */
export const OpenCircuitDeferralDefaults = {
  /**
   * Seconds a deferred message stays away at least. A HALF_OPEN rejection (every probe slot taken) asks for about a
   * second; without a floor such a message would come back, and burn a receive, every second until the round ends.
   */
  minSeconds: 5,
  /**
   * Spread added to the wait, as a share of it: messages deferred together do not all return at the instant the
   * cooldown ends, when only K probes can be admitted.
   */
  jitterRatio: 0.2,
} as const;

/** Options of {@link deferWhileCircuitOpen}. */
export interface OpenCircuitDeferralOptions {
  readonly visibility: MessageVisibility;
  /** Default {@link OpenCircuitDeferralDefaults.minSeconds}. */
  readonly minSeconds?: number;
  /** Default: the SQS maximum (12 h); keep it below the queue's retention. */
  readonly maxSeconds?: number;
  /** Default {@link OpenCircuitDeferralDefaults.jitterRatio}. */
  readonly jitterRatio?: number;
  /** Default `Math.random`; tests pass a constant. */
  readonly random?: () => number;
}

/**
 * The queue-aware fallback of a consumer guarded by a circuit breaker: a record the circuit refused
 * (`CircuitOpenError`: nothing was called) is made invisible until a call could be admitted again (the rest of the
 * cooldown, see `visibilityTimeoutSeconds`), and stays a batch item failure. So while the circuit is open a message
 * is neither called for, nor lost, nor acknowledged, and it costs one receive per cooldown instead of one per poll
 * (size the queue's maxReceiveCount with `receivesToRideOut`). Any other error is left as it is: a fallback never
 * turns a real failure into a success, nor delays one.
 *
 * Why not pause the event source mapping instead: a paused mapping invokes nothing, so nothing is left to notice the
 * cooldown's end or to run the half-open probes (it needs a scheduler to resume, and a resume that never comes
 * leaves the queue stuck); disabling takes effect asynchronously, so batches already being polled still arrive and
 * need this fallback anyway; it stops every message of the queue, even those bound for other, healthy circuits; and
 * the function would need the right to reconfigure its own trigger.
 */
export const deferWhileCircuitOpen = (options: OpenCircuitDeferralOptions): RecordFailureHook => {
  const {
    visibility,
    minSeconds = OpenCircuitDeferralDefaults.minSeconds,
    jitterRatio = OpenCircuitDeferralDefaults.jitterRatio,
    random = Math.random,
  } = options;
  return async (error, record, log) => {
    if (!(error instanceof CircuitOpenError)) return 'unchanged';
    const seconds = visibilityTimeoutSeconds(error.retryAfterMs, {
      minSeconds,
      jitterRatio,
      random: random(),
      ...(options.maxSeconds === undefined ? {} : { maxSeconds: options.maxSeconds }),
    });
    await visibility.change(queueUrlOfArn(record.eventSourceARN), record.receiptHandle, seconds);
    log.info('record deferred: its circuit is open; the queue returns it when a call can be admitted', {
      messageId: record.messageId,
      receiveCount: record.attributes?.ApproximateReceiveCount,
      circuitId: error.circuitId,
      circuitState: error.state,
      visibleAgainInSeconds: seconds,
    });
    return 'deferred';
  };
};
