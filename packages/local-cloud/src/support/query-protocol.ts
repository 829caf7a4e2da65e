/**
 * The AWS query protocol (form-encoded `Action=...` requests, XML answers), driven by a small shape model so that a
 * service emulated in the JSON protocol can also answer query-protocol clients (older AWS CLIs speak it for SQS).
 * Decoding turns `Attribute.1.Name=...` style parameters into the JSON protocol's input; encoding turns a JSON
 * output into the XML the query protocol returns.
 */

/** A shape of the service model, as far as the query protocol needs it. `name` is the serialized member name. */
export type QueryShape =
  | { readonly type: 'string' | 'integer' | 'long' | 'boolean' | 'blob'; readonly name?: string }
  | {
      readonly type: 'list';
      readonly member: QueryShape;
      readonly memberName: string;
      readonly flattened: boolean;
      readonly name?: string;
    }
  | {
      readonly type: 'map';
      readonly value: QueryShape;
      readonly keyName: string;
      readonly valueName: string;
      readonly name?: string;
    }
  | QueryStructure;

/** A structure shape: members by their JSON name. */
export interface QueryStructure {
  readonly type: 'structure';
  readonly members: Readonly<Record<string, QueryShape>>;
  readonly name?: string;
}

/** Shape builders, so a service model reads like the AWS one. */
export const q = {
  string: { type: 'string' } as QueryShape,
  integer: { type: 'integer' } as QueryShape,
  long: { type: 'long' } as QueryShape,
  boolean: { type: 'boolean' } as QueryShape,
  blob: { type: 'blob' } as QueryShape,
  /** A list serialized as `<member>.N` (flattened) or `Name.<member>.N`. */
  list: (member: QueryShape, memberName: string, flattened = true): QueryShape => ({
    type: 'list',
    member,
    memberName,
    flattened,
  }),
  /** A flattened map serialized as `Name.N.<keyName>` / `Name.N.<valueName>`. */
  map: (value: QueryShape, keyName = 'Name', valueName = 'Value'): QueryShape => ({
    type: 'map',
    value,
    keyName,
    valueName,
  }),
  structure: (members: Record<string, QueryShape>): QueryStructure => ({ type: 'structure', members }),
  /** The same shape under another serialized name. */
  named: <S extends QueryShape>(shape: S, name: string): S => ({ ...shape, name }),
} as const;

type Params = ReadonlyMap<string, string>;

const indicesUnder = (params: Params, prefix: string): number[] => {
  const found = new Set<number>();
  const start = `${prefix}.`;
  for (const key of params.keys()) {
    if (!key.startsWith(start)) continue;
    const index = Number.parseInt(key.slice(start.length), 10);
    if (Number.isInteger(index) && index > 0) found.add(index);
  }
  return [...found].sort((a, b) => a - b);
};

const hasUnder = (params: Params, prefix: string): boolean => {
  if (params.has(prefix)) return true;
  const start = `${prefix}.`;
  for (const key of params.keys()) if (key.startsWith(start)) return true;
  return false;
};

const decodeValue = (shape: QueryShape, params: Params, key: string): unknown => {
  switch (shape.type) {
    case 'string':
    case 'blob':
      return params.get(key);
    case 'integer':
    case 'long': {
      const raw = params.get(key);
      if (raw === undefined) return undefined;
      const number = Number(raw);
      // A malformed number is passed on as text so that the service's own validation names the parameter.
      return raw.trim() !== '' && Number.isFinite(number) ? number : raw;
    }
    case 'boolean': {
      const raw = params.get(key);
      return raw === undefined ? undefined : raw === 'true';
    }
    case 'list': {
      // A flattened list takes its member's name in place of its own (`AttributeName.1`, not `AttributeNames.1`).
      const base = shape.flattened
        ? `${key.slice(0, key.lastIndexOf('.') + 1)}${shape.memberName}`
        : `${key}.${shape.memberName}`;
      const items = indicesUnder(params, base).map((i) => decodeValue(shape.member, params, `${base}.${i}`));
      return items.length > 0 ? items : undefined;
    }
    case 'map': {
      const entries: [string, unknown][] = [];
      for (const i of indicesUnder(params, key)) {
        const name = params.get(`${key}.${i}.${shape.keyName}`);
        if (name !== undefined)
          entries.push([name, decodeValue(shape.value, params, `${key}.${i}.${shape.valueName}`)]);
      }
      return entries.length > 0 ? Object.fromEntries(entries) : undefined;
    }
    case 'structure':
      return hasUnder(params, key) ? decodeStructure(shape, params, key) : undefined;
  }
};

const decodeStructure = (shape: QueryStructure, params: Params, prefix: string): Record<string, unknown> => {
  const result: Record<string, unknown> = {};
  for (const [member, memberShape] of Object.entries(shape.members)) {
    const at = (name: string) => (prefix === '' ? name : `${prefix}.${name}`);
    // Clients disagree on some names (`Tag.1.Key` in AWS's examples, `Tags.1.Key` from older SDKs): the
    // serialized name wins, the member's own name is read when it is absent.
    let value = decodeValue(memberShape, params, at(memberShape.name ?? member));
    if (value === undefined && memberShape.name !== undefined && memberShape.name !== member) {
      value = decodeValue(memberShape, params, at(member));
    }
    if (value !== undefined) result[member] = value;
  }
  return result;
};

/** Turns query parameters into the JSON-protocol input described by `shape`. Unknown parameters are ignored. */
export const decodeQueryInput = (shape: QueryStructure, params: Params): Record<string, unknown> =>
  decodeStructure(shape, params, '');

/** Escapes text for XML element content; carriage returns are escaped so XML parsers keep them. */
export const escapeXml = (text: string): string =>
  text.replace(/[&<>"'\r]/g, (char) => `&#${char.charCodeAt(0)};`);

const scalarText = (value: unknown): string => {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return typeof value === 'string' ? value : String(value);
};

const encodeValue = (shape: QueryShape, value: unknown, name: string): string => {
  switch (shape.type) {
    case 'list': {
      if (!Array.isArray(value)) return '';
      const items = value.map((item) => encodeValue(shape.member, item, shape.memberName)).join('');
      return shape.flattened ? items : `<${name}>${items}</${name}>`;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null) return '';
      return Object.entries(value)
        .map(
          ([key, entry]) =>
            `<${name}><${shape.keyName}>${escapeXml(key)}</${shape.keyName}>${encodeValue(shape.value, entry, shape.valueName)}</${name}>`,
        )
        .join('');
    }
    case 'structure':
      if (typeof value !== 'object' || value === null) return '';
      return `<${name}>${encodeStructure(shape, value as Record<string, unknown>)}</${name}>`;
    default:
      return value === undefined || value === null
        ? ''
        : `<${name}>${escapeXml(scalarText(value))}</${name}>`;
  }
};

const encodeStructure = (shape: QueryStructure, value: Readonly<Record<string, unknown>>): string =>
  Object.entries(shape.members)
    .map(([member, memberShape]) => encodeValue(memberShape, value[member], memberShape.name ?? member))
    .join('');

/** The XML answer of a successful query-protocol call (`<ActionResponse><ActionResult>...`). */
export const queryResponseXml = (options: {
  readonly action: string;
  readonly xmlNamespace: string;
  readonly requestId: string;
  readonly output?: QueryStructure;
  readonly value?: Readonly<Record<string, unknown>>;
}): string => {
  const { action, xmlNamespace, requestId, output, value } = options;
  const members = output === undefined ? '' : encodeStructure(output, value ?? {});
  // An empty result is written self-closing, as AWS writes it (`<ReceiveMessageResult/>`).
  const result =
    output === undefined
      ? ''
      : members === ''
        ? `<${action}Result/>`
        : `<${action}Result>${members}</${action}Result>`;
  return `<?xml version="1.0"?><${action}Response xmlns="${xmlNamespace}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
};

/** The XML answer of a failed query-protocol call. */
export const queryErrorXml = (options: {
  readonly xmlNamespace: string;
  readonly requestId: string;
  readonly code: string;
  readonly message: string;
  readonly senderFault?: boolean;
}): string => {
  const { xmlNamespace, requestId, code, message, senderFault = true } = options;
  return `<?xml version="1.0"?><ErrorResponse xmlns="${xmlNamespace}"><Error><Type>${senderFault ? 'Sender' : 'Receiver'}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
};

/** Reads query parameters from a form body and the URL's query string (the body wins). */
export const queryParams = (url: string | undefined, body: string): Map<string, string> => {
  const params = new Map<string, string>();
  const queryStart = url?.indexOf('?') ?? -1;
  if (url !== undefined && queryStart >= 0) {
    for (const [key, value] of new URLSearchParams(url.slice(queryStart + 1))) params.set(key, value);
  }
  for (const [key, value] of new URLSearchParams(body)) params.set(key, value);
  return params;
};
