export { type CloudAssemblyView, readCloudAssembly } from './assembly.js';
export {
  createLocalClients,
  destroyLocalClients,
  type LocalClients,
  type LocalEndpoints,
} from './clients.js';
export { deployLocal } from './deploy.js';
export { DeployerError } from './errors.js';
export { type IntrinsicContext, NO_VALUE, referencedNames, resolveValue } from './intrinsics.js';
export { findResource, stackOutput } from './lookup.js';
export { DEFAULT_LOCAL_ENVIRONMENT, type LocalEnvironment } from './naming.js';
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
} from './types.js';
