/**
 * `@breakwater/local-cloud`: a local AWS cloud for CDK apps, without Docker. It synthesizes (or reads) a CDK app's
 * cloud assembly, deploys its templates into emulated services on one edge endpoint, and runs its bundled
 * functions with their event sources; `cdk deploy` can target the same edge. What users call; internals stay
 * unexported. The command line is `breakwater-local`; the HTTP helpers for an app's own fake servers are in
 * `@breakwater/local-cloud/http`.
 */

export { type SynthesizedApp, type SynthesizeOptions, synthesizeApp } from './cloud/assembly.js';
export {
  type CdkTarget,
  type CloudFormationTarget,
  startCdkTarget,
} from './cloud/cloudformation-target.js';
export {
  type FunctionReload,
  type FunctionWatchOptions,
  startFunctionWatch,
} from './cloud/function-watch.js';
export { startLocalCloud } from './cloud/local-cloud.js';
export type {
  LocalCloud,
  LocalCloudEndpoints,
  LocalCloudOptions,
  SecretSources,
} from './cloud/local-cloud-types.js';
export {
  createLocalClients,
  DeployerError,
  deployLocal,
  destroyLocalClients,
  type LocalClients,
  type LocalDeployment,
} from './deployer/index.js';
export type { DeployOptions, LocalValue, ValueOverrides } from './deployer/types.js';
export { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb/dynamodb-local.js';
export { FAULTS_PATH } from './faults/edge-faults.js';
export type { FaultKind, FaultRule, FaultService, FaultSpecInput } from './faults/fault-model.js';
export { describeSpec, type FaultActuator, FaultSpecError, FaultStore } from './faults/fault-store.js';
export { FaultsApiError, FaultsClient } from './faults/faults-client.js';
export {
  type FunctionLogEntry,
  LOG_LEVELS,
  type LogLevelName,
  parseFunctionLogLine,
} from './lambda/log-entry.js';
export { type RedisServer, startRedisServer } from './redis/redis-server.js';
export type { CircuitReading, GatewayReading, StatusSources } from './status/sources.js';
export { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './support/aws-protocol.js';
export { ConfigurationError, LocalCloudError } from './support/errors.js';
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
} from './support/ports.js';
export { startUpstashEndpoint, type UpstashEndpoint } from './upstash/index.js';
