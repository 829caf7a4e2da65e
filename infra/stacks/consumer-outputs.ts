import type { Stack } from 'aws-cdk-lib';
import type { EventConsumer } from '../constructs/event-consumer';
import { addQueueOutputs } from './outputs';

/**
 * Outputs of a consumer: `<Name>QueueUrl/Arn`, `<Name>DlqUrl/Arn` (redrive) and `<Name>TargetDlqUrl/Arn` (rule
 * target).
 */
export function addConsumerOutputs(stack: Stack, name: string, consumer: EventConsumer): void {
  addQueueOutputs(stack, `${name}-queue`, consumer.queue, `Queue of the ${name} consumer`);
  addQueueOutputs(stack, `${name}-dlq`, consumer.deadLetterQueue, `DLQ (redrive) of the ${name} queue`);
  addQueueOutputs(
    stack,
    `${name}-target-dlq`,
    consumer.targetDeadLetterQueue,
    `DLQ (rule-target) of the ${name} rule: events EventBridge could not deliver`,
  );
}
