import { CfnOutput, type Stack } from 'aws-cdk-lib';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { pascalCase } from '../naming';

/**
 * Stack outputs with stable, predictable keys (created at the stack root, so CDK does not suffix them with a hash).
 * Naming scheme, relied upon by the DLQ tool and the local deployer:
 * - `<Owner>QueueUrl` / `<Owner>QueueArn`: a consumer's queue.
 * - `<Owner>DlqUrl` / `<Owner>DlqArn`: every dead-letter queue (all DLQ keys end in `DlqUrl` / `DlqArn`).
 */
export function addOutput(stack: Stack, key: string, value: string, description: string): CfnOutput {
  return new CfnOutput(stack, key, { value, description });
}

/** `<Owner>Url` and `<Owner>Arn` outputs of a queue; `owner` is kebab-case (`billing-target-dlq`). */
export function addQueueOutputs(stack: Stack, owner: string, queue: IQueue, description: string): void {
  const key = pascalCase(owner);
  addOutput(stack, `${key}Url`, queue.queueUrl, `${description} (URL)`);
  addOutput(stack, `${key}Arn`, queue.queueArn, `${description} (ARN)`);
}
