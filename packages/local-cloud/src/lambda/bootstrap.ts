/**
 * The execution environment of one local Lambda function: a child process that imports the bundled handler once
 * (the init phase) and then runs one invocation at a time on request over IPC, like Lambda's Node.js runtime.
 *
 * Runs under plain Node (type stripping), so it imports only `node:` modules and types.
 */
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import type { EnvironmentMessage, InvokeMessage } from './protocol.js';
import type { FunctionError } from './types.js';

type Handler = (event: unknown, context: Record<string, unknown>) => unknown;

const [codeDirectory = '', handlerSetting = '', runtimeModulesParent = '', functionArn = ''] =
  process.argv.slice(2);
let currentRequestId: string | undefined;

const send = (message: EnvironmentMessage): void => {
  process.send?.(message);
};

const toFunctionError = (error: unknown, fallbackType = 'Error'): FunctionError => {
  if (error instanceof Error) {
    return {
      errorType: error.name || fallbackType,
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n'),
    };
  }
  return { errorType: fallbackType, errorMessage: String(error) };
};

// Lambda's runtime provides the AWS SDK v3; bundles leave it external. Resolve it from the project when the bundle's
// own directory has no node_modules, and only it: any other missing module is a bundling bug Lambda would hit too.
const runtimeProvided = (specifier: string) =>
  specifier.startsWith('@aws-sdk/') || specifier.startsWith('@smithy/');
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!runtimeProvided(specifier) || runtimeModulesParent === '') throw error;
      return nextResolve(specifier, { ...context, parentURL: runtimeModulesParent });
    }
  },
});

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

// Lambda's log formats: text (timestamp, request id, level, message) or, with `LoggingConfig.LogFormat: JSON`,
// one JSON object per line, dropping levels under the application log level.
const patchConsole = () => {
  const json = process.env.AWS_LAMBDA_LOG_FORMAT === 'JSON';
  const minimum = json ? Math.max(0, LEVELS.indexOf(process.env.AWS_LAMBDA_LOG_LEVEL ?? 'INFO')) : 0;
  const write =
    (level: string, stream: NodeJS.WriteStream) =>
    (...args: unknown[]) => {
      if (LEVELS.indexOf(level) < minimum) return;
      const timestamp = new Date().toISOString();
      const message = format(...args);
      stream.write(
        json
          ? `${JSON.stringify({ timestamp, level, requestId: currentRequestId, message })}\n`
          : `${timestamp}\t${currentRequestId ?? 'undefined'}\t${level}\t${message}\n`,
      );
    };
  console.log = write('INFO', process.stdout);
  console.info = write('INFO', process.stdout);
  console.debug = write('DEBUG', process.stdout);
  console.warn = write('WARN', process.stderr);
  console.error = write('ERROR', process.stderr);
  console.trace = write('TRACE', process.stderr);
};

const loadHandler = async (): Promise<Handler> => {
  const slash = handlerSetting.lastIndexOf('/');
  const dot = handlerSetting.indexOf('.', slash + 1);
  if (dot < 0)
    throw Object.assign(new Error(`Bad handler ${handlerSetting}`), { name: 'Runtime.MalformedHandlerName' });
  const modulePath = join(codeDirectory, handlerSetting.slice(0, dot));
  const exportPath = handlerSetting.slice(dot + 1).split('.');
  const file = ['.js', '.mjs', '.cjs']
    .map((ext) => `${modulePath}${ext}`)
    .find((candidate) => existsSync(candidate));
  if (file === undefined) {
    throw Object.assign(new Error(`Cannot find module '${modulePath}'`), {
      name: 'Runtime.ImportModuleError',
    });
  }
  let target: unknown = await import(pathToFileURL(file).href);
  for (const key of exportPath) target = (target as Record<string, unknown> | undefined)?.[key];
  if (typeof target !== 'function') {
    throw Object.assign(new Error(`${handlerSetting} is undefined or not exported`), {
      name: 'Runtime.HandlerNotFound',
    });
  }
  return target as Handler;
};

const createContext = (message: InvokeMessage): Record<string, unknown> => {
  const env = process.env;
  return {
    awsRequestId: message.requestId,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: functionArn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - Date.now()),
  };
};

const invoke = async (handler: Handler, message: InvokeMessage): Promise<void> => {
  currentRequestId = message.requestId;
  // Lambda sets the trace header per invocation; unsampled, so tracers stay quiet without an X-Ray daemon.
  process.env._X_AMZN_TRACE_ID = message.traceId;
  try {
    const result = await handler(message.event, createContext(message));
    // Lambda serializes the result with JSON.stringify; `undefined` becomes null.
    send({
      type: 'result',
      requestId: message.requestId,
      ok: true,
      payload: JSON.stringify(result) ?? 'null',
    });
  } catch (error) {
    const functionError = toFunctionError(error);
    console.error('Invoke Error', JSON.stringify(functionError));
    send({ type: 'result', requestId: message.requestId, ok: false, error: functionError });
  }
};

const main = async () => {
  patchConsole();
  // An exception nobody awaits ends the environment, as on Lambda; the runner fails the invocation in flight.
  process.on('uncaughtException', (error) => {
    console.error('Uncaught Exception', JSON.stringify(toFunctionError(error)));
    process.exit(129);
  });
  process.on('unhandledRejection', (reason) => {
    console.error(
      'Unhandled Promise Rejection',
      JSON.stringify(toFunctionError(reason, 'Runtime.UnhandledPromiseRejection')),
    );
    process.exit(128);
  });
  let handler: Handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    send({ type: 'init-error', error: toFunctionError(error, 'Runtime.ImportModuleError') });
    return;
  }
  // The runner went away (even by SIGKILL): nothing of the local cloud may outlive it.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: InvokeMessage) => {
    if (message.type === 'invoke') void invoke(handler, message);
  });
  send({ type: 'ready' });
};

void main();
