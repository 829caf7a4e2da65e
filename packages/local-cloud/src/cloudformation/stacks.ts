import { randomUUID } from 'node:crypto';
import { AwsServiceError, LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../support/aws-protocol.js';
import { parseTemplateBody } from './template-format.js';

/** A stack as the realizer deploys it: its template and parameter values. */
export interface StackDefinition {
  readonly stackName: string;
  readonly template: Record<string, unknown>;
  readonly parameters: Readonly<Record<string, string>>;
}

/** What deploying a stack produced. */
export interface RealizedStack {
  readonly outputs: readonly { key: string; value: string; description?: string; exportName?: string }[];
  readonly resources: readonly { logicalId: string; physicalId: string; type: string }[];
}

/** Makes the local cloud hold exactly the given stacks (the service calls it once per stack operation). */
export interface StackRealizer {
  /** Deploys every active stack (so cross-stack exports resolve) and answers each one's result by name. */
  apply(stacks: readonly StackDefinition[]): Promise<ReadonlyMap<string, RealizedStack>>;
  /** Deletes what a removed stack had created. */
  remove(stackName: string, resources: RealizedStack['resources']): Promise<void>;
}

type Status = string;

interface StackEvent {
  readonly EventId: string;
  readonly StackId: string;
  readonly StackName: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId: string;
  readonly ResourceType: string;
  readonly Timestamp: Date;
  readonly ResourceStatus: Status;
  readonly ResourceStatusReason?: string;
}

interface ChangeSet {
  readonly id: string;
  readonly name: string;
  readonly type: 'CREATE' | 'UPDATE';
  readonly templateBody: string;
  readonly parameters: Record<string, string>;
  readonly description?: string;
  readonly created: Date;
  status: 'CREATE_COMPLETE' | 'FAILED';
  statusReason?: string;
  executionStatus: 'AVAILABLE' | 'UNAVAILABLE' | 'EXECUTE_IN_PROGRESS' | 'EXECUTE_COMPLETE' | 'OBSOLETE';
  readonly changes: readonly Record<string, unknown>[];
}

interface Stack {
  readonly stackId: string;
  readonly stackName: string;
  status: Status;
  statusReason?: string;
  templateBody: string;
  parameters: Record<string, string>;
  capabilities: string[];
  tags: { Key: string; Value: string }[];
  description?: string;
  readonly created: Date;
  updated?: Date;
  deleted?: Date;
  realized: RealizedStack;
  readonly events: StackEvent[];
  readonly changeSets: Map<string, ChangeSet>;
}

const validation = (message: string) => new AwsServiceError('ValidationError', message);
const list = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value)
    ? value.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null)
    : [];
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

const parseTemplate = (body: string): Record<string, unknown> => {
  let parsed: unknown;
  try {
    parsed = parseTemplateBody(body);
  } catch (error) {
    throw validation(`Template format error: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
    return parsed as Record<string, unknown>;
  throw validation('Template format error: JSON not well-formed.');
};

const resourceTypes = (template: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries((template.Resources ?? {}) as Record<string, { Type?: string }>).map(([id, resource]) => [
      id,
      String(resource.Type),
    ]),
  );

/** Options of {@link createCloudFormation}. */
export interface CloudFormationOptions {
  readonly realizer: StackRealizer;
  /** Reads a `TemplateURL` (an object of the local S3). */
  readonly readTemplateUrl: (url: string) => string;
  readonly region?: string;
  readonly log?: (line: string) => void;
}

/**
 * CloudFormation's stack lifecycle over a realizer: stacks and change sets (create, describe, execute, delete), stack
 * events, resources, outputs, exports and templates, with AWS's statuses and its ValidationError messages for a
 * missing stack or an empty change set. One operation runs at a time; execution is asynchronous, as on AWS (a
 * client polls DescribeStacks or DescribeStackEvents).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Operations.html
 */
export const createCloudFormation = (options: CloudFormationOptions) => {
  const region = options.region ?? LOCAL_REGION;
  const stacks: Stack[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const live = (): Stack[] =>
    stacks.filter((stack) => stack.deleted === undefined && stack.status !== 'REVIEW_IN_PROGRESS');
  const find = (nameOrId: unknown): Stack | undefined => {
    const wanted = String(nameOrId ?? '');
    return wanted.startsWith('arn:')
      ? stacks.find((stack) => stack.stackId === wanted)
      : stacks.find((stack) => stack.stackName === wanted && stack.deleted === undefined);
  };
  const mustFind = (nameOrId: unknown): Stack => {
    const stack = find(nameOrId);
    if (stack === undefined) throw validation(`Stack with id ${String(nameOrId)} does not exist`);
    return stack;
  };
  // Strictly increasing timestamps: clients order events by them, and several happen in the same millisecond.
  let lastEventAt = 0;
  const event = (
    stack: Stack,
    logicalId: string,
    type: string,
    status: Status,
    physicalId = '',
    reason?: string,
  ) => {
    lastEventAt = Math.max(Date.now(), lastEventAt + 1);
    stack.events.unshift({
      EventId: randomUUID(),
      StackId: stack.stackId,
      StackName: stack.stackName,
      LogicalResourceId: logicalId,
      PhysicalResourceId: physicalId,
      ResourceType: type,
      Timestamp: new Date(lastEventAt),
      ResourceStatus: status,
      ...(reason === undefined ? {} : { ResourceStatusReason: reason }),
    });
  };
  const stackEvent = (stack: Stack, status: Status, reason?: string) => {
    stack.status = status;
    if (reason !== undefined) stack.statusReason = reason;
    event(stack, stack.stackName, 'AWS::CloudFormation::Stack', status, stack.stackId, reason);
  };
  const definition = (
    stack: Stack,
    templateBody = stack.templateBody,
    parameters = stack.parameters,
  ): StackDefinition => ({
    stackName: stack.stackName,
    template: parseTemplate(templateBody),
    parameters,
  });

  const newStack = (name: string, input: Record<string, unknown>, status: Status): Stack => {
    if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(name))
      throw validation(
        `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint`,
      );
    const stack: Stack = {
      stackId: `arn:aws:cloudformation:${region}:${LOCAL_ACCOUNT_ID}:stack/${name}/${randomUUID()}`,
      stackName: name,
      status,
      templateBody: '{}',
      parameters: {},
      capabilities: strings(input.Capabilities),
      tags: list(input.Tags).map((tag) => ({ Key: String(tag.Key), Value: String(tag.Value) })),
      created: new Date(),
      realized: { outputs: [], resources: [] },
      events: [],
      changeSets: new Map(),
    };
    stacks.push(stack);
    return stack;
  };

  const templateOf = (input: Record<string, unknown>): string => {
    if (typeof input.TemplateBody === 'string') return input.TemplateBody;
    if (typeof input.TemplateURL === 'string') return options.readTemplateUrl(input.TemplateURL);
    throw validation('Either Template URL or Template Body must be specified.');
  };
  const parametersOf = (
    input: Record<string, unknown>,
    previous: Record<string, string>,
  ): Record<string, string> =>
    Object.fromEntries(
      list(input.Parameters).flatMap((parameter) => {
        const key = String(parameter.ParameterKey);
        if (parameter.UsePreviousValue === 'true')
          return previous[key] === undefined ? [] : [[key, previous[key]]];
        return parameter.ParameterValue === undefined ? [] : [[key, String(parameter.ParameterValue)]];
      }),
    );

  /** Deploys the stack's new template with every other live stack; on failure, the previous state comes back. */
  const execute = async (
    stack: Stack,
    templateBody: string,
    parameters: Record<string, string>,
    creating: boolean,
  ) => {
    const previous = {
      templateBody: stack.templateBody,
      parameters: stack.parameters,
      realized: stack.realized,
    };
    const verb = creating ? 'CREATE' : 'UPDATE';
    const wanted = definition(stack, templateBody, parameters);
    const others = live()
      .filter((other) => other !== stack)
      .map((other) => definition(other));
    try {
      const results = await options.realizer.apply([...others, wanted]);
      const realized = results.get(stack.stackName) ?? { outputs: [], resources: [] };
      const before = new Set(previous.realized.resources.map((resource) => resource.logicalId));
      for (const resource of realized.resources)
        event(
          stack,
          resource.logicalId,
          resource.type,
          before.has(resource.logicalId) ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE',
          resource.physicalId,
        );
      const removed = previous.realized.resources.filter(
        (resource) => !realized.resources.some((now) => now.logicalId === resource.logicalId),
      );
      if (removed.length > 0) await options.realizer.remove(stack.stackName, removed);
      for (const resource of removed)
        event(stack, resource.logicalId, resource.type, 'DELETE_COMPLETE', resource.physicalId);
      Object.assign(stack, {
        templateBody,
        parameters,
        realized,
        updated: creating ? undefined : new Date(),
      });
      stackEvent(stack, `${verb}_COMPLETE`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      options.log?.(`stack ${stack.stackName}: ${verb} failed: ${reason}`);
      stackEvent(stack, creating ? 'ROLLBACK_IN_PROGRESS' : 'UPDATE_ROLLBACK_IN_PROGRESS', reason);
      stack.statusReason = reason;
      if (creating) {
        await options.realizer.apply(others).catch(() => undefined);
        stackEvent(stack, 'ROLLBACK_COMPLETE', reason);
      } else {
        await options.realizer
          .apply([...others, definition(stack, previous.templateBody, previous.parameters)])
          .catch(() => undefined);
        stackEvent(stack, 'UPDATE_ROLLBACK_COMPLETE', reason);
      }
    }
  };

  const deleteStack = async (stack: Stack) => {
    try {
      await options.realizer.apply(
        live()
          .filter((other) => other !== stack)
          .map((other) => definition(other)),
      );
      await options.realizer.remove(stack.stackName, stack.realized.resources);
      for (const resource of stack.realized.resources)
        event(stack, resource.logicalId, resource.type, 'DELETE_COMPLETE', resource.physicalId);
      stackEvent(stack, 'DELETE_COMPLETE');
      stack.deleted = new Date();
    } catch (error) {
      stackEvent(stack, 'DELETE_FAILED', error instanceof Error ? error.message : String(error));
    }
  };

  const inProgress = (stack: Stack) => {
    if (stack.status.endsWith('_IN_PROGRESS') && stack.status !== 'REVIEW_IN_PROGRESS') {
      throw validation(`Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);
    }
  };

  const describeStack = (stack: Stack) => {
    const template = parseTemplate(stack.templateBody);
    return {
      StackId: stack.stackId,
      StackName: stack.stackName,
      ...(typeof template.Description === 'string' ? { Description: template.Description } : {}),
      Parameters: Object.entries(stack.parameters).map(([ParameterKey, ParameterValue]) => ({
        ParameterKey,
        ParameterValue,
      })),
      CreationTime: stack.created,
      ...(stack.updated === undefined ? {} : { LastUpdatedTime: stack.updated }),
      ...(stack.deleted === undefined ? {} : { DeletionTime: stack.deleted }),
      StackStatus: stack.status,
      ...(stack.statusReason === undefined ? {} : { StackStatusReason: stack.statusReason }),
      DisableRollback: false,
      Capabilities: stack.capabilities,
      Outputs: stack.realized.outputs.map((output) => ({
        OutputKey: output.key,
        OutputValue: output.value,
        ...(output.description === undefined ? {} : { Description: output.description }),
        ...(output.exportName === undefined ? {} : { ExportName: output.exportName }),
      })),
      Tags: stack.tags,
      EnableTerminationProtection: false,
      DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
    };
  };

  const changeSetOf = (input: Record<string, unknown>): { stack: Stack; changeSet: ChangeSet } => {
    const name = String(input.ChangeSetName ?? '');
    const stack = name.startsWith('arn:')
      ? stacks.find((each) => [...each.changeSets.values()].some((set) => set.id === name))
      : find(input.StackName);
    const changeSet =
      stack === undefined
        ? undefined
        : name.startsWith('arn:')
          ? [...stack.changeSets.values()].find((set) => set.id === name)
          : stack.changeSets.get(name);
    if (stack === undefined || changeSet === undefined)
      throw new AwsServiceError('ChangeSetNotFound', `ChangeSet [${name}] does not exist`, 404);
    return { stack, changeSet };
  };

  const actions: Record<string, (input: Record<string, unknown>) => Promise<Record<string, unknown>>> = {
    CreateStack: (input) =>
      serially(async () => {
        const name = String(input.StackName ?? '');
        if (find(name) !== undefined && find(name)?.status !== 'REVIEW_IN_PROGRESS')
          throw new AwsServiceError('AlreadyExistsException', `Stack [${name}] already exists`);
        const body = templateOf(input);
        parseTemplate(body);
        const stack = find(name) ?? newStack(name, input, 'CREATE_IN_PROGRESS');
        stackEvent(stack, 'CREATE_IN_PROGRESS', 'User Initiated');
        void serially(() => execute(stack, body, parametersOf(input, {}), true));
        return { StackId: stack.stackId };
      }),
    UpdateStack: (input) =>
      serially(async () => {
        const stack = mustFind(input.StackName);
        inProgress(stack);
        const body = input.UsePreviousTemplate === 'true' ? stack.templateBody : templateOf(input);
        const parameters = parametersOf(input, stack.parameters);
        if (body === stack.templateBody && JSON.stringify(parameters) === JSON.stringify(stack.parameters))
          throw validation('No updates are to be performed.');
        stackEvent(stack, 'UPDATE_IN_PROGRESS', 'User Initiated');
        void serially(() => execute(stack, body, parameters, false));
        return { StackId: stack.stackId };
      }),
    DeleteStack: (input) =>
      serially(async () => {
        const stack = find(input.StackName);
        if (stack !== undefined && stack.deleted === undefined) {
          if (stack.status === 'REVIEW_IN_PROGRESS') {
            stack.deleted = new Date();
            stack.status = 'DELETE_COMPLETE';
          } else {
            stackEvent(stack, 'DELETE_IN_PROGRESS', 'User Initiated');
            void serially(() => deleteStack(stack));
          }
        }
        return {};
      }),
    CreateChangeSet: (input) =>
      serially(async () => {
        const type = input.ChangeSetType === 'CREATE' ? 'CREATE' : 'UPDATE';
        const name = String(input.StackName ?? '');
        let stack = find(name);
        if (type === 'UPDATE' && stack === undefined) throw validation(`Stack [${name}] does not exist`);
        if (type === 'CREATE' && stack !== undefined && stack.status !== 'REVIEW_IN_PROGRESS')
          throw new AwsServiceError('AlreadyExistsException', `Stack [${name}] already exists`);
        if (stack !== undefined) inProgress(stack);
        stack ??= newStack(name, input, 'REVIEW_IN_PROGRESS');
        if (stack.status === 'REVIEW_IN_PROGRESS' && stack.events.length === 0)
          event(
            stack,
            name,
            'AWS::CloudFormation::Stack',
            'REVIEW_IN_PROGRESS',
            stack.stackId,
            'User Initiated',
          );
        const body = input.UsePreviousTemplate === 'true' ? stack.templateBody : templateOf(input);
        const template = parseTemplate(body);
        const parameters = parametersOf(input, stack.parameters);
        const unchanged =
          type === 'UPDATE' &&
          body === stack.templateBody &&
          JSON.stringify(parameters) === JSON.stringify(stack.parameters);
        const before = resourceTypes(parseTemplate(stack.templateBody));
        const after = resourceTypes(template);
        const changes = [
          ...Object.entries(after).map(([id, resourceType]) => ({
            Type: 'Resource',
            ResourceChange: {
              Action: id in before ? 'Modify' : 'Add',
              LogicalResourceId: id,
              ResourceType: resourceType,
              Replacement: 'False',
              Scope: [],
              Details: [],
            },
          })),
          ...Object.entries(before)
            .filter(([id]) => !(id in after))
            .map(([id, resourceType]) => ({
              Type: 'Resource',
              ResourceChange: {
                Action: 'Remove',
                LogicalResourceId: id,
                ResourceType: resourceType,
                Scope: [],
                Details: [],
              },
            })),
        ];
        const changeSetName = String(input.ChangeSetName ?? '');
        const changeSet: ChangeSet = {
          id: `arn:aws:cloudformation:${region}:${LOCAL_ACCOUNT_ID}:changeSet/${changeSetName}/${randomUUID()}`,
          name: changeSetName,
          type,
          templateBody: body,
          parameters,
          ...(typeof input.Description === 'string' ? { description: input.Description } : {}),
          created: new Date(),
          status: unchanged ? 'FAILED' : 'CREATE_COMPLETE',
          ...(unchanged
            ? {
                statusReason:
                  "The submitted information didn't contain changes. Submit different information to create a change set.",
              }
            : {}),
          executionStatus: unchanged ? 'UNAVAILABLE' : 'AVAILABLE',
          changes: unchanged ? [] : changes,
        };
        stack.capabilities = strings(input.Capabilities);
        if (input.Tags !== undefined)
          stack.tags = list(input.Tags).map((tag) => ({ Key: String(tag.Key), Value: String(tag.Value) }));
        stack.changeSets.set(changeSetName, changeSet);
        return { Id: changeSet.id, StackId: stack.stackId };
      }),
    DescribeChangeSet: async (input) => {
      const { stack, changeSet } = changeSetOf(input);
      return {
        ChangeSetName: changeSet.name,
        ChangeSetId: changeSet.id,
        StackId: stack.stackId,
        StackName: stack.stackName,
        ...(changeSet.description === undefined ? {} : { Description: changeSet.description }),
        Parameters: Object.entries(changeSet.parameters).map(([ParameterKey, ParameterValue]) => ({
          ParameterKey,
          ParameterValue,
        })),
        CreationTime: changeSet.created,
        ExecutionStatus: changeSet.executionStatus,
        Status: changeSet.status,
        ...(changeSet.statusReason === undefined ? {} : { StatusReason: changeSet.statusReason }),
        Capabilities: stack.capabilities,
        Tags: stack.tags,
        Changes: changeSet.changes,
        IncludeNestedStacks: false,
      };
    },
    ListChangeSets: async (input) => ({
      Summaries: [...mustFind(input.StackName).changeSets.values()].map((set) => ({
        ChangeSetId: set.id,
        ChangeSetName: set.name,
        ExecutionStatus: set.executionStatus,
        Status: set.status,
        CreationTime: set.created,
      })),
    }),
    ExecuteChangeSet: (input) =>
      serially(async () => {
        const { stack, changeSet } = changeSetOf(input);
        if (changeSet.executionStatus !== 'AVAILABLE')
          throw new AwsServiceError(
            'InvalidChangeSetStatus',
            `ChangeSet [${changeSet.id}] cannot be executed in its current execution status of [${changeSet.executionStatus}]`,
          );
        inProgress(stack);
        changeSet.executionStatus = 'EXECUTE_IN_PROGRESS';
        // The status changes before the answer, as on AWS: a client polling next never sees the old one.
        stackEvent(
          stack,
          changeSet.type === 'CREATE' ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS',
          'User Initiated',
        );
        for (const other of stack.changeSets.values())
          if (other !== changeSet) other.executionStatus = 'OBSOLETE';
        void serially(async () => {
          await execute(stack, changeSet.templateBody, changeSet.parameters, changeSet.type === 'CREATE');
          changeSet.executionStatus = 'EXECUTE_COMPLETE';
        });
        return {};
      }),
    DeleteChangeSet: async (input) => {
      const { stack, changeSet } = changeSetOf(input);
      stack.changeSets.delete(changeSet.name);
      return {};
    },
    DescribeStacks: async (input) => {
      if (input.StackName !== undefined) {
        const stack = mustFind(input.StackName);
        return { Stacks: [describeStack(stack)] };
      }
      return { Stacks: stacks.filter((stack) => stack.deleted === undefined).map(describeStack) };
    },
    ListStacks: async () => ({
      StackSummaries: stacks.map((stack) => ({
        StackId: stack.stackId,
        StackName: stack.stackName,
        CreationTime: stack.created,
        StackStatus: stack.status,
        ...(stack.deleted === undefined ? {} : { DeletionTime: stack.deleted }),
      })),
    }),
    DescribeStackEvents: async (input) => ({ StackEvents: mustFind(input.StackName).events }),
    DescribeStackResources: async (input) => {
      const stack = mustFind(input.StackName);
      return {
        StackResources: stack.realized.resources.map((resource) => ({
          StackName: stack.stackName,
          StackId: stack.stackId,
          LogicalResourceId: resource.logicalId,
          PhysicalResourceId: resource.physicalId,
          ResourceType: resource.type,
          Timestamp: stack.updated ?? stack.created,
          ResourceStatus: 'CREATE_COMPLETE',
        })),
      };
    },
    ListStackResources: async (input) => {
      const stack = mustFind(input.StackName);
      return {
        StackResourceSummaries: stack.realized.resources.map((resource) => ({
          LogicalResourceId: resource.logicalId,
          PhysicalResourceId: resource.physicalId,
          ResourceType: resource.type,
          LastUpdatedTimestamp: stack.updated ?? stack.created,
          ResourceStatus: 'CREATE_COMPLETE',
          DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
        })),
      };
    },
    GetTemplate: async (input) => {
      const stack =
        input.ChangeSetName === undefined
          ? { templateBody: mustFind(input.StackName).templateBody }
          : { templateBody: changeSetOf(input).changeSet.templateBody };
      return { TemplateBody: stack.templateBody, StagesAvailable: ['Original', 'Processed'] };
    },
    GetTemplateSummary: async (input) => {
      const body = input.StackName !== undefined ? mustFind(input.StackName).templateBody : templateOf(input);
      const template = parseTemplate(body);
      const parameters = (template.Parameters ?? {}) as Record<
        string,
        { Type?: string; Default?: unknown; Description?: string; NoEcho?: unknown }
      >;
      return {
        Parameters: Object.entries(parameters).map(([key, parameter]) => ({
          ParameterKey: key,
          ...(parameter.Default === undefined ? {} : { DefaultValue: String(parameter.Default) }),
          ParameterType: parameter.Type ?? 'String',
          NoEcho: String(parameter.NoEcho) === 'true',
          ...(parameter.Description === undefined ? {} : { Description: parameter.Description }),
          ParameterConstraints: {},
        })),
        ...(typeof template.Description === 'string' ? { Description: template.Description } : {}),
        Capabilities: [],
        ResourceTypes: [...new Set(Object.values(resourceTypes(template)))],
        Version: String(template.AWSTemplateFormatVersion ?? '2010-09-09'),
        ...(template.Metadata === undefined ? {} : { Metadata: JSON.stringify(template.Metadata) }),
        DeclaredTransforms: [],
      };
    },
    ValidateTemplate: async (input) => {
      const template = parseTemplate(templateOf(input));
      return {
        Parameters: Object.entries((template.Parameters ?? {}) as Record<string, { Default?: unknown }>).map(
          ([key, parameter]) => ({
            ParameterKey: key,
            ...(parameter.Default === undefined ? {} : { DefaultValue: String(parameter.Default) }),
            NoEcho: false,
          }),
        ),
        Capabilities: [],
        DeclaredTransforms: [],
      };
    },
    ListExports: async () => ({
      Exports: live().flatMap((stack) =>
        stack.realized.outputs
          .filter((output) => output.exportName !== undefined)
          .map((output) => ({
            ExportingStackId: stack.stackId,
            Name: output.exportName,
            Value: output.value,
          })),
      ),
    }),
  };
  return { actions, stacks: () => live().map((stack) => stack.stackName) };
};
