import type { EventBridgeEvent, TargetInput } from './model';

/**
 * What a target receives: the whole event, a constant `Input`, the part selected by `InputPath`, or the
 * `InputTransformer` template filled from `InputPathsMap` and the predefined `aws.events.*` variables.
 */
type PathSegment = string | number;

const NAME = /^[^.[\]]+/;
const INDEX = /^\[(\d+)\]/;
const QUOTED = /^\[(?:'([^']*)'|"([^"]*)")\]/;

/**
 * Parses the JSON paths EventBridge accepts in `InputPath` and `InputPathsMap`: `$`, `$.detail.state`,
 * `$.resources[0]`, `$.detail['key.with.dots']`. Returns undefined for anything else.
 */
export const parseJsonPath = (path: string): PathSegment[] | undefined => {
  if (!path.startsWith('$')) return undefined;
  const segments: PathSegment[] = [];
  let rest = path.slice(1);
  while (rest !== '') {
    const name = rest.startsWith('.') ? NAME.exec(rest.slice(1)) : null;
    const index = name === null ? INDEX.exec(rest) : null;
    const quoted = name === null && index === null ? QUOTED.exec(rest) : null;
    if (name !== null) {
      segments.push(name[0]);
      rest = rest.slice(1 + name[0].length);
    } else if (index !== null) {
      segments.push(Number(index[1]));
      rest = rest.slice(index[0].length);
    } else if (quoted !== null) {
      segments.push(quoted[1] ?? quoted[2] ?? '');
      rest = rest.slice(quoted[0].length);
    } else {
      return undefined;
    }
  }
  return segments;
};

/** The value at a parsed path, or undefined when the event has nothing there. */
const select = (root: unknown, segments: readonly PathSegment[]): unknown => {
  let current = root;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
      current = Object.hasOwn(current, segment) ? (current as Record<string, unknown>)[segment] : undefined;
    }
  }
  return current;
};

/** Selects by a JSON path string (undefined if the path is invalid or leads nowhere). */
export const selectJsonPath = (root: unknown, path: string): unknown => {
  const segments = parseJsonPath(path);
  return segments === undefined ? undefined : select(root, segments);
};

/** The names of the predefined variables, which InputPathsMap cannot redefine. */
export const PREDEFINED_VARIABLES = [
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event.ingestion-time',
  'aws.events.event',
  'aws.events.event.json',
] as const;

/** What a rendering needs beyond the target: the event, and the rule that matched it. */
export interface RenderContext {
  readonly event: EventBridgeEvent;
  /** The event as JSON text (computed once per event). */
  readonly eventJson: string;
  readonly ruleArn: string;
  readonly ruleName: string;
  /** ISO-8601 time at which the emulator received the event. */
  readonly ingestionTime: string;
}

const predefined = (name: string, context: RenderContext): { value: unknown; found: boolean } => {
  switch (name) {
    case 'aws.events.rule-arn':
      return { value: context.ruleArn, found: true };
    case 'aws.events.rule-name':
      return { value: context.ruleName, found: true };
    case 'aws.events.event.ingestion-time':
      return { value: context.ingestionTime, found: true };
    case 'aws.events.event': {
      const { detail: _detail, ...withoutDetail } = context.event;
      return { value: withoutDetail, found: true };
    }
    case 'aws.events.event.json':
      return { value: context.event, found: true };
    default:
      return { value: undefined, found: false };
  }
};

const PLACEHOLDER = /^<([A-Za-z0-9_.-]+)>/;

/**
 * Fills an InputTemplate. A placeholder outside a JSON string becomes the value as JSON (a string gets its quotes);
 * inside a string it becomes the raw text — EventBridge does not escape extracted values there. A variable whose path
 * found nothing becomes `null` outside strings and nothing inside them. Unknown `<...>` text stays as written.
 */
export const fillTemplate = (
  template: string,
  pathsMap: Readonly<Record<string, string>>,
  context: RenderContext,
): string => {
  const lookup = (name: string): { value: unknown; found: boolean } => {
    if (Object.hasOwn(pathsMap, name)) {
      return { value: selectJsonPath(context.event, pathsMap[name] ?? ''), found: true };
    }
    return predefined(name, context);
  };
  let output = '';
  let inString = false;
  for (let index = 0; index < template.length; index += 1) {
    const char = template[index] ?? '';
    if (char === '\\' && inString) {
      output += template.slice(index, index + 2);
      index += 1;
      continue;
    }
    if (char === '"') inString = !inString;
    const placeholder = char === '<' ? PLACEHOLDER.exec(template.slice(index)) : null;
    const variable = placeholder === null ? undefined : lookup(placeholder[1] ?? '');
    if (placeholder === null || variable === undefined || !variable.found) {
      output += char;
      continue;
    }
    const { value } = variable;
    if (inString)
      output += value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    else output += value === undefined ? 'null' : JSON.stringify(value);
    index += placeholder[0].length - 1;
  }
  return output;
};

/** The body a target receives for an event. */
export const renderTargetInput = (target: TargetInput, context: RenderContext): string => {
  if (target.input !== undefined) return target.input;
  if (target.inputPath !== undefined) {
    // A path that leads nowhere delivers JSON null rather than dropping the invocation.
    return JSON.stringify(selectJsonPath(context.event, target.inputPath) ?? null);
  }
  if (target.inputTransformer !== undefined) {
    const { inputTemplate, inputPathsMap } = target.inputTransformer;
    return fillTemplate(inputTemplate, inputPathsMap, context);
  }
  return context.eventJson;
};
