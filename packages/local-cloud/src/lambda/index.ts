export type { RuntimeEnvironmentSettings } from './environment.js';
export { FunctionNotFoundError, LambdaRunnerError } from './errors.js';
export {
  compileFilterPattern,
  createFilterMatcher,
  FilterCriteriaError,
  passesFilters,
} from './event-filter.js';
export {
  handleLambdaInvoke,
  type InvokeApiRequest,
  type InvokeApiResponse,
  LAMBDA_INVOKE_PATH,
  lambdaInvokeListener,
} from './invoke-api.js';
export {
  functionNameOf,
  type IdleWorkerFault,
  type InvocationFault,
  type LambdaRunner,
  type LambdaRunnerOptions,
  startLambdaRunner,
} from './runner.js';
export type {
  AsyncInvokeConfig,
  EventSourceMapping,
  FunctionDefinition,
  FunctionError,
  HttpApiDefinition,
  HttpRouteDefinition,
  InvocationResult,
  LambdaTopology,
  LogSink,
  PatternMatcher,
  SqsEventSourceMapping,
  StreamEventSourceMapping,
} from './types.js';
