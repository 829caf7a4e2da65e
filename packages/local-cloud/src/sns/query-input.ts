/** Readers for SNS's query-protocol parameters: `X.member.N`, `X.entry.N.key/value`, `Tags.member.N.Key/Value`. */
export type Params = ReadonlyMap<string, string>;

const indices = (params: Params, prefix: string): number[] => {
  const found = new Set<number>();
  for (const key of params.keys()) {
    if (!key.startsWith(prefix)) continue;
    const index = Number.parseInt(key.slice(prefix.length), 10);
    if (Number.isInteger(index) && index > 0) found.add(index);
  }
  return [...found].sort((a, b) => a - b);
};

/** `Attributes.entry.N.key` / `.value` → a map. */
export const entryMap = (params: Params, name: string): Map<string, string> => {
  const map = new Map<string, string>();
  for (const i of indices(params, `${name}.entry.`)) {
    const key = params.get(`${name}.entry.${i}.key`);
    if (key !== undefined) map.set(key, params.get(`${name}.entry.${i}.value`) ?? '');
  }
  return map;
};

/** `Tags.member.N.Key` / `.Value` → a map. */
export const tagMap = (params: Params, name = 'Tags'): Map<string, string> => {
  const map = new Map<string, string>();
  for (const i of indices(params, `${name}.member.`)) {
    const key = params.get(`${name}.member.${i}.Key`);
    if (key !== undefined) map.set(key, params.get(`${name}.member.${i}.Value`) ?? '');
  }
  return map;
};

/** `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue` → SNS's envelope shape. */
export const messageAttributes = (params: Params): Record<string, { Type: string; Value: string }> => {
  const attributes: Record<string, { Type: string; Value: string }> = {};
  for (const i of indices(params, 'MessageAttributes.entry.')) {
    const name = params.get(`MessageAttributes.entry.${i}.Name`);
    if (name === undefined) continue;
    const at = `MessageAttributes.entry.${i}.Value`;
    attributes[name] = {
      Type: params.get(`${at}.DataType`) ?? 'String',
      Value: params.get(`${at}.StringValue`) ?? params.get(`${at}.BinaryValue`) ?? '',
    };
  }
  return attributes;
};
