import { type Action, defined } from './action-context.js';
import { AwsErrors } from './aws-errors.js';
import { BUS_REFERENCE_RULE, optionalObject, optionalString } from './input.js';
import type { EventBusRecord } from './model.js';

const PRINCIPAL = /^(\d{12}|\*)$/;
const STATEMENT_ID = /^[a-zA-Z0-9-_]{1,64}$/;

/** The bus's resource policy as DescribeEventBus returns it (JSON text), or undefined without statements. */
export const policyDocument = (bus: EventBusRecord): string | undefined =>
  bus.policy.size === 0
    ? undefined
    : JSON.stringify({ Version: '2012-10-17', Statement: [...bus.policy.values()] });

/**
 * PutPermission: lets an account (or `*`, with an organization Condition) put events on the bus, as one statement of
 * the bus's resource policy; or replaces the whole policy with `Policy`.
 */
const putPermission: Action = ({ input, store }) => {
  const bus = store.bus(optionalString(input, 'EventBusName', BUS_REFERENCE_RULE));
  const policy = optionalString(input, 'Policy', { max: 10_240 });
  if (policy !== undefined) {
    let statements: unknown;
    try {
      statements = (JSON.parse(policy) as { Statement?: unknown }).Statement;
    } catch {
      throw AwsErrors.validation('Parameter Policy is not valid. Reason: the policy is not valid JSON.');
    }
    bus.policy.clear();
    for (const [index, statement] of (Array.isArray(statements) ? statements : [statements]).entries()) {
      const record = (statement ?? {}) as Record<string, unknown>;
      bus.policy.set(typeof record.Sid === 'string' ? record.Sid : `statement-${index}`, record);
    }
    return {};
  }
  const action = optionalString(input, 'Action');
  const principal = optionalString(input, 'Principal');
  const statementId = optionalString(input, 'StatementId');
  const condition = optionalObject(input, 'Condition');
  if (action !== 'events:PutEvents') {
    throw AwsErrors.validation("Provided value in parameter 'action' is not supported.");
  }
  if (principal === undefined || !PRINCIPAL.test(principal)) {
    throw AwsErrors.validation('Parameter Principal is not valid. Reason: it must be an account id or *.');
  }
  if (statementId === undefined || !STATEMENT_ID.test(statementId)) {
    throw AwsErrors.validation('Parameter StatementId is not valid. Reason: [a-zA-Z0-9-_]{1,64} required.');
  }
  const awsPrincipal = principal === '*' ? '*' : { AWS: `arn:aws:iam::${principal}:root` };
  bus.policy.set(
    statementId,
    defined({
      Sid: statementId,
      Effect: 'Allow',
      Principal: awsPrincipal,
      Action: action,
      Resource: bus.arn,
      Condition:
        condition === undefined
          ? undefined
          : {
              [String(condition.Type ?? 'StringEquals')]: { [String(condition.Key ?? '')]: condition.Value },
            },
    }),
  );
  return {};
};

/** RemovePermission: one statement by StatementId, or all of them with RemoveAllPermissions. */
const removePermission: Action = ({ input, store }) => {
  const bus = store.bus(optionalString(input, 'EventBusName', BUS_REFERENCE_RULE));
  if (input.RemoveAllPermissions === true) {
    bus.policy.clear();
    return {};
  }
  const statementId = optionalString(input, 'StatementId');
  if (statementId === undefined || !bus.policy.delete(statementId)) {
    throw AwsErrors.notFound('Statement with the provided id does not exist.');
  }
  return {};
};

/** The permission actions by name. */
export const permissionActions: Readonly<Record<string, Action>> = {
  PutPermission: putPermission,
  RemovePermission: removePermission,
};
