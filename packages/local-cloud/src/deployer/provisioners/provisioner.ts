import type { CloudAssemblyView } from '../assembly.js';
import type { LocalEnvironment } from '../naming.js';
import type { Properties } from '../properties.js';
import type { TopologyBuilder } from '../topology-builder.js';
import type { DeployClients, DeployOptions } from '../types.js';

/** One resource to create, with its properties resolved. */
export interface ProvisionRequest {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Properties;
}

/** What a created resource answers to `Ref` and `Fn::GetAtt`. */
export interface Provisioned {
  readonly physicalId: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Set when this particular resource could not be emulated (e.g. a WebSocket API): it is listed as such. */
  readonly notEmulatedReason?: string;
}

/** What provisioners may use. */
export interface ProvisionContext {
  readonly environment: LocalEnvironment;
  readonly options: DeployOptions;
  readonly assembly: CloudAssemblyView;
  readonly topology: TopologyBuilder;
  /** The client for a service; throws a clear error when the caller did not pass it. */
  client<K extends keyof DeployClients>(name: K, forType: string): NonNullable<DeployClients[K]>;
  warn(message: string): void;
  /**
   * Declares that URLs starting with `awsUrl` (as a template builds them, e.g. `https://<id>.execute-api.<region>.
   * <suffix>`) mean `localUrl`: resolved properties and outputs are rewritten from then on.
   */
  aliasUrl(awsUrl: string, localUrl: string): void;
}

/** Creates (or finds, on a re-deploy) one resource type in the local cloud. */
export type Provisioner = (request: ProvisionRequest, context: ProvisionContext) => Promise<Provisioned>;
