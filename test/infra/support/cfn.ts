import { QueueRoles, TagKeys } from '@breakwater/event-consumer';
import type { Template } from 'aws-cdk-lib/assertions';

/** A CloudFormation resource as it appears in a synthesized template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

/** A resource with the stack (service key) and logical id it was found under. */
export interface LocatedResource extends CfnResource {
  readonly stack: string;
  readonly logicalId: string;
}

/** A policy statement, loosely typed as templates hold them. */
export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly Sid?: string;
}

/** Every resource of `type` across the given templates. */
export function resourcesOfType(
  templates: Readonly<Record<string, Template>>,
  type: string,
): LocatedResource[] {
  return Object.entries(templates).flatMap(([stack, template]) =>
    Object.entries(template.findResources(type) as Record<string, CfnResource>).map(
      ([logicalId, resource]) => ({
        ...resource,
        stack,
        logicalId,
      }),
    ),
  );
}

/** `{ Ref: X }` or `{ Fn::GetAtt: [X, attr] }` → X; anything else → undefined. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return v.Ref;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

/** Normalizes a policy's `Action` (string or list) to a list. */
export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** Normalizes a policy's `Resource` (one value or list) to a list. */
export function resourcesOf(statement: Statement): unknown[] {
  if (statement.Resource === undefined) return [];
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** An action that grants everything (`*`) or everything of a service (`sqs:*`). */
export function isWildcardAction(action: string): boolean {
  return action === '*' || /^[a-z0-9-]+:\*$/i.test(action);
}

/** Property of a resource, typed by the caller. */
export function prop<T>(resource: CfnResource, name: string): T {
  return resource.Properties?.[name] as T;
}

/** The policy documents of a resource: IAM policies, role inline policies, queue/topic/key policies. */
export function policyStatements(resource: CfnResource): Statement[] {
  const docs: unknown[] = [];
  const p = resource.Properties ?? {};
  if (p.PolicyDocument) docs.push(p.PolicyDocument);
  if (p.KeyPolicy) docs.push(p.KeyPolicy);
  if (Array.isArray(p.Policies)) {
    for (const inline of p.Policies as { PolicyDocument: unknown }[]) docs.push(inline.PolicyDocument);
  }
  return docs.flatMap((doc) => ((doc as { Statement?: Statement[] }).Statement ?? []) as Statement[]);
}

/** The key of a stack output in {@link exportedReferences}: `<stack key>:<output name>`. */
function stackOutputKey(stack: string, outputName: string): string {
  return `output:${stack}:${outputName}`;
}

/**
 * Where a cross-stack value comes from: export name (strong references, `Fn::ImportValue`) or stack output (weak
 * references, `Fn::GetStackOutput`) → (stack, logical id of the resource it references).
 */
export function exportedReferences(templates: Readonly<Record<string, Template>>): Map<string, LocatedRef> {
  const map = new Map<string, LocatedRef>();
  for (const [stack, template] of Object.entries(templates)) {
    const outputs = (
      template.toJSON() as { Outputs?: Record<string, { Value: unknown; Export?: { Name: string } }> }
    ).Outputs;
    for (const [name, output] of Object.entries(outputs ?? {})) {
      const logicalId = referencedLogicalId(output.Value);
      if (!logicalId) continue;
      if (output.Export) map.set(output.Export.Name, { stack, logicalId });
      map.set(stackOutputKey(stack, name), { stack, logicalId });
    }
  }
  return map;
}

/** A resource reference that may cross stacks. */
export interface LocatedRef {
  readonly stack: string;
  readonly logicalId: string;
}

/**
 * Resolves a value in `stack` that refers to a resource — directly (`Ref`/`GetAtt`), through another stack's export
 * (`Fn::ImportValue`) or output (`Fn::GetStackOutput`) — to the stack and logical id of that resource. Stack names are
 * `breakwater-<stage>-<stack key>`, so the key is what follows the last `-`.
 */
export function resolveReference(
  value: unknown,
  stack: string,
  exports: ReadonlyMap<string, LocatedRef>,
): LocatedRef | undefined {
  const local = referencedLogicalId(value);
  if (local) return { stack, logicalId: local };
  const intrinsic = value as Record<string, unknown> | null;
  const imported = intrinsic?.['Fn::ImportValue'];
  if (typeof imported === 'string') return exports.get(imported);
  const output = intrinsic?.['Fn::GetStackOutput'] as
    | { StackName?: unknown; OutputName?: unknown }
    | undefined;
  if (typeof output?.StackName !== 'string' || typeof output.OutputName !== 'string') return undefined;
  const producer = output.StackName.slice(output.StackName.lastIndexOf('-') + 1);
  return exports.get(stackOutputKey(producer, output.OutputName));
}

/**
 * Who sends failures to which queue: queue RedrivePolicy, rule target DeadLetterConfig, event source mapping
 * OnFailure destination, SNS subscription RedrivePolicy. Keys are `<stack>/<logical id>` of the receiving queue.
 */
export function failurePathReferrers(
  templates: Readonly<Record<string, Template>>,
): Map<string, LocatedResource[]> {
  const referrers = new Map<string, LocatedResource[]>();
  const refer = (from: LocatedResource, value: unknown): void => {
    const ref = resolveReference(value, from.stack, new Map());
    if (!ref) return;
    const key = `${ref.stack}/${ref.logicalId}`;
    referrers.set(key, [...(referrers.get(key) ?? []), from]);
  };
  type Redrive = { deadLetterTargetArn?: unknown } | undefined;
  for (const q of resourcesOfType(templates, 'AWS::SQS::Queue'))
    refer(q, prop<Redrive>(q, 'RedrivePolicy')?.deadLetterTargetArn);
  for (const s of resourcesOfType(templates, 'AWS::SNS::Subscription')) {
    refer(s, prop<Redrive>(s, 'RedrivePolicy')?.deadLetterTargetArn);
  }
  for (const rule of resourcesOfType(templates, 'AWS::Events::Rule')) {
    for (const target of prop<{ DeadLetterConfig?: { Arn: unknown } }[]>(rule, 'Targets')) {
      refer(rule, target.DeadLetterConfig?.Arn);
    }
  }
  for (const esm of resourcesOfType(templates, 'AWS::Lambda::EventSourceMapping')) {
    refer(
      esm,
      prop<{ OnFailure?: { Destination: unknown } } | undefined>(esm, 'DestinationConfig')?.OnFailure
        ?.Destination,
    );
  }
  return referrers;
}

/** Tags of a resource as a record. */
export function tagsOf(resource: CfnResource): Record<string, string> {
  const tags = prop<{ Key: string; Value: string }[] | undefined>(resource, 'Tags') ?? [];
  return Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
}

/** A queue tagged `breakwater:role=dlq`. */
export function isDlq(queue: CfnResource): boolean {
  return tagsOf(queue)[TagKeys.role] === QueueRoles.dlq;
}

/** `<stack>/<logical id>`: identifies a resource across the app's templates. */
export function key(stack: string, logicalId: string): string {
  return `${stack}/${logicalId}`;
}
