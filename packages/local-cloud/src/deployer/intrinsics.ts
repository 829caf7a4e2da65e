import { DeployerError } from './errors.js';

/** What the resolver asks of the deployment in progress. */
export interface IntrinsicContext {
  /** `Ref`: a resource's physical id, a template parameter or a pseudo parameter (`AWS::Region`...). */
  ref(name: string): unknown;
  /** `Fn::GetAtt`. */
  getAtt(logicalId: string, attribute: string): unknown;
  /** `Fn::ImportValue`: an export of an already deployed stack. */
  importValue(name: string): unknown;
  /** `Fn::GetStackOutput`: an output of an already deployed stack (CDK's weak cross-stack references). */
  stackOutput(stackName: string, outputName: string, region: string | undefined): unknown;
  /** A named condition of the template, evaluated. */
  condition(name: string): boolean;
  /** `Fn::FindInMap`. */
  findInMap(map: string, topKey: string, secondKey: string): unknown;
  /** The region, for `Fn::GetAZs`. */
  readonly region: string;
}

/** `Ref: AWS::NoValue`: the property (or list element) is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const intrinsicKey = (value: Record<string, unknown>): string | undefined => {
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const [key] = keys as [string];
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::') ? key : undefined;
};

const asString = (value: unknown, where: string): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new DeployerError(`${where} needs a string, got ${JSON.stringify(value)}`);
};

const asList = (value: unknown, where: string): unknown[] => {
  if (Array.isArray(value)) return value;
  throw new DeployerError(`${where} needs a list, got ${JSON.stringify(value)}`);
};

const splitGetAtt = (argument: unknown, context: IntrinsicContext): [string, string] => {
  if (typeof argument === 'string') {
    const dot = argument.indexOf('.');
    return [argument.slice(0, dot), argument.slice(dot + 1)];
  }
  const [logicalId, attribute] = asList(argument, 'Fn::GetAtt');
  return [asString(logicalId, 'Fn::GetAtt'), asString(resolveValue(attribute, context), 'Fn::GetAtt')];
};

/** `${Name}`, `${Resource.Attribute}`, `${!Literal}`. */
const substitute = (
  template: string,
  variables: Record<string, unknown>,
  context: IntrinsicContext,
): string =>
  template.replace(/\$\{([^}]*)\}/g, (_match, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    const trimmed = name.trim();
    if (trimmed in variables)
      return asString(resolveValue(variables[trimmed], context), `Fn::Sub \${${trimmed}}`);
    if (!trimmed.startsWith('AWS::') && trimmed.includes('.')) {
      const dot = trimmed.indexOf('.');
      return asString(
        context.getAtt(trimmed.slice(0, dot), trimmed.slice(dot + 1)),
        `Fn::Sub \${${trimmed}}`,
      );
    }
    return asString(context.ref(trimmed), `Fn::Sub \${${trimmed}}`);
  });

const evaluate = (key: string, argument: unknown, context: IntrinsicContext): unknown => {
  const resolve = (value: unknown) => resolveValue(value, context);
  switch (key) {
    case 'Ref':
      return context.ref(asString(argument, 'Ref'));
    case 'Condition':
      return context.condition(asString(argument, 'Condition'));
    case 'Fn::GetAtt':
      return context.getAtt(...splitGetAtt(argument, context));
    case 'Fn::ImportValue':
      return context.importValue(asString(resolve(argument), 'Fn::ImportValue'));
    case 'Fn::GetStackOutput': {
      const { StackName, OutputName, Region } = (isObject(argument) ? resolve(argument) : {}) as Record<
        string,
        unknown
      >;
      return context.stackOutput(
        asString(StackName, 'Fn::GetStackOutput StackName'),
        asString(OutputName, 'Fn::GetStackOutput OutputName'),
        Region === undefined ? undefined : asString(Region, 'Fn::GetStackOutput Region'),
      );
    }
    case 'Fn::Sub': {
      if (typeof argument === 'string') return substitute(argument, {}, context);
      const [template, variables] = asList(argument, 'Fn::Sub');
      return substitute(asString(template, 'Fn::Sub'), isObject(variables) ? variables : {}, context);
    }
    case 'Fn::Join': {
      const [delimiter, items] = asList(argument, 'Fn::Join');
      const list = asList(resolve(items), 'Fn::Join').filter((item) => item !== NO_VALUE);
      return list.map((item) => asString(item, 'Fn::Join')).join(asString(delimiter, 'Fn::Join'));
    }
    case 'Fn::Select': {
      const [index, items] = asList(argument, 'Fn::Select');
      const list = asList(resolve(items), 'Fn::Select');
      const position = Number(resolve(index));
      if (!Number.isInteger(position) || position < 0 || position >= list.length) {
        throw new DeployerError(`Fn::Select index ${position} is out of range for ${list.length} items`);
      }
      return list[position];
    }
    case 'Fn::Split': {
      const [delimiter, source] = asList(argument, 'Fn::Split');
      return asString(resolve(source), 'Fn::Split').split(asString(delimiter, 'Fn::Split'));
    }
    case 'Fn::If': {
      const [name, whenTrue, whenFalse] = asList(argument, 'Fn::If');
      return resolve(context.condition(asString(name, 'Fn::If')) ? whenTrue : whenFalse);
    }
    case 'Fn::Equals': {
      const [left, right] = asList(argument, 'Fn::Equals').map(resolve);
      return JSON.stringify(left) === JSON.stringify(right);
    }
    case 'Fn::And':
      return asList(argument, 'Fn::And').every((item) => resolve(item) === true);
    case 'Fn::Or':
      return asList(argument, 'Fn::Or').some((item) => resolve(item) === true);
    case 'Fn::Not':
      return resolve(asList(argument, 'Fn::Not')[0]) !== true;
    case 'Fn::FindInMap': {
      const [map, top, second] = asList(argument, 'Fn::FindInMap').map((item) =>
        asString(resolve(item), 'Fn::FindInMap'),
      );
      return context.findInMap(map ?? '', top ?? '', second ?? '');
    }
    case 'Fn::Base64':
      return Buffer.from(asString(resolve(argument), 'Fn::Base64')).toString('base64');
    case 'Fn::GetAZs':
      return ['a', 'b', 'c'].map((zone) => `${context.region}${zone}`);
    case 'Fn::ToJsonString':
      return JSON.stringify(resolve(argument));
    case 'Fn::Length':
      return asList(resolve(argument), 'Fn::Length').length;
    default:
      throw new DeployerError(`intrinsic function ${key} is not supported by the local deployer`);
  }
};

/**
 * Resolves CloudFormation intrinsic functions in a template value, depth first: `Ref`, `Fn::GetAtt`, `Fn::Sub`,
 * `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::ImportValue`, `Fn::GetStackOutput`, `Fn::If` and the condition
 * functions, `Fn::FindInMap`, `Fn::Base64`, `Fn::GetAZs`, `Fn::ToJsonString`, `Fn::Length`. `Ref: AWS::NoValue`
 * removes the property or list element.
 */
export const resolveValue = (value: unknown, context: IntrinsicContext): unknown => {
  if (Array.isArray(value)) {
    return value.map((item) => resolveValue(item, context)).filter((item) => item !== NO_VALUE);
  }
  if (!isObject(value)) return value;
  const key = intrinsicKey(value);
  if (key !== undefined) return evaluate(key, value[key], context);
  const result: Record<string, unknown> = {};
  for (const [name, inner] of Object.entries(value)) {
    const resolved = resolveValue(inner, context);
    if (resolved !== NO_VALUE) result[name] = resolved;
  }
  return result;
};

/** Names (logical ids, parameters, pseudo parameters) that a value refers to through Ref, GetAtt and Sub. */
export const referencedNames = (value: unknown, found: Set<string> = new Set()): Set<string> => {
  if (Array.isArray(value)) {
    for (const item of value) referencedNames(item, found);
    return found;
  }
  if (!isObject(value)) return found;
  const key = intrinsicKey(value);
  const argument = key === undefined ? undefined : value[key];
  if (key === 'Ref' && typeof argument === 'string') found.add(argument);
  if (key === 'Fn::GetAtt') {
    found.add(
      typeof argument === 'string' ? (argument.split('.')[0] ?? '') : String(asList(argument, 'GetAtt')[0]),
    );
  }
  if (key === 'Fn::Sub') {
    const template = typeof argument === 'string' ? argument : asList(argument, 'Fn::Sub')[0];
    for (const match of String(template).matchAll(/\$\{([^!}][^}]*)\}/g))
      found.add((match[1] ?? '').trim().split('.')[0] ?? '');
  }
  for (const inner of Object.values(value)) referencedNames(inner, found);
  return found;
};
