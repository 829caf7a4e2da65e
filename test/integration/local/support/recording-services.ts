import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the deployer made to a recorded service. */
export interface RecordedCall {
  /** The X-Amz-Target prefix: `AWSEvents`, `secretsmanager` or `AmazonSSM`. */
  readonly service: string;
  readonly action: string;
  readonly input: Record<string, unknown>;
}

/** A running fake: every JSON-protocol call is recorded and answered with the minimum the SDK needs. */
export interface RecordingServices {
  readonly endpoint: string;
  readonly calls: RecordedCall[];
  /** Secret values by name, as last written. */
  readonly secrets: Map<string, string>;
  stop(): Promise<void>;
}

class Refusal extends Error {
  public constructor(public readonly type: string) {
    super(type);
  }
}

const ARN_PREFIX = 'arn:aws';
const REGION_ACCOUNT = 'us-east-1:000000000000';

/**
 * A stand-in for the EventBridge, Secrets Manager and SSM emulators that other parts of the local cloud provide:
 * it keeps just enough state (existing buses, archives, secrets, rule targets) for the deployer's re-deploy paths.
 */
export const startRecordingServices = async (): Promise<RecordingServices> => {
  const calls: RecordedCall[] = [];
  const buses = new Set<string>();
  const archives = new Set<string>();
  const secrets = new Map<string, string>();
  const targets = new Map<string, Array<Record<string, unknown>>>();

  const answer = (service: string, action: string, input: Record<string, unknown>): unknown => {
    const name = String(input.Name ?? input.ArchiveName ?? input.SecretId ?? '');
    switch (`${service}.${action}`) {
      case 'AWSEvents.CreateEventBus':
        if (buses.has(name)) throw new Refusal('ResourceAlreadyExistsException');
        buses.add(name);
        return { EventBusArn: `${ARN_PREFIX}:events:${REGION_ACCOUNT}:event-bus/${name}` };
      case 'AWSEvents.DescribeEventBus':
        return { Name: name, Arn: `${ARN_PREFIX}:events:${REGION_ACCOUNT}:event-bus/${name}` };
      case 'AWSEvents.PutRule':
        return {
          RuleArn: `${ARN_PREFIX}:events:${REGION_ACCOUNT}:rule/${String(input.EventBusName)}/${name}`,
        };
      case 'AWSEvents.ListTargetsByRule':
        return { Targets: targets.get(String(input.Rule)) ?? [] };
      case 'AWSEvents.PutTargets':
        targets.set(String(input.Rule), input.Targets as Array<Record<string, unknown>>);
        return { FailedEntryCount: 0, FailedEntries: [] };
      case 'AWSEvents.RemoveTargets':
        return { FailedEntryCount: 0, FailedEntries: [] };
      case 'AWSEvents.CreateArchive':
        if (archives.has(name)) throw new Refusal('ResourceAlreadyExistsException');
        archives.add(name);
        return { ArchiveArn: `${ARN_PREFIX}:events:${REGION_ACCOUNT}:archive/${name}`, State: 'ENABLED' };
      case 'AWSEvents.UpdateArchive':
        return { ArchiveArn: `${ARN_PREFIX}:events:${REGION_ACCOUNT}:archive/${name}`, State: 'ENABLED' };
      case 'secretsmanager.CreateSecret':
        if (secrets.has(name)) throw new Refusal('ResourceExistsException');
        secrets.set(name, String(input.SecretString));
        return { ARN: `${ARN_PREFIX}:secretsmanager:${REGION_ACCOUNT}:secret:${name}-AbCdEf`, Name: name };
      case 'secretsmanager.DescribeSecret':
        return { ARN: `${ARN_PREFIX}:secretsmanager:${REGION_ACCOUNT}:secret:${name}-AbCdEf`, Name: name };
      case 'secretsmanager.PutSecretValue':
        secrets.set(name, String(input.SecretString));
        return { Name: name };
      case 'AmazonSSM.PutParameter':
        return { Version: 1, Tier: 'Standard' };
      default:
        throw new Refusal('UnknownOperationException');
    }
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const [service = '', action = ''] = String(request.headers['x-amz-target'] ?? '').split('.');
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      calls.push({ service, action, input });
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      try {
        response.end(JSON.stringify(answer(service, action, input)));
      } catch (error) {
        const type = error instanceof Refusal ? error.type : 'InternalFailure';
        response.statusCode = 400;
        response.end(JSON.stringify({ __type: type, message: type }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    secrets,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
