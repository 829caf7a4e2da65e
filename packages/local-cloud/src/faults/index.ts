export { invocationFaults, lambdaActuator, redisActuator } from './actuators.js';
export { DEFAULT_ERROR_CODE, jsonErrorType, statusOfCode } from './aws-fault-errors.js';
export { FAULTS_PATH, handleFaultsApi, serveWithFaults } from './edge-faults.js';
export {
  type FaultKind,
  type FaultRule,
  type FaultService,
  FaultServices,
  type FaultSpec,
  type FaultSpecInput,
  FaultSpecSchema,
  KINDS_BY_SERVICE,
} from './fault-model.js';
export {
  type FaultActuator,
  type FaultRequest,
  FaultSpecError,
  FaultStore,
  type FaultStoreOptions,
  globMatcher,
} from './fault-store.js';
export { FaultsApiError, FaultsClient } from './faults-client.js';
export { withPutEventsFaults } from './put-events-faults.js';
