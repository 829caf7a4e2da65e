import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { LambdaTopology } from '../lambda/types.js';
import type { LocalEnvironment } from './naming.js';

/** SDK clients of the local cloud. Each is needed only when the templates hold resources of its service. */
export interface DeployClients {
  readonly sqs?: SQSClient;
  readonly dynamodb?: DynamoDBClient;
  readonly eventBridge?: EventBridgeClient;
  readonly secretsManager?: SecretsManagerClient;
  readonly ssm?: SSMClient;
  readonly sns?: SNSClient;
  readonly cloudWatch?: CloudWatchClient;
  readonly logs?: CloudWatchLogsClient;
}

/** A secret or parameter of the templates, as an override hook sees it. */
export interface OverridableResource {
  readonly stackName: string;
  readonly logicalId: string;
  /** The secret or parameter name (given in the template or generated). */
  readonly name: string;
  readonly description?: string;
}

/** A local value: a string, or an object stored as its JSON. */
export type LocalValue = string | Readonly<Record<string, unknown>>;

/**
 * Local values for secrets or SSM parameters. A map is looked up by name, `<stack>/<logicalId>`, logical id, or a
 * logical-id prefix (CDK appends an 8-character hash: `RedisSecret` matches `RedisSecretA1B2C3D4`); a function
 * decides per resource. `undefined` keeps the template's value (a generated secret for `GenerateSecretString`).
 */
export type ValueOverrides =
  | Readonly<Record<string, LocalValue>>
  | ((resource: OverridableResource) => LocalValue | undefined);

/** Options of `deployLocal`; every default is documented. */
export interface DeployOptions {
  /** The synthesized cloud assembly, e.g. `cdk.out`. */
  readonly assemblyDirectory: string;
  readonly clients: DeployClients;
  /** Default: account 000000000000, us-east-1. */
  readonly environment?: Partial<LocalEnvironment>;
  /** Values for `AWS::SecretsManager::Secret` resources (e.g. the local Redis URL and token). */
  readonly secretValues?: ValueOverrides;
  /** Values for `AWS::SSM::Parameter` resources. */
  readonly parameterValues?: ValueOverrides;
  /** Values for template `Parameters`, by parameter name (all stacks). */
  readonly templateParameters?: Readonly<Record<string, string>>;
  /**
   * Ports of the HTTP APIs, by API name, logical id or construct id (`HttpApi` for `HttpApiF5A9A8A7`); default: the
   * port in `previous`, else a free port.
   */
  readonly httpApiPorts?: Readonly<Record<string, number>>;
  /** Host of the HTTP API endpoints; default `127.0.0.1`. */
  readonly httpHost?: string;
  /** Only these stacks (by name) and the stacks they depend on; default all. */
  readonly stacks?: readonly string[];
  /** The deployment this one replaces: its HTTP APIs keep their ports, so their URLs stay the same. */
  readonly previous?: LocalDeployment;
  /** Progress and warning lines; default stdout. */
  readonly log?: (line: string) => void;
}

/** One resource after deployment. */
export interface DeployedResource {
  readonly logicalId: string;
  readonly type: string;
  /** What `Ref` returns. */
  readonly physicalId: string;
  /** What `Fn::GetAtt` returns, by attribute name. */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** False for resources that only got placeholder names (IAM, alarms...): nothing was created. */
  readonly emulated: boolean;
}

/** One deployed stack. */
export interface DeployedStack {
  readonly stackName: string;
  readonly resources: Readonly<Record<string, DeployedResource>>;
  /** The stack outputs, resolved. */
  readonly outputs: Readonly<Record<string, string>>;
}

/** Resource types that were not created, with how many and why. */
export interface NotEmulatedSummary {
  readonly type: string;
  readonly count: number;
  readonly reason: string;
}

/** The result of a local deployment: names, ARNs and URLs of everything, and what the Lambda runner needs. */
export interface LocalDeployment {
  readonly environment: LocalEnvironment;
  /** In deployment order. */
  readonly stacks: readonly DeployedStack[];
  /** Every export, by export name. */
  readonly exports: Readonly<Record<string, string>>;
  readonly notEmulated: readonly NotEmulatedSummary[];
  /** Things deployed with a caveat (an authorizer not enforced, an unsupported event source...). */
  readonly warnings: readonly string[];
  readonly lambda: LambdaTopology;
}
