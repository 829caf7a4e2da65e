import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { queryServiceBackend } from '../cloudformation/query-backend.js';
import { createS3Store, type S3Store, s3Backend } from '../cloudformation/s3.js';
import { type CloudFormationOptions, createCloudFormation } from '../cloudformation/stacks.js';
import { createLocalClients, destroyLocalClients, type LocalDeployment } from '../deployer/index.js';
import { createEventBridgeService, realTimeScheduler } from '../eventbridge/index.js';
import { type LambdaRunner, startLambdaRunner } from '../lambda/index.js';
import { AwsServiceError, LOCAL_REGION } from '../support/aws-protocol.js';
import type { CoreServices } from './core-services.js';
import { startCoreServices } from './core-services.js';
import { lambdaBackend } from './lambda-backend.js';
import { createStackRealizer } from './stack-realizer.js';
import { createTargetDelivery } from './target-delivery.js';

const CLOUDFORMATION_XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

/** Reads an S3 object named by a CloudFormation `TemplateURL` (path style, virtual-hosted, or the edge's own URL). */
export const objectOfTemplateUrl = (url: string): { bucket: string; key: string } => {
  const parsed = new URL(url);
  const path = parsed.pathname.split('/').slice(1).map(decodeURIComponent);
  const virtual = /^(.+)\.s3[.-]/.exec(parsed.hostname);
  if (virtual !== null) return { bucket: virtual[1] ?? '', key: path.join('/') };
  return { bucket: path[0] ?? '', key: path.slice(1).join('/') };
};

/** A CloudFormation endpoint on an edge, with the functions of its stacks running. */
export interface CloudFormationTarget {
  readonly s3: S3Store;
  /** Actions and requests the CDK CLI (or any client) sent that the local cloud does not serve. */
  readonly unknownRequests: readonly string[];
  /** Every CloudFormation and S3 operation served, once each, in the order first seen (`cloudformation:CreateChangeSet`). */
  readonly servedOperations: readonly string[];
  /** The last deployment of the CloudFormation stacks. */
  readonly deployment: () => LocalDeployment | undefined;
  readonly runner: () => LambdaRunner | undefined;
  stop(): Promise<void>;
}

/** Options of {@link attachCloudFormation}. */
export interface AttachCloudFormationOptions {
  readonly core: CoreServices;
  /** Functions run by the deployed stacks: their runner is replaced at every deployment. */
  readonly functionLog?: (source: string, line: string) => void;
  readonly log?: (line: string) => void;
  /** Serve Lambda's Invoke on the edge for the stacks' functions (false where the edge already serves another). */
  readonly serveInvoke?: boolean;
  /** Set once the runner changes, e.g. for EventBridge's Lambda targets. */
  readonly onRunner?: (runner: LambdaRunner | undefined) => void;
}

/**
 * Registers CloudFormation and S3 on the edge, so that the CDK CLI (`AWS_ENDPOINT_URL=<edge> npx cdk bootstrap`,
 * then `cdk deploy`, `cdk destroy`) deploys any CDK app into the local cloud: CloudFormation realizes its stacks with
 * the local deployer (see stack-realizer.ts) and their functions run in a runner replaced at every deployment.
 * STS and SSM are the core services' own.
 */
export const attachCloudFormation = (options: AttachCloudFormationOptions): CloudFormationTarget => {
  const { core } = options;
  const log = options.log ?? (() => {});
  const unknownRequests: string[] = [];
  const served = new Set<string>();
  const unknown = (what: string) => {
    unknownRequests.push(what);
    log(`not served locally: ${what}`);
  };
  const workDirectory = mkdtempSync(join(tmpdir(), 'breakwater-cloudformation-'));
  const clients = createLocalClients({ edge: core.endpoints.edge }, LOCAL_REGION);
  const s3 = createS3Store();
  let runner: LambdaRunner | undefined;
  let deployment: LocalDeployment | undefined;
  const replaceRunner = async (next: LocalDeployment) => {
    deployment = next;
    const old = runner;
    runner = undefined;
    options.onRunner?.(undefined);
    await old?.stop();
    if (next.lambda.functions.length === 0) return;
    runner = await startLambdaRunner({
      topology: next.lambda,
      clients: { sqs: clients.sqs as SQSClient, dynamodbStreams: clients.dynamodbStreams! },
      environment: { region: LOCAL_REGION, awsEndpointUrl: core.endpoints.edge },
      log: options.functionLog ?? (() => {}),
    });
    options.onRunner?.(runner);
  };
  const realizer = createStackRealizer({ clients, s3, workDirectory, onDeployment: replaceRunner, log });
  const readTemplateUrl: CloudFormationOptions['readTemplateUrl'] = (url) => {
    const { bucket, key } = objectOfTemplateUrl(url);
    const object = s3.get(bucket, key);
    if (object === undefined)
      throw new AwsServiceError(
        'ValidationError',
        `TemplateURL must reference a valid S3 object to which you have access: ${url}`,
      );
    return object.body.toString('utf8');
  };
  const cloudFormation = createCloudFormation({ realizer, readTemplateUrl, log });
  core.edge.registerBackend(
    queryServiceBackend({
      name: 'cloudformation',
      signingName: 'cloudformation',
      xmlNamespace: CLOUDFORMATION_XMLNS,
      actions: cloudFormation.actions,
      onUnknownAction: (action) => unknown(`cloudformation:${action}`),
      onAction: (action) => served.add(`cloudformation:${action}`),
      log,
    }),
  );
  core.edge.registerBackend(
    s3Backend(s3, {
      onUnknown: (what) => unknown(`s3 ${what}`),
      onOperation: (operation) => served.add(`s3:${operation}`),
    }),
  );
  if (options.serveInvoke !== false) {
    // Invoke reaches whichever runner is current.
    const current = (): LambdaRunner => {
      if (runner === undefined) throw new Error('no function is deployed');
      return runner;
    };
    core.edge.registerBackend(
      lambdaBackend({
        invoke: (name, event) => current().invoke(name, event),
        invokeAsync: (name, event) => current().invokeAsync(name, event),
        hasFunction: (name) => runner?.hasFunction(name) ?? false,
        reload: (name) => current().reload(name),
        get httpApis() {
          return runner?.httpApis ?? [];
        },
        get functionNames() {
          return runner?.functionNames ?? [];
        },
        disruptIdleWorkers: (matches, fault) => runner?.disruptIdleWorkers(matches, fault) ?? 0,
        stop: async () => {},
      }),
    );
  }
  return {
    s3,
    unknownRequests,
    get servedOperations() {
      return [...served];
    },
    deployment: () => deployment,
    runner: () => runner,
    stop: async () => {
      await runner?.stop();
      destroyLocalClients(clients);
      rmSync(workDirectory, { recursive: true, force: true });
    },
  };
};

/** A running local cloud with nothing deployed, ready for `cdk bootstrap` and `cdk deploy` of any CDK app. */
export interface CdkTarget {
  readonly edgeUrl: string;
  readonly cloudFormation: CloudFormationTarget;
  readonly core: CoreServices;
  stop(): Promise<void>;
}

/**
 * Starts a generic local cloud (the edge with SQS, DynamoDB, EventBridge, Secrets Manager, SSM, STS, Lambda,
 * CloudFormation and S3) for any CDK app: `AWS_ENDPOINT_URL=<edgeUrl> npx cdk bootstrap && npx cdk deploy --all`.
 */
export const startCdkTarget = async (
  options: {
    readonly edgePort?: number;
    readonly log?: (line: string) => void;
    readonly functionLog?: (source: string, line: string) => void;
  } = {},
): Promise<CdkTarget> => {
  const core = await startCoreServices({
    edgePort: options.edgePort ?? 0,
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  let runner: LambdaRunner | undefined;
  const sqs = new SQSClient({
    endpoint: core.endpoints.edge,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const eventBridge = createEventBridgeService({
    delivery: createTargetDelivery({ sqs, sqsEndpoint: core.endpoints.edge, runner: () => runner }),
    retryBaseDelayMs: 200,
    scheduler: realTimeScheduler({ speedup: 1 }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  core.edge.registerService(eventBridge);
  try {
    const cloudFormation = attachCloudFormation({
      core,
      ...(options.log === undefined ? {} : { log: options.log }),
      ...(options.functionLog === undefined ? {} : { functionLog: options.functionLog }),
      onRunner: (next) => {
        runner = next;
      },
    });
    return {
      edgeUrl: core.endpoints.edge,
      cloudFormation,
      core,
      stop: async () => {
        await cloudFormation.stop();
        eventBridge.close();
        sqs.destroy();
        await core.stop();
      },
    };
  } catch (error) {
    eventBridge.close();
    sqs.destroy();
    await core.stop();
    throw error;
  }
};
