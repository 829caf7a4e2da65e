import { type CollectionTag, parse, type ScalarTag } from 'yaml';

/** CloudFormation's short-form intrinsic tags (`!Ref`, `!Sub`, `!GetAtt a.b`, ...) as their long forms. */
const functionNames = [
  'And',
  'Base64',
  'Cidr',
  'Equals',
  'FindInMap',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'Or',
  'Select',
  'Split',
  'Sub',
  'Transform',
];

const intrinsicTags = (): (ScalarTag | CollectionTag)[] => {
  const tags: (ScalarTag | CollectionTag)[] = [];
  const add = (tag: string, build: (value: unknown) => unknown) => {
    tags.push({ tag: `!${tag}`, resolve: (value: string) => build(value) } as ScalarTag);
    tags.push({
      tag: `!${tag}`,
      collection: 'seq',
      resolve: (value: { toJSON(): unknown }) => build(value.toJSON()),
    } as unknown as CollectionTag);
    tags.push({
      tag: `!${tag}`,
      collection: 'map',
      resolve: (value: { toJSON(): unknown }) => build(value.toJSON()),
    } as unknown as CollectionTag);
  };
  for (const name of functionNames) add(name, (value) => ({ [`Fn::${name}`]: value }));
  add('Ref', (value) => ({ Ref: value }));
  add('Condition', (value) => ({ Condition: value }));
  add('GetAtt', (value) => ({
    'Fn::GetAtt': typeof value === 'string' ? value.split(/\.(.*)/s).slice(0, 2) : value,
  }));
  return tags;
};

/** Parses a template body as CloudFormation does: JSON, else YAML (with the short-form intrinsic tags). */
export const parseTemplateBody = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return parse(body, { customTags: intrinsicTags(), uniqueKeys: false });
  }
};
