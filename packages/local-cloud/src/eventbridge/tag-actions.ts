import type { Action, ActionContext } from './action-context.js';
import { eventsResource } from './arns.js';
import { AwsErrors, busNotFound, ruleNotFound } from './aws-errors.js';
import { type Input, requiredArray, requiredString } from './input.js';

/** The `Tags` member of PutRule, CreateEventBus and TagResource: `{Key, Value}` pairs (Key 1–128, Value 0–256). */
export const readTags = (input: Input, required = false): [string, string][] => {
  const raw = input.Tags;
  if (raw === undefined || raw === null) {
    if (required) requiredArray(input, 'Tags', 0, 50);
    return [];
  }
  return requiredArray(input, 'Tags', 0, 50).map((tag, index) => {
    const at = `tags.${index + 1}.member`;
    const { Key, Value } = (typeof tag === 'object' && tag !== null ? tag : {}) as Record<string, unknown>;
    if (typeof Key !== 'string' || Key.length < 1 || Key.length > 128) {
      throw AwsErrors.constraint(
        `Value at '${at}.key' failed to satisfy constraint: Member must have length between 1 and 128`,
      );
    }
    if (typeof Value !== 'string' || Value.length > 256) {
      throw AwsErrors.constraint(
        `Value at '${at}.value' failed to satisfy constraint: Member must have length less than or equal to 256`,
      );
    }
    return [Key, Value];
  });
};

/** The tags of the rule or event bus a `ResourceARN` names, or AWS's ResourceNotFoundException. */
const taggable = ({ input, scope, store }: ActionContext): Map<string, string> => {
  const arn = requiredString(input, 'ResourceARN', { min: 1, max: 1600 });
  const resource = eventsResource(scope, arn) ?? '';
  if (resource.startsWith('event-bus/')) {
    const name = resource.slice('event-bus/'.length);
    const bus = store.findBus(name);
    if (bus === undefined) throw busNotFound(name);
    return bus.tags;
  }
  if (resource.startsWith('rule/')) {
    const path = resource.slice('rule/'.length);
    const slash = path.lastIndexOf('/');
    const busName = slash < 0 ? 'default' : path.slice(0, slash);
    const name = slash < 0 ? path : path.slice(slash + 1);
    const rule = store.findRule(busName, name);
    if (rule === undefined) throw ruleNotFound(name, busName);
    return rule.tags;
  }
  throw AwsErrors.validation(
    `Parameter ResourceARN is not valid. Reason: ${arn} is not a rule or event bus ARN.`,
  );
};

/** TagResource: adds or replaces tags of a rule or an event bus. */
const tagResource: Action = (context) => {
  const tags = taggable(context);
  for (const [key, value] of readTags(context.input, true)) tags.set(key, value);
  return {};
};

/** UntagResource: removes the given keys (absent ones are fine). */
const untagResource: Action = (context) => {
  const tags = taggable(context);
  for (const key of requiredArray(context.input, 'TagKeys', 0, 50))
    if (typeof key === 'string') tags.delete(key);
  return {};
};

/** ListTagsForResource: `Tags` as `{Key, Value}` pairs, in the order they were added. */
const listTagsForResource: Action = (context) => ({
  Tags: [...taggable(context)].map(([Key, Value]) => ({ Key, Value })),
});

/** The tag actions by name. */
export const tagActions: Readonly<Record<string, Action>> = {
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};
