import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventSourceMapping } from '../../lambda/types.js';
import { DeployerError } from '../errors.js';
import { generatedName, localArn, stableToken, stableUuid } from '../naming.js';
import {
  listOf,
  optionalBoolean,
  optionalNumber,
  optionalString,
  type Properties,
  recordOf,
  requiredString,
} from '../properties.js';
import type { ProvisionContext, Provisioner, ProvisionRequest } from './provisioner.js';

/** The directory holding a function's code: a cdk.out asset directory, or inline code written to a temp dir. */
const codeDirectory = (
  { stackName, logicalId, properties }: ProvisionRequest,
  context: ProvisionContext,
): string => {
  const code = recordOf(properties, 'Code');
  const inline = optionalString(code, 'ZipFile');
  if (inline !== undefined) {
    // Lambda stores inline Node.js code as index.js.
    const directory = join(tmpdir(), 'breakwater-inline', stableToken(`${stackName}/${logicalId}`));
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'index.js'), inline);
    return directory;
  }
  const s3Key = optionalString(code, 'S3Key');
  const assetPath = s3Key === undefined ? undefined : context.assembly.assetPath(s3Key);
  if (assetPath === undefined) {
    throw new DeployerError(
      `function ${stackName}/${logicalId}: code ${JSON.stringify(code)} is not an asset of the assembly`,
    );
  }
  if (!statSync(assetPath).isDirectory()) {
    throw new DeployerError(
      `function ${stackName}/${logicalId}: asset ${assetPath} is a file; only directory assets run`,
    );
  }
  return assetPath;
};

const stringMap = (values: Properties): Record<string, string> =>
  Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );

/**
 * `AWS::Lambda::Function`: registered with the runner (nothing to create): code directory, handler, runtime,
 * resolved environment, timeout, memory, reserved concurrency, DLQ. Image functions cannot run locally.
 * Ref = name; GetAtt Arn.
 */
export const provisionFunction: Provisioner = async (request, context) => {
  const { stackName, logicalId, properties } = request;
  const functionName = optionalString(properties, 'FunctionName') ?? generatedName(stackName, logicalId, 64);
  const functionArn = localArn(context.environment, 'lambda', `function:${functionName}`);
  if (optionalString(properties, 'PackageType') === 'Image') {
    return {
      physicalId: functionName,
      attributes: { Arn: functionArn },
      notEmulatedReason: 'image functions do not run locally',
    };
  }
  let directory: string;
  try {
    directory = codeDirectory(request, context);
  } catch (error) {
    if (!(error instanceof DeployerError)) throw error;
    context.warn(error.message);
    return {
      physicalId: functionName,
      attributes: { Arn: functionArn },
      notEmulatedReason: 'code not runnable locally',
    };
  }
  const runtime = optionalString(properties, 'Runtime') ?? 'nodejs24.x';
  if (listOf(properties, 'Layers').length > 0) {
    context.warn(
      `function ${functionName}: layers are not loaded locally; the bundle must be self-contained`,
    );
  }
  const logging = recordOf(properties, 'LoggingConfig');
  const applicationLogLevel = optionalString(logging, 'ApplicationLogLevel');
  const reserved = optionalNumber(properties, 'ReservedConcurrentExecutions');
  const deadLetterTargetArn = optionalString(recordOf(properties, 'DeadLetterConfig'), 'TargetArn');
  context.topology.addFunction({
    functionName,
    functionArn,
    stackName,
    logicalId,
    runtime,
    handler: requiredString(properties, 'Handler'),
    codeDirectory: directory,
    environment: stringMap(recordOf(recordOf(properties, 'Environment'), 'Variables')),
    timeoutSeconds: optionalNumber(properties, 'Timeout') ?? 3,
    memorySizeMb: optionalNumber(properties, 'MemorySize') ?? 128,
    ...(reserved === undefined ? {} : { reservedConcurrency: reserved }),
    ...(deadLetterTargetArn === undefined ? {} : { deadLetterTargetArn }),
    ...(optionalString(logging, 'LogFormat') === 'JSON' ? { logFormat: 'JSON' as const } : {}),
    ...(applicationLogLevel === undefined ? {} : { applicationLogLevel }),
    ...(optionalString(logging, 'LogGroup') === undefined
      ? {}
      : { logGroup: optionalString(logging, 'LogGroup') as string }),
  });
  // Registered anyway, so that invoking it says why it cannot run rather than that it does not exist.
  const notRunnable = runtime.startsWith('nodejs') ? undefined : `runtime ${runtime} does not run locally`;
  return {
    physicalId: functionName,
    attributes: { Arn: functionArn },
    ...(notRunnable ? { notEmulatedReason: notRunnable } : {}),
  };
};

const filterPatterns = (properties: Properties): string[] =>
  listOf(recordOf(properties, 'FilterCriteria'), 'Filters').map((filter) => {
    const pattern = (filter as Properties).Pattern;
    return typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
  });

/**
 * `AWS::Lambda::EventSourceMapping` for SQS queues and DynamoDB streams, registered with the runner with AWS's
 * defaults. Other sources (Kinesis, Kafka, MQ) are listed as not emulated. Ref = UUID.
 */
export const provisionEventSourceMapping: Provisioner = async (
  { stackName, logicalId, properties },
  context,
) => {
  const uuid = stableUuid(`${stackName}/${logicalId}`);
  const attributes = {
    Id: uuid,
    EventSourceMappingArn: localArn(context.environment, 'lambda', `event-source-mapping:${uuid}`),
  };
  const eventSourceArn = requiredString(properties, 'EventSourceArn');
  const service = eventSourceArn.split(':')[2];
  const common = {
    id: `${stackName}/${logicalId}`,
    functionName: requiredString(properties, 'FunctionName'),
    eventSourceArn,
    maximumBatchingWindowSeconds: optionalNumber(properties, 'MaximumBatchingWindowInSeconds') ?? 0,
    reportBatchItemFailures: listOf(properties, 'FunctionResponseTypes').includes('ReportBatchItemFailures'),
    filterPatterns: filterPatterns(properties),
    enabled: optionalBoolean(properties, 'Enabled') ?? true,
  };
  let mapping: EventSourceMapping;
  if (service === 'sqs') {
    const maximumConcurrency = optionalNumber(recordOf(properties, 'ScalingConfig'), 'MaximumConcurrency');
    mapping = {
      ...common,
      kind: 'sqs',
      batchSize: optionalNumber(properties, 'BatchSize') ?? 10,
      ...(maximumConcurrency === undefined ? {} : { maximumConcurrency }),
    };
  } else if (service === 'dynamodb') {
    const onFailure = optionalString(
      recordOf(recordOf(properties, 'DestinationConfig'), 'OnFailure'),
      'Destination',
    );
    mapping = {
      ...common,
      kind: 'dynamodb-stream',
      batchSize: optionalNumber(properties, 'BatchSize') ?? 100,
      startingPosition:
        optionalString(properties, 'StartingPosition') === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
      bisectBatchOnFunctionError: optionalBoolean(properties, 'BisectBatchOnFunctionError') ?? false,
      maximumRetryAttempts: optionalNumber(properties, 'MaximumRetryAttempts') ?? -1,
      ...(onFailure === undefined ? {} : { onFailureDestinationArn: onFailure }),
    };
  } else {
    return { physicalId: uuid, attributes, notEmulatedReason: `event source ${service} is not emulated` };
  }
  context.topology.addMapping(mapping);
  return { physicalId: uuid, attributes };
};

/** `AWS::Lambda::EventInvokeConfig`: retries, maximum event age and destinations of asynchronous invokes. */
export const provisionEventInvokeConfig: Provisioner = async (
  { stackName, logicalId, properties },
  context,
) => {
  const destinations = recordOf(properties, 'DestinationConfig');
  const onSuccess = optionalString(recordOf(destinations, 'OnSuccess'), 'Destination');
  const onFailure = optionalString(recordOf(destinations, 'OnFailure'), 'Destination');
  context.topology.addAsyncConfig({
    functionName: requiredString(properties, 'FunctionName'),
    maximumRetryAttempts: optionalNumber(properties, 'MaximumRetryAttempts') ?? 2,
    maximumEventAgeSeconds: optionalNumber(properties, 'MaximumEventAgeInSeconds') ?? 21_600,
    ...(onSuccess === undefined ? {} : { onSuccessDestinationArn: onSuccess }),
    ...(onFailure === undefined ? {} : { onFailureDestinationArn: onFailure }),
  });
  return { physicalId: stableUuid(`${stackName}/${logicalId}`), attributes: {} };
};
