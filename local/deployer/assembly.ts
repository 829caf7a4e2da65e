import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeployerError } from './errors';

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

interface ManifestArtifact {
  readonly type: string;
  readonly properties?: Record<string, unknown>;
  readonly dependencies?: readonly string[];
  readonly displayName?: string;
}

interface AssetManifest {
  readonly files?: Record<
    string,
    { source: { path?: string }; destinations?: Record<string, { objectKey?: string }> }
  >;
}

const readJson = <T>(path: string): T => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new DeployerError(`cannot read ${path}; synthesize the app first (npm run synth)`, {
      cause: error,
    });
  }
};

const orderStacks = (stacks: readonly AssemblyStack[]): AssemblyStack[] => {
  const byId = new Map(stacks.map((stack) => [stack.artifactId, stack]));
  const ordered: AssemblyStack[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (stack: AssemblyStack, path: readonly string[]) => {
    if (state.get(stack.artifactId) === 'done') return;
    if (state.get(stack.artifactId) === 'visiting') {
      throw new DeployerError(`stack dependency cycle: ${[...path, stack.artifactId].join(' → ')}`);
    }
    state.set(stack.artifactId, 'visiting');
    for (const dependency of stack.dependencies) {
      const target = byId.get(dependency);
      if (target !== undefined) visit(target, [...path, stack.artifactId]);
    }
    state.set(stack.artifactId, 'done');
    ordered.push(stack);
  };
  for (const stack of stacks) visit(stack, []);
  return ordered;
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
 * Reads `manifest.json` of a cloud assembly (and of nested assemblies, which CDK stages produce): the stacks with
 * their templates and dependencies, and the file assets from every `*.assets.json`.
 */
export const readCloudAssembly = (directory: string): CloudAssemblyView => {
  const stacks: AssemblyStack[] = [];
  const assets = new Map<string, string>();
  const readAssembly = (assemblyDirectory: string) => {
    const manifest = readJson<{ artifacts?: Record<string, ManifestArtifact> }>(
      join(assemblyDirectory, 'manifest.json'),
    );
    for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
      const properties = artifact.properties ?? {};
      if (artifact.type === 'aws:cloudformation:stack') {
        stacks.push({
          artifactId,
          stackName: typeof properties.stackName === 'string' ? properties.stackName : artifactId,
          template: readJson<Template>(join(assemblyDirectory, String(properties.templateFile))),
          dependencies: artifact.dependencies ?? [],
        });
      } else if (artifact.type === 'cdk:asset-manifest') {
        const assetManifest = readJson<AssetManifest>(join(assemblyDirectory, String(properties.file)));
        for (const [hash, file] of Object.entries(assetManifest.files ?? {})) {
          if (file.source.path === undefined) continue;
          const path = resolve(assemblyDirectory, file.source.path);
          assets.set(hash, path);
          for (const destination of Object.values(file.destinations ?? {})) {
            if (destination.objectKey !== undefined) assets.set(destination.objectKey, path);
          }
        }
      } else if (artifact.type === 'cdk:cloud-assembly' && typeof properties.directoryName === 'string') {
        readAssembly(join(assemblyDirectory, properties.directoryName));
      }
    }
  };
  readAssembly(resolve(directory));
  return {
    directory: resolve(directory),
    stacks: orderStacks(withOutputDependencies(stacks)),
    assetPath: (key) => assets.get(key) ?? assets.get(key.replace(/\.zip$/, '')),
  };
};
