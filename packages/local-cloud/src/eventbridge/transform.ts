import type { EventBridgeEvent, TargetInput } from './model.js';

/**
 * What a target receives: the whole event, a constant `Input`, the part selected by `InputPath`, or the
 * `InputTransformer` template filled from `InputPathsMap` and the predefined `aws.events.*` variables.
 */
/** A step of a JSON path: a key, an array index, or `*` (every element or value). */
type PathSegment = string | number | typeof ANY;

const ANY = Symbol('any');
const NAME = /^[^.[\]]+/;
const INDEX = /^\[(\d+)\]/;
const QUOTED = /^\[(?:'([^']*)'|"([^"]*)")\]/;

/**
 * Parses the JSON paths EventBridge accepts in `InputPath` and `InputPathsMap`: `$`, `$.detail.state`,
 * `$.resources[0]`, `$.detail['key.with.dots']`, and the wildcard `*` (`$.detail.items[*].id`, `$.detail.*`).
 * Returns undefined for anything else.
 */
export const parseJsonPath = (path: string): PathSegment[] | undefined => {
  if (!path.startsWith('$')) return undefined;
  const segments: PathSegment[] = [];
  let rest = path.slice(1);
  while (rest !== '') {
    if (rest.startsWith('.*') || rest.startsWith('[*]')) {
      segments.push(ANY);
      rest = rest.slice(rest.startsWith('.*') ? 2 : 3);
      continue;
    }
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

const children = (node: unknown): unknown[] => {
  if (Array.isArray(node)) return node;
  if (typeof node === 'object' && node !== null) return Object.values(node);
  return [];
};

/** The value at a parsed path, or undefined when the event has nothing there; a `*` step yields a list. */
const select = (root: unknown, segments: readonly PathSegment[]): unknown => {
  let current = root;
  for (const [position, segment] of segments.entries()) {
    if (segment === ANY) {
      const rest = segments.slice(position + 1);
      return children(current)
        .map((child) => select(child, rest))
        .filter((value) => value !== undefined);
    }
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

/**
 * `<aws.events.event>`: the event without `detail`, with `detail-type` named `detailType`, in the order AWS writes it
 * (as AWS delivers it to an SQS target).
 */
const eventEnvelope = (event: EventBridgeEvent): Record<string, unknown> => ({
  id: event.id,
  account: event.account,
  detailType: event['detail-type'],
  time: event.time,
  source: event.source,
  region: event.region,
  resources: event.resources,
  version: event.version,
  ...(event['replay-name'] === undefined ? {} : { 'replay-name': event['replay-name'] }),
});

const predefined = (name: string, context: RenderContext): { value: unknown; found: boolean } => {
  switch (name) {
    case 'aws.events.rule-arn':
      return { value: context.ruleArn, found: true };
    case 'aws.events.rule-name':
      return { value: context.ruleName, found: true };
    case 'aws.events.event.ingestion-time':
      return { value: context.ingestionTime, found: true };
    case 'aws.events.event':
      return { value: eventEnvelope(context.event), found: true };
    case 'aws.events.event.json':
      return { value: context.event, found: true };
    default:
      return { value: undefined, found: false };
  }
};

/** `<name>`: the placeholders of an InputTemplate (InputPathsMap keys, or the predefined `aws.events.*`). */
export const PLACEHOLDER = /<([A-Za-z0-9_.-]+)>/g;

/** The placeholder names a template uses, for PutTargets to check that each is defined. */
export const templatePlaceholders = (template: string): string[] =>
  [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');

/** Whether a template is JSON (an object or array), whose output must be valid JSON, or a string template. */
const isJsonTemplate = (template: string): boolean => /^\s*[{[]/.test(template);

/** A value placed inside a JSON string: raw text, and objects or lists with their quotes removed (string templates). */
const inString = (value: unknown, jsonTemplate: boolean): string => {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value);
  // In a string template AWS strips the quotes of an object or list so that the string stays valid; in a JSON
  // template it does not, which makes the output invalid JSON (and AWS then drops it).
  return typeof value === 'object' && value !== null && !jsonTemplate ? text.replaceAll('"', '') : text;
};

/**
 * Fills an InputTemplate, as AWS does (observed against AWS): a placeholder in a JSON position becomes the value as
 * JSON (a string gets its quotes, a path that found nothing becomes `""`); inside a JSON string it becomes the raw
 * text, unescaped (nothing when the path found nothing). Returns undefined when a JSON template does not yield valid
 * JSON: AWS drops such an invocation. A string template (`"..."`) is delivered as written.
 */
export const fillTemplate = (
  template: string,
  pathsMap: Readonly<Record<string, string>>,
  context: RenderContext,
): string | undefined => {
  const lookup = (name: string): { value: unknown; found: boolean } => {
    if (Object.hasOwn(pathsMap, name)) {
      return { value: selectJsonPath(context.event, pathsMap[name] ?? ''), found: true };
    }
    return predefined(name, context);
  };
  const jsonTemplate = isJsonTemplate(template);
  let output = '';
  let quoted = false;
  for (let index = 0; index < template.length; index += 1) {
    const char = template[index] ?? '';
    if (char === '\\' && quoted) {
      output += template.slice(index, index + 2);
      index += 1;
      continue;
    }
    if (char === '"') quoted = !quoted;
    const placeholder = char === '<' ? /^<([A-Za-z0-9_.-]+)>/.exec(template.slice(index)) : null;
    const variable = placeholder === null ? undefined : lookup(placeholder[1] ?? '');
    if (placeholder === null || variable === undefined || !variable.found) {
      output += char;
      continue;
    }
    const { value } = variable;
    if (quoted) output += inString(value, jsonTemplate);
    else output += value === undefined ? '""' : JSON.stringify(value);
    index += placeholder[0].length - 1;
  }
  if (!jsonTemplate) return output;
  try {
    JSON.parse(output);
    return output;
  } catch {
    return undefined;
  }
};

/** The body a target receives for an event, or undefined when AWS would drop the invocation (invalid JSON). */
export const renderTargetInput = (target: TargetInput, context: RenderContext): string | undefined => {
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
