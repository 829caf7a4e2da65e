import { resolve } from 'node:path';
import {
  AssetManifestArtifact,
  CloudAssembly,
  CloudFormationStackArtifact,
  NestedCloudAssemblyArtifact,
} from 'aws-cdk-lib/cx-api';
import { topologicalOrder } from '../support/topological-order.js';
import { DeployerError } from './errors.js';

/** One resource of a CloudFormation template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | readonly string[];
  readonly Condition?: string;
  readonly Metadata?: Record<string, unknown>;
}

/** The parts of a CloudFormation template the deployer reads. */
export interface Template {
  readonly Resources?: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown }; Condition?: string }>;
  readonly Parameters?: Record<string, { Type: string; Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

/** A stack of the cloud assembly. */
export interface AssemblyStack {
  readonly artifactId: string;
  readonly stackName: string;
  readonly template: Template;
  /** Artifact ids of the stacks it depends on. */
  readonly dependencies: readonly string[];
}

/** A cloud assembly (cdk.out) as the deployer sees it. */
export interface CloudAssemblyView {
  readonly directory: string;
  /** Stacks in an order where every stack comes after its dependencies. */
  readonly stacks: readonly AssemblyStack[];
  /** The local path of a file asset, by its S3 object key (`<hash>.zip`) or its hash. */
  assetPath(objectKeyOrHash: string): string | undefined;
}

/** Reads an assembly's manifest through CDK's own reader (schema checks and nested assemblies included). */
const loadAssembly = (directory: string): CloudAssembly => {
  try {
    // Another app may be synthesized by a newer CDK than ours: the parts read here are stable across versions.
    return new CloudAssembly(directory, { skipVersionCheck: true });
  } catch (error) {
    throw new DeployerError(
      `cannot read the cloud assembly in ${directory}; synthesize the app first (cdk synth)`,
      {
        cause: error,
      },
    );
  }
};

/** Stacks in an order where every stack comes after its dependencies. */
const orderStacks = (stacks: readonly AssemblyStack[]): AssemblyStack[] => {
  const byId = new Map(stacks.map((stack) => [stack.artifactId, stack]));
  return topologicalOrder(
    stacks.map((stack) => stack.artifactId),
    (id) => (byId.get(id)?.dependencies ?? []).filter((dependency) => byId.has(dependency)),
    (cycle) => new DeployerError(`stack dependency cycle: ${cycle.join(' → ')}`),
  ).map((id) => byId.get(id) as AssemblyStack);
};

/** Stack names a template reads outputs of (`Fn::GetStackOutput`, CDK's weak cross-stack references). */
const stackOutputProducers = (value: unknown, found: Set<string> = new Set()): Set<string> => {
  if (Array.isArray(value)) {
    for (const item of value) stackOutputProducers(item, found);
  } else if (typeof value === 'object' && value !== null) {
    const reference = (value as Record<string, unknown>)['Fn::GetStackOutput'] as
      | { StackName?: unknown }
      | undefined;
    if (typeof reference?.StackName === 'string') found.add(reference.StackName);
    for (const inner of Object.values(value)) stackOutputProducers(inner, found);
  }
  return found;
};

/**
 * Adds, to each stack's dependencies, the stacks whose outputs it reads: a weak reference orders deployment as an
 * export does, even in an assembly whose manifest does not list the dependency.
 */
const withOutputDependencies = (stacks: readonly AssemblyStack[]): AssemblyStack[] => {
  const idByName = new Map(stacks.map((stack) => [stack.stackName, stack.artifactId]));
  return stacks.map((stack) => {
    const producers = [...stackOutputProducers(stack.template)]
      .map((name) => idByName.get(name))
      .filter((id): id is string => id !== undefined && id !== stack.artifactId);
    return { ...stack, dependencies: [...new Set([...stack.dependencies, ...producers])] };
  });
};

/**
 * Reads a cloud assembly (and its nested assemblies, which CDK stages produce) with CDK's own reader: the stacks with
 * their templates and dependencies, and the file assets of every asset manifest.
 */
export const readCloudAssembly = (directory: string): CloudAssemblyView => {
  const stacks: AssemblyStack[] = [];
  const assets = new Map<string, string>();
  const collect = (assembly: CloudAssembly) => {
    for (const artifact of assembly.artifacts) {
      if (CloudFormationStackArtifact.isCloudFormationStackArtifact(artifact)) {
        stacks.push({
          artifactId: artifact.id,
          stackName: artifact.stackName,
          template: artifact.template as Template,
          dependencies: artifact.dependencies.map((dependency) => dependency.id),
        });
      } else if (AssetManifestArtifact.isAssetManifestArtifact(artifact)) {
        for (const [hash, file] of Object.entries(artifact.contents.files ?? {})) {
          if (file.source.path === undefined) continue;
          const path = resolve(assembly.directory, file.source.path);
          assets.set(hash, path);
          for (const destination of Object.values(file.destinations)) assets.set(destination.objectKey, path);
        }
      } else if (NestedCloudAssemblyArtifact.isNestedCloudAssemblyArtifact(artifact)) {
        collect(artifact.nestedAssembly);
      }
    }
  };
  collect(loadAssembly(resolve(directory)));
  return {
    directory: resolve(directory),
    stacks: orderStacks(withOutputDependencies(stacks)),
    assetPath: (key) => assets.get(key) ?? assets.get(key.replace(/\.zip$/, '')),
  };
};
