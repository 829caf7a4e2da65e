import { type Action, defined } from './action-context.js';
import { AwsErrors } from './aws-errors.js';
import { BUS_REFERENCE_RULE, optionalString, paginate, requiredArray, requiredString } from './input.js';
import type { TargetRecord } from './model.js';
import { ruleOfTargets } from './rule-actions.js';
import { parseTarget, type TargetFailure } from './targets.js';

/** EventBridge's limit of targets on one rule. */
export const MAX_TARGETS_PER_RULE = 5;

/**
 * PutTargets: adds or replaces targets by Id. Every target is validated first and one invalid target fails the
 * whole call (ValidationException), as does going over five targets on the rule (LimitExceededException); a call
 * that succeeds answers `FailedEntryCount: 0` with an empty `FailedEntries`.
 */
const putTargets: Action = (context) => {
  const entries = requiredArray(context.input, 'Targets', 1, 100);
  const accepted: TargetRecord[] = entries.map((entry, index) => parseTarget(entry, index));
  const rule = ruleOfTargets(context);
  const failures: TargetFailure[] = [];
  const ids = new Set([...rule.targets.keys(), ...accepted.map((target) => target.id)]);
  if (ids.size > MAX_TARGETS_PER_RULE) {
    throw AwsErrors.limitExceeded('The requested resource exceeds the maximum number allowed.');
  }
  for (const target of accepted) rule.targets.set(target.id, target);
  return { FailedEntryCount: failures.length, FailedEntries: failures };
};

/** ListTargetsByRule, paginated. */
const listTargetsByRule: Action = (context) => {
  const rule = ruleOfTargets(context);
  const { page, nextToken } = paginate(context.input, [...rule.targets.values()]);
  return defined({ Targets: page.map((target) => target.description), NextToken: nextToken });
};

/** RemoveTargets: Ids that the rule does not have are ignored. */
const removeTargets: Action = (context) => {
  const rule = ruleOfTargets(context);
  const ids = requiredArray(context.input, 'Ids', 1, 100);
  const failures: TargetFailure[] = [];
  for (const id of ids) {
    if (typeof id === 'string') rule.targets.delete(id);
    else
      failures.push({
        TargetId: String(id),
        ErrorCode: 'ValidationException',
        ErrorMessage: 'Id must be a string.',
      });
  }
  return { FailedEntryCount: failures.length, FailedEntries: failures };
};

/** ListRuleNamesByTarget: the rules of a bus (by name) that have a target with this ARN, paginated. */
const listRuleNamesByTarget: Action = ({ input, store }) => {
  const targetArn = requiredString(input, 'TargetArn', { min: 1, max: 1600 });
  const bus = store.bus(optionalString(input, 'EventBusName', BUS_REFERENCE_RULE));
  const names = store
    .rules(bus.name)
    .filter((rule) => [...rule.targets.values()].some((target) => target.arn === targetArn))
    .map((rule) => rule.name);
  const { page, nextToken } = paginate(input, names);
  return defined({ RuleNames: page, NextToken: nextToken });
};

/** The target actions by name. */
export const targetActions: Readonly<Record<string, Action>> = {
  PutTargets: putTargets,
  ListTargetsByRule: listTargetsByRule,
  RemoveTargets: removeTargets,
  ListRuleNamesByTarget: listRuleNamesByTarget,
};
