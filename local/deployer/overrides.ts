import type { LocalValue, OverridableResource, ValueOverrides } from './types';

const CDK_HASH = /^[0-9A-F]{8}$/;

/** The overriding value for a secret or parameter, per the rules of `ValueOverrides`; undefined when none. */
export const findOverride = (
  overrides: ValueOverrides | undefined,
  resource: OverridableResource,
): string | undefined => {
  if (overrides === undefined) return undefined;
  let value: LocalValue | undefined;
  if (typeof overrides === 'function') {
    value = overrides(resource);
  } else {
    const exact = [resource.name, `${resource.stackName}/${resource.logicalId}`, resource.logicalId].find(
      (key) => key in overrides,
    );
    const prefix = Object.keys(overrides).find(
      (key) => resource.logicalId.startsWith(key) && CDK_HASH.test(resource.logicalId.slice(key.length)),
    );
    const key = exact ?? prefix;
    value = key === undefined ? undefined : overrides[key];
  }
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
};
