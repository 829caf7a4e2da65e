/**
 * `@breakwater/local-cloud`: a local AWS cloud for CDK apps, without Docker. It synthesizes (or reads) a CDK app's
 * cloud assembly, deploys its templates into emulated services on one edge endpoint, and runs its bundled
 * functions with their event sources; `cdk deploy` can target the same edge. What users call; internals stay
 * unexported. The command line is `breakwater-local`; the HTTP helpers for an app's own fake servers are in
 * `@breakwater/local-cloud/http`.
 */

export { type SynthesizedApp, type SynthesizeOptions, synthesizeApp } from './cloud/assembly';
export {
  type CdkTarget,
  type CloudFormationTarget,
  startCdkTarget,
} from './cloud/cloudformation-target';
export { type FunctionReload, type FunctionWatchOptions, startFunctionWatch } from './cloud/function-watch';
export {
  type LocalCloud,
  type LocalCloudEndpoints,
  type LocalCloudOptions,
  type SecretSources,
  startLocalCloud,
} from './cloud/local-cloud';
export {
  createLocalClients,
  DeployerError,
  deployLocal,
  destroyLocalClients,
  type LocalClients,
  type LocalDeployment,
} from './deployer';
export type { DeployOptions, LocalValue, ValueOverrides } from './deployer/types';
export { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb/dynamodb-local';
export { FAULTS_PATH } from './faults/edge-faults';
export type { FaultKind, FaultRule, FaultService, FaultSpecInput } from './faults/fault-model';
export { describeSpec, type FaultActuator, FaultSpecError, FaultStore } from './faults/fault-store';
export { FaultsApiError, FaultsClient } from './faults/faults-client';
export {
  type FunctionLogEntry,
  LOG_LEVELS,
  type LogLevelName,
  parseFunctionLogLine,
} from './lambda/log-entry';
export { type RedisServer, startRedisServer } from './redis/redis-server';
export type { CircuitReading, GatewayReading, StatusSources } from './status/sources';
export { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './support/aws-protocol';
export { ConfigurationError, LocalCloudError } from './support/errors';
export {
  canConnect,
  DefaultLocalPorts,
  freePort,
  LocalPortEnv,
  type LocalPorts,
  type PortSource,
  resolvePort,
  resolvePorts,
  waitForPort,
} from './support/ports';
export { startUpstashEndpoint, type UpstashEndpoint } from './upstash';
