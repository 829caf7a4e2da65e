import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  DescribeArchiveCommand,
  DescribeEventBusCommand,
  type InputTransformer,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  type Target,
  UpdateArchiveCommand,
} from '@aws-sdk/client-eventbridge';
import { generatedName, localArn } from '../naming.js';
import { jsonText, listOf, optionalNumber, optionalString, type Properties } from '../properties.js';
import type { Provisioner } from './provisioner.js';

const alreadyExists = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ResourceAlreadyExistsException';

/** `event-bus/<name>` ARNs and plain names → the name. */
const busName = (nameOrArn: string | undefined): string =>
  nameOrArn === undefined ? 'default' : (nameOrArn.split(':event-bus/')[1] ?? nameOrArn);

/** `AWS::Events::EventBus`: CreateEventBus (kept on a re-deploy). Ref = name; GetAtt Arn, Name. */
export const provisionEventBus: Provisioner = async ({ properties }, context) => {
  const events = context.client('eventBridge', 'AWS::Events::EventBus');
  const name = optionalString(properties, 'Name') ?? 'default';
  let arn = localArn(context.environment, 'events', `event-bus/${name}`);
  if (name !== 'default') {
    try {
      const created = await events.send(
        new CreateEventBusCommand({ Name: name, Description: optionalString(properties, 'Description') }),
      );
      arn = created.EventBusArn ?? arn;
    } catch (error) {
      if (!alreadyExists(error)) throw error;
      arn = (await events.send(new DescribeEventBusCommand({ Name: name }))).Arn ?? arn;
    }
  }
  return { physicalId: name, attributes: { Arn: arn, Name: name } };
};

const toTarget = (raw: unknown): Target => {
  const target = raw as Properties;
  const transformer = target.InputTransformer as Properties | undefined;
  return {
    ...(target as unknown as Target),
    ...(transformer === undefined
      ? {}
      : {
          InputTransformer: {
            InputPathsMap: transformer.InputPathsMap as Record<string, string> | undefined,
            InputTemplate: jsonText(transformer.InputTemplate),
          } satisfies InputTransformer,
        }),
  };
};

/**
 * `AWS::Events::Rule`: PutRule, then PutTargets with every target as written (input, input path, input transformer,
 * dead-letter config, retry policy, SQS parameters), removing targets a previous deploy left. Ref = name, or
 * `<bus>|<name>` on a custom bus (CloudFormation's form); GetAtt Arn.
 */
export const provisionRule: Provisioner = async ({ stackName, logicalId, properties }, context) => {
  const events = context.client('eventBridge', 'AWS::Events::Rule');
  const name = optionalString(properties, 'Name') ?? generatedName(stackName, logicalId, 64);
  const eventBusName = busName(optionalString(properties, 'EventBusName'));
  const pattern = properties.EventPattern;
  const { RuleArn } = await events.send(
    new PutRuleCommand({
      Name: name,
      EventBusName: eventBusName,
      EventPattern: pattern === undefined ? undefined : jsonText(pattern),
      ScheduleExpression: optionalString(properties, 'ScheduleExpression'),
      State: (optionalString(properties, 'State') ?? 'ENABLED') as 'ENABLED',
      Description: optionalString(properties, 'Description'),
      RoleArn: optionalString(properties, 'RoleArn'),
    }),
  );
  const targets = listOf(properties, 'Targets').map(toTarget);
  const existing = await events.send(
    new ListTargetsByRuleCommand({ Rule: name, EventBusName: eventBusName }),
  );
  const stale = (existing.Targets ?? [])
    .map((target) => target.Id ?? '')
    .filter((id) => !targets.some((t) => t.Id === id));
  if (stale.length > 0)
    await events.send(new RemoveTargetsCommand({ Rule: name, EventBusName: eventBusName, Ids: stale }));
  if (targets.length > 0) {
    const answer = await events.send(
      new PutTargetsCommand({ Rule: name, EventBusName: eventBusName, Targets: targets }),
    );
    for (const failure of answer.FailedEntries ?? []) {
      context.warn(
        `rule ${name}: target ${failure.TargetId} refused: ${failure.ErrorCode} ${failure.ErrorMessage}`,
      );
    }
  }
  const arnResource = eventBusName === 'default' ? `rule/${name}` : `rule/${eventBusName}/${name}`;
  return {
    physicalId: eventBusName === 'default' ? name : `${eventBusName}|${name}`,
    attributes: { Arn: RuleArn ?? localArn(context.environment, 'events', arnResource) },
  };
};

/** `AWS::Events::Archive`: CreateArchive, or UpdateArchive on a re-deploy. Ref = archive name; GetAtt Arn. */
export const provisionArchive: Provisioner = async ({ stackName, logicalId, properties }, context) => {
  const events = context.client('eventBridge', 'AWS::Events::Archive');
  const name = optionalString(properties, 'ArchiveName') ?? generatedName(stackName, logicalId, 48);
  const common = {
    ArchiveName: name,
    Description: optionalString(properties, 'Description'),
    EventPattern: properties.EventPattern === undefined ? undefined : jsonText(properties.EventPattern),
    RetentionDays: optionalNumber(properties, 'RetentionDays'),
  };
  let arn: string | undefined;
  try {
    arn = (
      await events.send(
        new CreateArchiveCommand({ ...common, EventSourceArn: optionalString(properties, 'SourceArn') }),
      )
    ).ArchiveArn;
  } catch (error) {
    if (!alreadyExists(error)) throw error;
    // UpdateArchive refuses a call that changes nothing (as AWS does): then the archive is kept as it is.
    const changes = [common.Description, common.EventPattern, common.RetentionDays].some(
      (v) => v !== undefined,
    );
    arn = changes
      ? (await events.send(new UpdateArchiveCommand(common))).ArchiveArn
      : (await events.send(new DescribeArchiveCommand({ ArchiveName: name }))).ArchiveArn;
  }
  return {
    physicalId: name,
    attributes: { Arn: arn ?? localArn(context.environment, 'events', `archive/${name}`) },
  };
};
