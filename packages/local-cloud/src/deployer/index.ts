export { type CloudAssemblyView, readCloudAssembly } from './assembly';
export { createLocalClients, destroyLocalClients, type LocalClients, type LocalEndpoints } from './clients';
export { deployLocal } from './deploy';
export { DeployerError } from './errors';
export { type IntrinsicContext, NO_VALUE, referencedNames, resolveValue } from './intrinsics';
export { findResource, stackOutput } from './lookup';
export { DEFAULT_LOCAL_ENVIRONMENT, type LocalEnvironment } from './naming';
export type {
  DeployClients,
  DeployedResource,
  DeployedStack,
  DeployOptions,
  LocalDeployment,
  LocalValue,
  NotEmulatedSummary,
  OverridableResource,
  ValueOverrides,
} from './types';
