import { randomBytes } from 'node:crypto';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type CoreServices, startCoreServices } from '../../../packages/local-cloud/src/cloud/core-services';
import { createTargetDelivery } from '../../../packages/local-cloud/src/cloud/target-delivery';
import {
  createEventBridgeService,
  type EventBridgeService,
} from '../../../packages/local-cloud/src/eventbridge';
import { LOCAL_REGION } from '../../../packages/local-cloud/src/support/aws-protocol';
import { SystemTargets } from '../../system/support/description';
import { chosenTarget } from '../../system/support/discover';

/**
 * Where the conformance cases run, chosen by `BREAKWATER_TARGET` as for the system suite: `local` (default) starts
 * the local cloud's edge with SQS and EventBridge on a free port; `aws` uses the ordinary SDK configuration
 * (`AWS_REGION`, profile or keys); `localstack` uses `AWS_ENDPOINT_URL`. The cases themselves never know which.
 */
export interface ConformanceTarget {
  readonly name: 'local' | 'localstack' | 'aws';
  readonly region: string;
  /** `AWS_ENDPOINT_URL` of the clients; absent on AWS. */
  readonly endpoint?: string;
  readonly sqs: SQSClient;
  readonly eventBridge: EventBridgeClient;
  readonly cloudWatch: CloudWatchClient;
  readonly logs: CloudWatchLogsClient;
  readonly sns: SNSClient;
  /** The local EventBridge emulator (to wait for deliveries); absent on other targets. */
  readonly localEventBridge?: EventBridgeService;
  /** A name no other run uses (AWS keeps deleted queue names for 60 s): `bw-conf-<prefix>-<random>`. */
  uniqueName(prefix: string): string;
  /** Registers a clean-up run by `stop()`, last registered first; cases register one per resource they create. */
  onStop(cleanup: () => Promise<unknown>): void;
  /** Runs every clean-up (errors ignored: the resource may be gone already), then stops what was started. */
  stop(): Promise<void>;
}

const localCredentials = { accessKeyId: 'conformance', secretAccessKey: 'conformance' };

/** What a table of cases needs started locally. */
export interface ConformanceTargetOptions {
  /**
   * Start DynamoDB Local behind the edge (default true). Tables that call only SQS and EventBridge pass false: Java's
   * start-up is most of a file's run time on a loaded machine.
   */
  readonly dynamoDb?: boolean;
}

/** Starts (or connects to) the target of this run. */
export const startConformanceTarget = async (
  env = process.env,
  { dynamoDb = true }: ConformanceTargetOptions = {},
): Promise<ConformanceTarget> => {
  const name = chosenTarget(env);
  const cleanups: (() => Promise<unknown>)[] = [];
  let core: CoreServices | undefined;
  let localEventBridge: EventBridgeService | undefined;
  let endpoint: string | undefined;
  let region: string;
  if (name === SystemTargets.local) {
    // fauxqs (STS) is no conformance table's concern: not loaded. CloudWatch, SNS and Logs run in process.
    core = await startCoreServices({ edgePort: 0, ...(dynamoDb ? {} : { dynamoDb: false }) });
    endpoint = core.endpoints.edge;
    region = LOCAL_REGION;
    const deliverySqs = new SQSClient({ endpoint, region, credentials: localCredentials });
    cleanups.push(async () => deliverySqs.destroy());
    localEventBridge = createEventBridgeService({
      delivery: createTargetDelivery({ sqs: deliverySqs, sqsEndpoint: endpoint, runner: () => undefined }),
      retryBaseDelayMs: 10,
    });
    core.edge.registerService(localEventBridge);
  } else {
    region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
    endpoint =
      name === SystemTargets.localstack ? (env.AWS_ENDPOINT_URL ?? 'http://localhost:4566') : undefined;
  }
  const config = {
    region,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(name === SystemTargets.local ? { credentials: localCredentials } : {}),
  };
  const sqs = new SQSClient(config);
  const eventBridge = new EventBridgeClient(config);
  const cloudWatch = new CloudWatchClient(config);
  const logs = new CloudWatchLogsClient(config);
  const sns = new SNSClient(config);
  return {
    name,
    region,
    ...(endpoint === undefined ? {} : { endpoint }),
    sqs,
    eventBridge,
    cloudWatch,
    logs,
    sns,
    ...(localEventBridge === undefined ? {} : { localEventBridge }),
    uniqueName: (prefix) => `bw-conf-${prefix}-${randomBytes(4).toString('hex')}`,
    onStop: (cleanup) => {
      cleanups.push(cleanup);
    },
    stop: async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
      sqs.destroy();
      eventBridge.destroy();
      cloudWatch.destroy();
      logs.destroy();
      sns.destroy();
      localEventBridge?.close();
      await core?.stop();
    },
  };
};
