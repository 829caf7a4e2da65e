import { type Action, type ActionContext, compilePatternMember, defined } from './action-context.js';
import { ruleArn } from './arns.js';
import { AwsErrors } from './aws-errors.js';
import {
  BUS_REFERENCE_RULE,
  type Input,
  NAME_RULE,
  optionalString,
  paginate,
  requiredString,
} from './input.js';
import { DEFAULT_BUS_NAME, RULE_STATES, type RuleRecord, type RuleState } from './model.js';
import { parseSchedule } from './schedule.js';
import { readTags } from './tag-actions.js';

const ruleState = (input: Input): RuleState => {
  const state = optionalString(input, 'State') ?? 'ENABLED';
  if (!(RULE_STATES as readonly string[]).includes(state)) {
    throw AwsErrors.constraint(
      `Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [${RULE_STATES.join(', ')}]`,
    );
  }
  return state as RuleState;
};

/** The rule named by `Name` (or `Rule`) on the bus named by `EventBusName`. */
const targetRule = ({ input, store }: ActionContext, member: 'Name' | 'Rule'): RuleRecord => {
  const bus = store.bus(optionalString(input, 'EventBusName', BUS_REFERENCE_RULE));
  return store.rule(bus.name, requiredString(input, member, NAME_RULE));
};

/** The rule as DescribeRule and ListRules show it. */
export const describeRule = (rule: RuleRecord, accountId?: string) =>
  defined({
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: rule.eventPattern?.text,
    ScheduleExpression: rule.scheduleExpression,
    State: rule.state,
    Description: rule.description,
    RoleArn: rule.roleArn,
    EventBusName: rule.busName,
    CreatedBy: accountId,
  });

/**
 * PutRule: creates or replaces a rule (members left out are reset, as AWS does; targets are kept). The pattern is
 * validated; a ScheduleExpression (`rate(...)` or AWS's six-field `cron(...)`) is accepted on the default bus and
 * fires on the emulator's scheduler.
 */
const putRule: Action = ({ input, scope, store, now, schedules }) => {
  const name = requiredString(input, 'Name', NAME_RULE);
  const bus = store.bus(optionalString(input, 'EventBusName', BUS_REFERENCE_RULE));
  const patternText = optionalString(input, 'EventPattern');
  const scheduleExpression = optionalString(input, 'ScheduleExpression', { max: 256 });
  const description = optionalString(input, 'Description', { max: 512 });
  const roleArn = optionalString(input, 'RoleArn', { min: 1, max: 1600 });
  const state = ruleState(input);
  if (patternText === undefined && scheduleExpression === undefined) {
    throw AwsErrors.validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  }
  if (scheduleExpression !== undefined) {
    if (parseSchedule(scheduleExpression, now) === undefined)
      throw AwsErrors.validation('Parameter ScheduleExpression is not valid.');
    if (bus.name !== DEFAULT_BUS_NAME) {
      throw AwsErrors.validation('ScheduleExpression is supported only on the default event bus.');
    }
  }
  const eventPattern = patternText === undefined ? undefined : compilePatternMember(patternText);
  const existing = store.findRule(bus.name, name);
  const rule: RuleRecord = {
    name,
    arn: ruleArn(scope, bus.name, name),
    busName: bus.name,
    ...(eventPattern === undefined ? {} : { eventPattern }),
    ...(scheduleExpression === undefined ? {} : { scheduleExpression }),
    state,
    ...(description === undefined ? {} : { description }),
    ...(roleArn === undefined ? {} : { roleArn }),
    targets: existing?.targets ?? new Map(),
    tags: existing?.tags ?? new Map(),
  };
  for (const [key, value] of readTags(input)) rule.tags.set(key, value);
  store.putRule(rule);
  schedules.sync(store, rule);
  return { RuleArn: rule.arn };
};

/** DescribeRule. */
const describeRuleAction: Action = (context) =>
  describeRule(targetRule(context, 'Name'), context.scope.accountId);

/** ListRules: by NamePrefix on one bus, paginated. */
const listRules: Action = ({ input, store }) => {
  const bus = store.bus(optionalString(input, 'EventBusName', BUS_REFERENCE_RULE));
  const prefix = optionalString(input, 'NamePrefix', { max: 64 }) ?? '';
  const rules = store.rules(bus.name).filter((rule) => rule.name.startsWith(prefix));
  const { page, nextToken } = paginate(input, rules);
  return defined({ Rules: page.map((rule) => describeRule(rule)), NextToken: nextToken });
};

/** DeleteRule: refused while targets remain (remove them first, as with AWS); absent rules are fine. */
const deleteRule: Action = ({ input, store, schedules }) => {
  const name = requiredString(input, 'Name', NAME_RULE);
  const bus = store.bus(optionalString(input, 'EventBusName', BUS_REFERENCE_RULE));
  const rule = store.findRule(bus.name, name);
  if (rule !== undefined && rule.targets.size > 0) {
    throw AwsErrors.validation("Rule can't be deleted since it has targets.");
  }
  store.deleteRule(bus.name, name);
  if (rule !== undefined) schedules.remove(rule.arn);
  return {};
};

const setState =
  (state: RuleState): Action =>
  (context) => {
    const rule = targetRule(context, 'Name');
    const updated = { ...rule, state };
    context.store.putRule(updated);
    context.schedules.sync(context.store, updated);
    return {};
  };

/** The rule actions by name. */
export const ruleActions: Readonly<Record<string, Action>> = {
  PutRule: putRule,
  DescribeRule: describeRuleAction,
  ListRules: listRules,
  DeleteRule: deleteRule,
  EnableRule: setState('ENABLED'),
  DisableRule: setState('DISABLED'),
};

/** The rule named by a `Rule` member, for the target actions. */
export const ruleOfTargets = (context: ActionContext): RuleRecord => targetRule(context, 'Rule');
