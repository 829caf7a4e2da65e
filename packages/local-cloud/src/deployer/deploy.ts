import { topologicalOrder } from '../support/topological-order.js';
import { type AssemblyStack, type CloudAssemblyView, readCloudAssembly } from './assembly.js';
import { DeployerError } from './errors.js';
import { type IntrinsicContext, NO_VALUE, referencedNames, resolveValue } from './intrinsics.js';
import { DEFAULT_LOCAL_ENVIRONMENT, type LocalEnvironment, stableUuid } from './naming.js';
import { notEmulatedReason, placeholderAttribute, placeholderFor } from './placeholders.js';
import type { Properties } from './properties.js';
import { PROVISIONERS } from './provisioners/index.js';
import type { ProvisionContext } from './provisioners/provisioner.js';
import { TopologyBuilder } from './topology-builder.js';
import type {
  DeployedResource,
  DeployedStack,
  DeployOptions,
  LocalDeployment,
  NotEmulatedSummary,
} from './types.js';

interface DeployState {
  readonly options: DeployOptions;
  readonly environment: LocalEnvironment;
  readonly assembly: CloudAssemblyView;
  readonly topology: TopologyBuilder;
  readonly exports: Map<string, string>;
  /** Outputs of the stacks deployed so far, by stack name (`Fn::GetStackOutput`). */
  readonly stackOutputs: Map<string, Readonly<Record<string, string>>>;
  /** By type and reason. */
  readonly notEmulated: Map<string, { count: number; reason: string }>;
  readonly warnings: string[];
  readonly log: (line: string) => void;
  /** AWS URL prefixes and the local URLs they stand for. */
  readonly urlAliases: Map<string, string>;
}

/** Replaces aliased AWS URL prefixes in every string of a resolved value. */
const rewriteUrls = (value: unknown, aliases: ReadonlyMap<string, string>): unknown => {
  if (aliases.size === 0) return value;
  if (typeof value === 'string') {
    let result = value;
    for (const [awsUrl, localUrl] of aliases) result = result.replaceAll(awsUrl, localUrl);
    return result;
  }
  if (Array.isArray(value)) return value.map((item) => rewriteUrls(item, aliases));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, rewriteUrls(inner, aliases)]),
    );
  }
  return value;
};

const pseudoParameter = (name: string, stackName: string, environment: LocalEnvironment): unknown => {
  switch (name) {
    case 'AWS::AccountId':
      return environment.accountId;
    case 'AWS::Region':
      return environment.region;
    case 'AWS::Partition':
      return environment.partition;
    case 'AWS::URLSuffix':
      return environment.urlSuffix;
    case 'AWS::StackName':
      return stackName;
    case 'AWS::StackId':
      return `arn:${environment.partition}:cloudformation:${environment.region}:${environment.accountId}:stack/${stackName}/${stableUuid(stackName)}`;
    case 'AWS::NotificationARNs':
      return [];
    case 'AWS::NoValue':
      return NO_VALUE;
    default:
      return undefined;
  }
};

/** Resources in an order where each comes after what it references (Ref, GetAtt, Sub, DependsOn). */
const orderResources = (stack: AssemblyStack, included: ReadonlySet<string>): string[] => {
  const resources = stack.template.Resources ?? {};
  const dependenciesOf = (logicalId: string): string[] => {
    const resource = resources[logicalId];
    const dependsOn = resource?.DependsOn;
    const names = referencedNames(resource?.Properties ?? {});
    for (const name of typeof dependsOn === 'string' ? [dependsOn] : (dependsOn ?? [])) names.add(name);
    return [...names].filter((name) => included.has(name));
  };
  return topologicalOrder(
    Object.keys(resources).filter((logicalId) => included.has(logicalId)),
    dependenciesOf,
    (cycle) => new DeployerError(`${stack.stackName}: reference cycle ${cycle.join(' → ')}`),
  );
};

const deployStack = async (stack: AssemblyStack, state: DeployState): Promise<DeployedStack> => {
  const { environment, options } = state;
  const template = stack.template;
  const deployed: Record<string, DeployedResource> = {};
  const conditionValues = new Map<string, boolean>();
  const context: IntrinsicContext = {
    region: environment.region,
    ref: (name) => {
      const resource = deployed[name];
      if (resource !== undefined) return resource.physicalId;
      const pseudo = pseudoParameter(name, stack.stackName, environment);
      if (pseudo !== undefined) return pseudo;
      const parameter = template.Parameters?.[name];
      const value = options.templateParameters?.[name] ?? parameter?.Default;
      // A list parameter is a list to Ref (CloudFormation splits its comma-delimited value).
      const listType =
        parameter?.Type === 'CommaDelimitedList' || parameter?.Type?.startsWith('List<') === true;
      if (value !== undefined) return listType && typeof value === 'string' ? value.split(',') : value;
      throw new DeployerError(`Ref ${name}: no such resource (deployed yet) or parameter with a value`);
    },
    getAtt: (logicalId, attribute) => {
      const resource = deployed[logicalId];
      if (resource === undefined)
        throw new DeployerError(`Fn::GetAtt ${logicalId}.${attribute}: no such resource`);
      const value = resource.attributes[attribute];
      if (value !== undefined) return value;
      if (!resource.emulated)
        return placeholderAttribute(resource.type, resource.physicalId, attribute, environment);
      throw new DeployerError(
        `Fn::GetAtt ${logicalId}.${attribute}: ${resource.type} has no attribute ${attribute} locally`,
      );
    },
    importValue: (name) => {
      const value = state.exports.get(name);
      if (value === undefined) throw new DeployerError(`Fn::ImportValue ${name}: no stack exports it`);
      return value;
    },
    // One local region: the Region of a weak reference names where the producer is deployed, which is here.
    stackOutput: (stackName, outputName) => {
      const outputs = state.stackOutputs.get(stackName);
      if (outputs === undefined)
        throw new DeployerError(`Fn::GetStackOutput: stack ${stackName} is not deployed (yet)`);
      const value = outputs[outputName];
      if (value === undefined)
        throw new DeployerError(`Fn::GetStackOutput: stack ${stackName} has no output ${outputName}`);
      return value;
    },
    condition: (name) => {
      const known = conditionValues.get(name);
      if (known !== undefined) return known;
      const definition = template.Conditions?.[name];
      if (definition === undefined) throw new DeployerError(`condition ${name} is not defined`);
      const value = resolveValue(definition, context) === true;
      conditionValues.set(name, value);
      return value;
    },
    findInMap: (map, topKey, secondKey) => {
      const value = template.Mappings?.[map]?.[topKey]?.[secondKey];
      if (value === undefined)
        throw new DeployerError(`Fn::FindInMap ${map}.${topKey}.${secondKey} is not defined`);
      return value;
    },
  };
  const provisionContext: ProvisionContext = {
    environment,
    options,
    assembly: state.assembly,
    topology: state.topology,
    client: (name, forType) => {
      const client = options.clients[name];
      if (client === undefined)
        throw new DeployerError(`${forType} needs the ${name} client in DeployOptions.clients`);
      return client as NonNullable<typeof client>;
    },
    warn: (message) => {
      state.warnings.push(message);
      state.log(`warning: ${message}`);
    },
    aliasUrl: (awsUrl, localUrl) => state.urlAliases.set(awsUrl, localUrl),
  };
  const resources = template.Resources ?? {};
  const included = new Set(
    Object.entries(resources)
      .filter(([, resource]) => resource.Condition === undefined || context.condition(resource.Condition))
      .map(([logicalId]) => logicalId),
  );
  for (const logicalId of orderResources(stack, included)) {
    const resource = resources[logicalId]!;
    const where = `${stack.stackName}/${logicalId} (${resource.Type})`;
    try {
      const properties = rewriteUrls(
        resolveValue(resource.Properties ?? {}, context),
        state.urlAliases,
      ) as Properties;
      const provisioner = PROVISIONERS[resource.Type];
      const request = { stackName: stack.stackName, logicalId, type: resource.Type, properties };
      const result =
        provisioner === undefined
          ? {
              ...placeholderFor(resource.Type, stack.stackName, logicalId, properties, environment),
              notEmulatedReason: notEmulatedReason(resource.Type),
            }
          : await provisioner(request, provisionContext);
      const emulated = result.notEmulatedReason === undefined;
      if (!emulated) {
        const summary = state.notEmulated.get(resource.Type) ?? {
          count: 0,
          reason: result.notEmulatedReason,
        };
        summary.count += 1;
        state.notEmulated.set(resource.Type, summary);
      }
      deployed[logicalId] = {
        logicalId,
        type: resource.Type,
        physicalId: result.physicalId,
        attributes: result.attributes,
        emulated,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new DeployerError(`${where}: ${message}`, { cause: error });
    }
  }
  const outputs: Record<string, string> = {};
  for (const [key, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition !== undefined && !context.condition(output.Condition)) continue;
    const value = rewriteUrls(resolveValue(output.Value, context), state.urlAliases);
    outputs[key] = typeof value === 'string' ? value : JSON.stringify(value);
    if (output.Export !== undefined)
      state.exports.set(String(resolveValue(output.Export.Name, context)), outputs[key]);
  }
  state.stackOutputs.set(stack.stackName, outputs);
  const emulatedCount = Object.values(deployed).filter((resource) => resource.emulated).length;
  state.log(
    `deployed ${stack.stackName}: ${emulatedCount} of ${Object.keys(deployed).length} resources emulated`,
  );
  return { stackName: stack.stackName, resources: deployed, outputs };
};

/** The stacks to deploy: all, or the requested ones and everything they depend on. */
const selectStacks = (assembly: CloudAssemblyView, names: readonly string[] | undefined): AssemblyStack[] => {
  if (names === undefined) return [...assembly.stacks];
  const byName = new Map(assembly.stacks.map((stack) => [stack.stackName, stack]));
  const byId = new Map(assembly.stacks.map((stack) => [stack.artifactId, stack]));
  const wanted = new Set<string>();
  const add = (stack: AssemblyStack | undefined, name: string) => {
    if (stack === undefined) throw new DeployerError(`no stack ${name} in ${assembly.directory}`);
    if (wanted.has(stack.artifactId)) return;
    wanted.add(stack.artifactId);
    for (const dependency of stack.dependencies)
      if (byId.has(dependency)) add(byId.get(dependency), dependency);
  };
  for (const name of names) add(byName.get(name), name);
  return assembly.stacks.filter((stack) => wanted.has(stack.artifactId));
};

/**
 * Deploys a synthesized CDK app to the local cloud: stacks in dependency order, each resource through the SDK
 * client of its service, intrinsics resolved to local names, ARNs and URLs. Types without local emulation get
 * placeholder names so references resolve, and are listed (with counts) in the result and the log. Re-deploying is
 * idempotent: queues, tables, buses, secrets are found and updated, not duplicated.
 *
 * @example
 * const clients = createLocalClients({ edge: 'http://127.0.0.1:4566' });
 * const deployment = await deployLocal({
 *   assemblyDirectory: 'cdk.out',
 *   clients,
 *   // Local values for secrets, by name, logical id or CDK logical-id prefix (or a function).
 *   secretValues: { ApiKeySecret: { url: 'http://127.0.0.1:4569', apiKey: 'local' } },
 *   httpApiPorts: { OrdersApi: 3000 },
 * });
 * const runner = await startLambdaRunner({ topology: deployment.lambda, ... });
 */
export const deployLocal = async (options: DeployOptions): Promise<LocalDeployment> => {
  const environment: LocalEnvironment = { ...DEFAULT_LOCAL_ENVIRONMENT, ...options.environment };
  const assembly = readCloudAssembly(options.assemblyDirectory);
  const state: DeployState = {
    options,
    environment,
    assembly,
    topology: new TopologyBuilder(),
    exports: new Map(),
    stackOutputs: new Map(),
    notEmulated: new Map(),
    warnings: [],
    log: options.log ?? ((line) => process.stdout.write(`[deploy] ${line}\n`)),
    urlAliases: new Map(),
  };
  const stacks: DeployedStack[] = [];
  for (const stack of selectStacks(assembly, options.stacks)) stacks.push(await deployStack(stack, state));
  const notEmulated: NotEmulatedSummary[] = [...state.notEmulated.entries()]
    .map(([key, { count, reason }]) => ({ type: key.split('\n')[0] ?? key, count, reason }))
    .sort((a, b) => a.type.localeCompare(b.type));
  for (const { type, count, reason } of notEmulated) state.log(`not emulated: ${type} ×${count} (${reason})`);
  const lambda = state.topology.build((message) => {
    state.warnings.push(message);
    state.log(`warning: ${message}`);
  });
  return {
    environment,
    stacks,
    exports: Object.fromEntries(state.exports),
    notEmulated,
    warnings: state.warnings,
    lambda,
  };
};
