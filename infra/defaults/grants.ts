import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type {
  DlqDestinationConfig,
  IEventSourceDlq,
  IEventSourceMapping,
  IFunction,
} from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';

/**
 * Grants reading a secret's value and nothing else: `secretsmanager:GetSecretValue` (Powertools' `SecretsProvider`
 * calls only that), plus `kms:Decrypt` when the secret has a customer-managed key. CDK's `grantRead` also grants
 * `secretsmanager:DescribeSecret`, which no function calls.
 */
export function grantSecretValue(secret: ISecret, grantee: IGrantable): Grant {
  const grant = Grant.addToPrincipal({
    grantee,
    actions: ['secretsmanager:GetSecretValue'],
    resourceArns: [secret.secretArn],
  });
  secret.encryptionKey?.grantDecrypt(grantee);
  return grant;
}

/**
 * The on-failure destination of a stream event source mapping, granting the function's role only
 * `sqs:SendMessage` on the queue: Lambda sends the failed batch's metadata there and calls nothing else. CDK's
 * `SqsDlq` grants `grantSendMessages`, which adds `GetQueueAttributes` and `GetQueueUrl`.
 */
export class SendOnlySqsDlq implements IEventSourceDlq {
  public constructor(private readonly queue: IQueue) {}

  public bind(_target: IEventSourceMapping, targetHandler: IFunction): DlqDestinationConfig {
    this.queue.grant(targetHandler, 'sqs:SendMessage');
    this.queue.encryptionMasterKey?.grantEncrypt(targetHandler);
    return { destination: this.queue.queueArn };
  }
}
