/**
 * The Lambda topology the deployer hands to the runner: plain data read from the synthesized templates, with every
 * intrinsic already resolved to local names, ARNs and URLs. Defaults follow AWS's documented defaults.
 */

/** One function, as `AWS::Lambda::Function` describes it. */
export interface FunctionDefinition {
  readonly functionName: string;
  readonly functionArn: string;
  readonly stackName: string;
  readonly logicalId: string;
  /** E.g. `nodejs24.x`; only `nodejs*` runtimes can run locally. */
  readonly runtime: string;
  /** `<file>.<export>`, e.g. `index.handler`; the file may sit in a sub-directory (`src/index.handler`). */
  readonly handler: string;
  /** Absolute directory holding the code (the cdk.out asset directory). */
  readonly codeDirectory: string;
  /** The template's `Environment.Variables`, resolved. */
  readonly environment: Readonly<Record<string, string>>;
  /** Default 3 (AWS's default). */
  readonly timeoutSeconds: number;
  /** Default 128. */
  readonly memorySizeMb: number;
  /** `ReservedConcurrentExecutions`, when set: caps the function's concurrent execution environments. */
  readonly reservedConcurrency?: number;
  /** `DeadLetterConfig.TargetArn`: where failed asynchronous invocations go when no on-failure destination is set. */
  readonly deadLetterTargetArn?: string;
  /** `LoggingConfig.LogFormat`; default `Text`. With `JSON`, console output is one JSON object per line. */
  readonly logFormat?: 'Text' | 'JSON';
  /** `LoggingConfig.ApplicationLogLevel` (JSON format only); default `INFO`. */
  readonly applicationLogLevel?: string;
  /** `LoggingConfig.LogGroup`: where the function's logs go; default `/aws/lambda/<functionName>`. */
  readonly logGroup?: string;
}

/** `AWS::Lambda::EventInvokeConfig`: how asynchronous invocations of one function are retried and routed. */
export interface AsyncInvokeConfig {
  readonly functionName: string;
  /** 0–2; default 2. */
  readonly maximumRetryAttempts: number;
  /** 60–21600; default 21600 (6 hours). */
  readonly maximumEventAgeSeconds: number;
  readonly onSuccessDestinationArn?: string;
  readonly onFailureDestinationArn?: string;
}

interface EventSourceMappingBase {
  /** Stable id: `<stack>/<logicalId>`. */
  readonly id: string;
  readonly functionName: string;
  readonly eventSourceArn: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  /** `FunctionResponseTypes` contains `ReportBatchItemFailures`. */
  readonly reportBatchItemFailures: boolean;
  /** `FilterCriteria.Filters[].Pattern`, each a JSON event pattern; a record passes when any pattern matches. */
  readonly filterPatterns: readonly string[];
  readonly enabled: boolean;
}

/** An SQS event source mapping. Defaults: batch 10, window 0. */
export interface SqsEventSourceMapping extends EventSourceMappingBase {
  readonly kind: 'sqs';
  /** `ScalingConfig.MaximumConcurrency` (2–1000), when set. */
  readonly maximumConcurrency?: number;
}

/** A DynamoDB stream event source mapping. Defaults: batch 100, retries -1 (until the record expires). */
export interface StreamEventSourceMapping extends EventSourceMappingBase {
  readonly kind: 'dynamodb-stream';
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  readonly bisectBatchOnFunctionError: boolean;
  /** -1 means retry until the record expires. */
  readonly maximumRetryAttempts: number;
  /** `DestinationConfig.OnFailure.Destination` (an SQS queue ARN locally). */
  readonly onFailureDestinationArn?: string;
}

/** An event source mapping the runner polls. */
export type EventSourceMapping = SqsEventSourceMapping | StreamEventSourceMapping;

/** One `AWS::ApiGatewayV2::Route` with an `AWS_PROXY` Lambda integration. */
export interface HttpRouteDefinition {
  /** `GET /orders/{id}`, `ANY /{proxy+}` or `$default`. */
  readonly routeKey: string;
  readonly functionName: string;
  /** Only `2.0` is emulated; a `1.0` route answers 500 and says so in the log. */
  readonly payloadFormatVersion: string;
  /**
   * `NONE`, or `AWS_IAM`: signatures are not checked locally, but the caller identity is derived from the access key
   * (`localIamAuthorizer`). Other authorizers are listed as not emulated by the deployer.
   */
  readonly authorizationType: string;
  /** Integration `TimeoutInMillis`; default 30000 (the HTTP API maximum). */
  readonly integrationTimeoutMs: number;
}

/** One HTTP API (`AWS::ApiGatewayV2::Api`, `ProtocolType: HTTP`) served on a local port. */
export interface HttpApiDefinition {
  readonly apiId: string;
  readonly name: string;
  /** The port the runner serves the API on (chosen at deploy, so the stack outputs can carry the URL). */
  readonly port: number;
  /** `http://127.0.0.1:<port>`: the value of `Fn::GetAtt Api.ApiEndpoint`. */
  readonly endpoint: string;
  /** Stage names; `$default` serves at the root, any other stage under `/<stage>`. */
  readonly stages: readonly string[];
  readonly routes: readonly HttpRouteDefinition[];
}

/** Everything the Lambda runner needs to run the deployed functions and their triggers. */
export interface LambdaTopology {
  readonly functions: readonly FunctionDefinition[];
  readonly asyncInvokeConfigs: readonly AsyncInvokeConfig[];
  readonly eventSourceMappings: readonly EventSourceMapping[];
  readonly httpApis: readonly HttpApiDefinition[];
}

/** The error a failed invocation reports, in Lambda's shape. */
export interface FunctionError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/** The outcome of one invocation. `payload` is the handler's result after a JSON round trip (as Lambda returns it). */
export type InvocationResult =
  | { readonly requestId: string; readonly ok: true; readonly payload: unknown }
  | {
      readonly requestId: string;
      readonly ok: false;
      readonly error: FunctionError;
      readonly timedOut: boolean;
    };

/** Injected event-pattern matcher (e.g. the EventBridge emulator's), used for event source filter criteria. */
export type PatternMatcher = (pattern: string, event: unknown) => boolean;

/** Where a log line came from, when a function wrote it: its log stream (one per execution environment). */
export interface LogLineContext {
  /** `AWS_LAMBDA_LOG_GROUP_NAME` of the function: `LoggingConfig.LogGroup`, else `/aws/lambda/<name>`. */
  readonly logGroup: string;
  /** `AWS_LAMBDA_LOG_STREAM_NAME` of the environment, e.g. `2026/12/02/[$LATEST]<id>`. */
  readonly logStream: string;
}

/** Where the runner writes function and platform log lines (`context` is given for a function's own lines). */
export type LogSink = (source: string, line: string, context?: LogLineContext) => void;

/**
 * What CloudWatch measures of the functions and HTTP APIs (AWS/Lambda and AWS/ApiGateway metrics): the runner tells
 * an observer, the local cloud turns it into metrics. Every member is optional.
 */
export interface RunnerObserver {
  /** One invocation ended: its duration (handler time), whether it failed, whether it waited for concurrency. */
  invocation?(event: {
    readonly functionName: string;
    readonly durationMs: number;
    readonly ok: boolean;
    readonly throttled: boolean;
  }): void;
  /** A stream batch was read: the arrival time (epoch ms) of its newest record (IteratorAge). */
  streamBatch?(event: { readonly functionName: string; readonly lastRecordArrivalMs: number }): void;
  /** An HTTP API answered a request. */
  apiRequest?(event: {
    readonly apiId: string;
    readonly stage: string;
    readonly status: number;
    readonly latencyMs: number;
  }): void;
}
