export { invocationFaults, lambdaActuator, redisActuator } from './actuators';
export { DEFAULT_ERROR_CODE, jsonErrorType, statusOfCode } from './aws-fault-errors';
export { FAULTS_PATH, handleFaultsApi, serveWithFaults } from './edge-faults';
export {
  type FaultKind,
  type FaultRule,
  type FaultService,
  FaultServices,
  type FaultSpec,
  type FaultSpecInput,
  FaultSpecSchema,
  KINDS_BY_SERVICE,
} from './fault-model';
export {
  type FaultActuator,
  type FaultRequest,
  FaultSpecError,
  FaultStore,
  type FaultStoreOptions,
  globMatcher,
} from './fault-store';
export { FaultsApiError, FaultsClient } from './faults-client';
export { withPutEventsFaults } from './put-events-faults';
