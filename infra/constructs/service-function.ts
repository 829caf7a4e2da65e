import type { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EnvNames } from '../../shared/config/env-names';
import type { StageConfig } from '../config';
import { nodejsFunctionDefaults } from '../defaults/functions';
import { type FunctionName, functionEntry } from '../paths';
import { acknowledge, acknowledgeFunctionRole, NagReasons } from './nag';

/** Properties of a {@link ServiceFunction}. */
export interface ServiceFunctionProps {
  /** Folder under `functions/` whose `handler.ts` is bundled. */
  readonly name: FunctionName;
  readonly config: StageConfig;
  /** `POWERTOOLS_SERVICE_NAME`. Default: `name`. */
  readonly serviceName?: string;
  /**
   * Extra environment: names from `EnvNames` only, and for secrets only their ARN. `STAGE` and the Powertools
   * variables are always set. Default: none.
   */
  readonly environment?: Readonly<Record<string, string>>;
  /** Default: `FunctionDefaults.timeout` (10 s). */
  readonly timeout?: Duration;
  /** Default: `FunctionDefaults.memorySize` (256 MB). */
  readonly memorySize?: number;
  /** Hard ceiling of concurrent executions. Default: unreserved (see `FunctionDefaults` for why). */
  readonly reservedConcurrentExecutions?: number;
  /** The function reads a DynamoDB stream (adds the ListStreams reason to the role's acknowledgement). Default: false. */
  readonly readsDynamoStream?: boolean;
  /**
   * The function is invoked asynchronously (a rule target): events that fail after Lambda's asynchronous retries go
   * to this queue (the function's DeadLetterConfig). Default: none, the function is only invoked synchronously.
   */
  readonly deadLetterQueue?: IQueue;
  readonly description?: string;
}

/**
 * A NodejsFunction with Breakwater's defaults, its own role and its own log group.
 *
 * The role starts empty: no `AWSLambdaBasicExecutionRole` managed policy (which allows writing to every log group
 * of the account); it may write to this function's log group only, and every other permission is granted by the
 * stack through the resources' `grant*` methods.
 */
export class ServiceFunction extends Construct {
  public readonly function: NodejsFunction;
  public readonly role: Role;
  public readonly logGroup: LogGroup;

  public constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const { config } = props;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${config.prefix}-${props.name}`,
    });
    this.logGroup.grantWrite(this.role);

    const defaults = nodejsFunctionDefaults({ config, serviceName: props.serviceName ?? props.name });
    this.function = new NodejsFunction(this, 'Function', {
      ...defaults,
      entry: functionEntry(props.name),
      role: this.role,
      logGroup: this.logGroup,
      description: props.description ?? `${config.prefix} ${props.name}`,
      ...(props.timeout ? { timeout: props.timeout } : {}),
      ...(props.memorySize ? { memorySize: props.memorySize } : {}),
      ...(props.deadLetterQueue === undefined ? {} : { deadLetterQueue: props.deadLetterQueue }),
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      environment: { ...defaults.environment, [EnvNames.stage]: config.stage, ...props.environment },
    });

    acknowledgeFunctionRole(this.role, { readsDynamoStream: props.readsDynamoStream ?? false });
    if (props.deadLetterQueue === undefined) {
      acknowledge(this.function, 'Serverless-LambdaDLQ', NagReasons.syncOnly);
    }
  }
}
