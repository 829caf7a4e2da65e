export type { RuntimeEnvironmentSettings } from './environment';
export { FunctionNotFoundError, LambdaRunnerError } from './errors';
export {
  compileFilterPattern,
  createFilterMatcher,
  FilterCriteriaError,
  passesFilters,
} from './event-filter';
export {
  handleLambdaInvoke,
  type InvokeApiRequest,
  type InvokeApiResponse,
  LAMBDA_INVOKE_PATH,
  lambdaInvokeListener,
} from './invoke-api';
export {
  functionNameOf,
  type IdleWorkerFault,
  type InvocationFault,
  type LambdaRunner,
  type LambdaRunnerOptions,
  startLambdaRunner,
} from './runner';
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
} from './types';
