import type { LocalValue, OverridableResource, ValueOverrides } from './types.js';

const CDK_HASH = /^[0-9A-F]{8}$/;

/** What a map keyed for one resource of a template may name it by. */
export interface ResourceKeys {
  readonly stackName: string;
  readonly logicalId: string;
  /** The resource's own name (given in the template or generated), when it has one. */
  readonly name?: string;
}

/**
 * The entry of `map` for a resource: by name, `<stack>/<logicalId>`, logical id, or a logical-id prefix (CDK appends
 * an 8-character hash to the construct id: `HttpApi` matches `HttpApiF5A9A8A7`). Undefined when none matches.
 */
export const lookupByResource = <T>(
  map: Readonly<Record<string, T>>,
  resource: ResourceKeys,
): T | undefined => {
  const exact = [resource.name, `${resource.stackName}/${resource.logicalId}`, resource.logicalId].find(
    (key) => key !== undefined && Object.hasOwn(map, key),
  );
  const key =
    exact ??
    Object.keys(map).find(
      (candidate) =>
        resource.logicalId.startsWith(candidate) && CDK_HASH.test(resource.logicalId.slice(candidate.length)),
    );
  return key === undefined ? undefined : map[key];
};

/** The overriding value for a secret or parameter, per the rules of `ValueOverrides`; undefined when none. */
export const findOverride = (
  overrides: ValueOverrides | undefined,
  resource: OverridableResource,
): string | undefined => {
  if (overrides === undefined) return undefined;
  const value: LocalValue | undefined =
    typeof overrides === 'function' ? overrides(resource) : lookupByResource(overrides, resource);
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
};
