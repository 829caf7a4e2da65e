import {
  AttributeType,
  BillingMode,
  type ITable,
  type StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';

/** Options of {@link createTable}. Every table is keyed by a string partition key (see PLAN's data model). */
export interface TableOptions {
  /** Name of the string partition key. */
  readonly partitionKey: string;
  /** Attribute holding the expiry (epoch seconds) when the table uses DynamoDB TTL. Default: no TTL. */
  readonly timeToLiveAttribute?: string;
  /** Stream of item changes. Default: no stream. */
  readonly stream?: StreamViewType;
  readonly config: StageConfig;
}

/**
 * A table with Breakwater's secure defaults: on-demand capacity (no capacity planning, no throttling alarms to
 * tune), point-in-time recovery, encryption with the AWS-managed key (`aws/dynamodb`, auditable in CloudTrail
 * without running a key of our own), deletion protection and RETAIN in prod, DESTROY in dev.
 */
export function createTable(scope: Construct, id: string, options: TableOptions): Table {
  return new Table(scope, id, {
    partitionKey: { name: options.partitionKey, type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: TableEncryption.AWS_MANAGED,
    deletionProtection: options.config.protectData,
    removalPolicy: options.config.removalPolicy,
    ...(options.timeToLiveAttribute ? { timeToLiveAttribute: options.timeToLiveAttribute } : {}),
    ...(options.stream ? { stream: options.stream } : {}),
  });
}

/**
 * The item actions of the Powertools idempotency persistence layer (DynamoDB): read the record, create it
 * conditionally, complete it, delete it when the handler fails.
 */
export function grantIdempotencyAccess(table: ITable, grantee: IGrantable): void {
  table.grant(grantee, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem');
}
