import { escapeXml } from '../support/query-protocol.js';

/**
 * The AWS query protocol as CloudFormation and STS speak it, without a shape model: lists are `Name.member.N`
 * in requests and `<Name><member>...</member></Name>` in answers, structures are dotted names and nested elements.
 * Every scalar stays a string on input (the services parse what they need); on output, dates become ISO strings.
 */

type Tree = { [key: string]: Tree | string };

const toValue = (node: Tree | string): unknown => {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === 'member') {
    const members = node.member as Tree;
    return Object.keys(members)
      .map(Number)
      .sort((a, b) => a - b)
      .map((index) => toValue(members[String(index)] as Tree | string));
  }
  return Object.fromEntries(keys.map((key) => [key, toValue(node[key] as Tree | string)]));
};

/** `Parameters.member.1.ParameterKey=a` → `{ Parameters: [{ ParameterKey: 'a' }] }`. `Action` and `Version` dropped. */
export const decodeQueryParams = (params: ReadonlyMap<string, string>): Record<string, unknown> => {
  const root: Tree = {};
  for (const [name, value] of params) {
    if (name === 'Action' || name === 'Version') continue;
    const path = name.split('.');
    let node = root;
    path.forEach((segment, index) => {
      if (index === path.length - 1) {
        node[segment] = value;
        return;
      }
      const next = node[segment];
      if (typeof next !== 'object') node[segment] = {};
      node = node[segment] as Tree;
    });
  }
  return toValue(root) as Record<string, unknown>;
};

const encode = (name: string, value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value))
    return `<${name}>${value.map((item) => encode('member', item)).join('')}</${name}>`;
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value)
      .map(([key, entry]) => encode(key, entry))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
};

/** `<ActionResponse xmlns><ActionResult>...</ActionResult><ResponseMetadata>...` for a JSON-like result. */
export const queryResultXml = (
  action: string,
  xmlNamespace: string,
  requestId: string,
  result: Readonly<Record<string, unknown>>,
): string => {
  const members = Object.entries(result)
    .map(([key, value]) => encode(key, value))
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="${xmlNamespace}"><${action}Result>${members}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
};
