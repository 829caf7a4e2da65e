import { afterAll, beforeAll, describe } from 'vitest';
import { conformanceCases } from '../support/cases';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';
import { DOCS as D, invalid, type PatternCase, patternCases } from './support';

/**
 * The event pattern language, asked through TestEventPattern: matching, non-matching and invalid patterns from
 * AWS's pattern pages and from Event Ruler's README and compiler (the matcher EventBridge runs). Invalid patterns
 * assert AWS's error code and the first line of its message ("Event pattern is not valid. Reason: ...").
 */
let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget(process.env, { dynamoDb: false });
});
afterAll(async () => {
  await target?.stop();
});

type Fields = Record<string, unknown>;
const m = (name: string, source: string, pattern: unknown, event: Fields = {}): PatternCase => ({
  name: `matches: ${name}`,
  source,
  pattern,
  event,
  expected: 'match',
});
const n = (name: string, source: string, pattern: unknown, event: Fields = {}): PatternCase => ({
  name: `does not match: ${name}`,
  source,
  pattern,
  event,
  expected: 'no-match',
});
const reason = (text: string) => new RegExp(`^Event pattern is not valid\\. Reason: ${text}$`);
const x = (name: string, source: string, pattern: unknown, because: string): PatternCase => ({
  name: `refuses: ${name}`,
  source,
  pattern,
  expected: invalid(reason(because)),
});
const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const X = (name: string, source: string, pattern: unknown, because: string) =>
  x(name, source, pattern, esc(because));

const ec2 = {
  source: 'aws.ec2',
  'detail-type': 'EC2 Instance State-change Notification',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'running',
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
  },
};
const detail = (fields: Fields) => ({ detail: fields });

const exactAndStructure: PatternCase[] = [
  m('a source value', D.syntax, { source: ['aws.ec2'] }, ec2),
  m('any value of the list', D.syntax, { source: ['aws.fargate', 'aws.ec2'] }, ec2),
  n('another value', D.syntax, { source: ['aws.fargate'] }, ec2),
  n('a different case', D.syntax, { source: ['AWS.EC2'] }, ec2),
  m(
    'every listed field',
    D.syntax,
    {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['running'] },
    },
    ec2,
  ),
  n('when one field fails', D.syntax, { source: ['aws.ec2'], detail: { state: ['terminated'] } }, ec2),
  n('a field the event lacks', D.syntax, { detail: { absent: ['x'] } }, ec2),
  n('the same field at another depth', D.syntax, { state: ['running'] }, ec2),
  m('a nested field', D.syntax, { detail: { 'instance-id': ['i-1234567890abcdef0'] } }, ec2),
  m('a number by its value', D.syntax, { detail: { 'c-count': [5] } }, ec2),
  n('a string never equals a number', D.syntax, { detail: { 'c-count': ['5'] } }, ec2),
  n('a number never equals a string', D.syntax, { detail: { code: [5] } }, detail({ code: '5' })),
  m('a boolean', D.syntax, { detail: { enabled: [true] } }, detail({ enabled: true })),
  n('a boolean is not its string', D.syntax, { detail: { enabled: ['true'] } }, detail({ enabled: true })),
  n('a value against an object', D.syntax, { detail: ['x'] }, ec2),
  m(
    'fields the pattern leaves out are ignored',
    D.syntax,
    { 'detail-type': ['EC2 Instance State-change Notification'] },
    ec2,
  ),
  m(
    'whitespace inside a string is significant',
    D.syntax,
    { detail: { name: [' a b '] } },
    detail({ name: ' a b ' }),
  ),
  n('no trimming of strings', D.syntax, { detail: { name: ['a b'] } }, detail({ name: ' a b ' })),
  m('unicode strings exactly', D.syntax, { detail: { city: ['Zürich'] } }, detail({ city: 'Zürich' })),
];

const arrays: PatternCase[] = [
  m(
    'an event array sharing one value',
    D.arrays,
    { resources: ['arn:x', 'arn:aws:ec2:us-east-1:123456789012:instance/i-1234567890abcdef0'] },
    ec2,
  ),
  n('an event array sharing none', D.arrays, { resources: ['arn:x', 'arn:y'] }, ec2),
  m(
    'any element of a value array',
    D.arrays,
    { detail: { tags: ['blue'] } },
    detail({ tags: ['red', 'blue'] }),
  ),
  m('a number inside an event array', D.arrays, { detail: { n: [2] } }, detail({ n: [1, 2, 3] })),
  n('an empty event array has no value', D.arrays, { detail: { tags: ['x'] } }, detail({ tags: [] })),
  m(
    'a field of objects inside an array',
    D.ruler,
    { detail: { items: { sku: ['mug'] } } },
    detail({ items: [{ sku: 'cup' }, { sku: 'mug' }] }),
  ),
  m(
    'two fields of the same array element',
    D.ruler,
    { detail: { items: { sku: ['mug'], qty: [2] } } },
    detail({
      items: [
        { sku: 'mug', qty: 2 },
        { sku: 'cup', qty: 1 },
      ],
    }),
  ),
  n(
    'two fields from different elements of one array',
    D.ruler,
    { detail: { items: { sku: ['mug'], qty: [1] } } },
    detail({
      items: [
        { sku: 'mug', qty: 2 },
        { sku: 'cup', qty: 1 },
      ],
    }),
  ),
  m(
    'nested arrays are crushed',
    D.ruler,
    { employees: { firstName: ['Anna'] } },
    { employees: [[{ firstName: 'John' }, { firstName: 'Anna' }], [{ firstName: 'Peter' }]] },
  ),
  m(
    'fields of elements of different arrays combine',
    D.ruler,
    { a: { x: [1] }, b: { y: [2] } },
    { a: [{ x: 1 }], b: [{ y: 2 }] },
  ),
];

const nullsAndEmpty: PatternCase[] = [
  m('null', D.nulls, { detail: { reason: [null] } }, detail({ reason: null })),
  n('null against a value', D.nulls, { detail: { reason: [null] } }, detail({ reason: 'x' })),
  n('null against an absent field', D.nulls, { detail: { reason: [null] } }, detail({})),
  m('the empty string', D.nulls, { detail: { name: [''] } }, detail({ name: '' })),
  n('the empty string is not null', D.nulls, { detail: { name: [''] } }, detail({ name: null })),
  n('null is not the empty string', D.nulls, { detail: { name: [null] } }, detail({ name: '' })),
  n('the string null is not null', D.nulls, { detail: { name: ['null'] } }, detail({ name: null })),
];

const prefixSuffix: PatternCase[] = [
  m('prefix', D.filtering, { time: [{ prefix: '2026-01-15' }] }),
  n('prefix not present', D.filtering, { time: [{ prefix: '2026-02' }] }),
  m('prefix on a region', D.filtering, { region: [{ prefix: 'us-' }] }),
  n('prefix is case-sensitive', D.filtering, { region: [{ prefix: 'US-' }] }),
  n('prefix never matches a number', D.filtering, { detail: { n: [{ prefix: '1' }] } }, detail({ n: 123 })),
  m(
    'the empty prefix matches any string',
    D.rulerCompiler,
    { detail: { s: [{ prefix: '' }] } },
    detail({ s: 'anything' }),
  ),
  m(
    'prefix ignoring case',
    D.filtering,
    { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    detail({ service: 'eventbridge' }),
  ),
  n(
    'prefix ignoring case, not present',
    D.filtering,
    { detail: { service: [{ prefix: { 'equals-ignore-case': 'sqs' } }] } },
    detail({ service: 'eventbridge' }),
  ),
  m('suffix', D.filtering, { detail: { FileName: [{ suffix: '.png' }] } }, detail({ FileName: 'image.png' })),
  n(
    'suffix not present',
    D.filtering,
    { detail: { FileName: [{ suffix: '.png' }] } },
    detail({ FileName: 'image.jpg' }),
  ),
  n(
    'suffix is case-sensitive',
    D.filtering,
    { detail: { FileName: [{ suffix: '.png' }] } },
    detail({ FileName: 'IMAGE.PNG' }),
  ),
  m(
    'suffix ignoring case',
    D.filtering,
    { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
    detail({ FileName: 'IMAGE.PNG' }),
  ),
  m(
    'prefix inside an event array',
    D.filtering,
    { detail: { tags: [{ prefix: 'env:' }] } },
    detail({ tags: ['team:a', 'env:prod'] }),
  ),
  X(
    'prefix with a number',
    D.rulerCompiler,
    { time: [{ prefix: 5 }] },
    'prefix match pattern must be a string',
  ),
  X(
    'prefix with a list',
    D.rulerCompiler,
    { time: [{ prefix: ['a'] }] },
    'prefix match pattern must be a string',
  ),
  X(
    'suffix with a number',
    D.rulerCompiler,
    { time: [{ suffix: 5 }] },
    'suffix match pattern must be a string',
  ),
  X(
    'prefix with another operator inside',
    D.rulerCompiler,
    { time: [{ prefix: { wildcard: 'a*' } }] },
    'Unsupported prefix pattern: wildcard',
  ),
  X(
    'suffix ignoring case with a number',
    D.rulerCompiler,
    { time: [{ suffix: { 'equals-ignore-case': 1 } }] },
    'equals-ignore-case match pattern must be a string',
  ),
];

const anythingBut: PatternCase[] = [
  m('anything-but a string', D.filtering, { detail: { state: [{ 'anything-but': 'initializing' }] } }, ec2),
  n(
    'anything-but the value itself',
    D.filtering,
    { detail: { state: [{ 'anything-but': 'running' }] } },
    ec2,
  ),
  m('anything-but a number', D.filtering, { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, ec2),
  n('anything-but the number itself', D.filtering, { detail: { 'c-count': [{ 'anything-but': 5 }] } }, ec2),
  m(
    'anything-but a list of strings',
    D.filtering,
    { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    ec2,
  ),
  n(
    'anything-but a list holding the value',
    D.filtering,
    { detail: { state: [{ 'anything-but': ['stopped', 'running'] }] } },
    ec2,
  ),
  m(
    'anything-but a list of numbers',
    D.filtering,
    { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    ec2,
  ),
  n(
    'anything-but numbers holding the value',
    D.filtering,
    { detail: { 'c-count': [{ 'anything-but': [4, 5] }] } },
    ec2,
  ),
  m(
    'anything-but a string matches a number',
    D.ruler,
    { detail: { 'c-count': [{ 'anything-but': '5' }] } },
    ec2,
  ),
  m(
    'anything-but numbers matches a string',
    D.ruler,
    { detail: { code: [{ 'anything-but': [111, 222] }] } },
    detail({ code: '111' }),
  ),
  m('anything-but matches null', D.ruler, { detail: { v: [{ 'anything-but': 'x' }] } }, detail({ v: null })),
  n('anything-but needs the field', D.filtering, { detail: { absent: [{ 'anything-but': 'x' }] } }, ec2),
  m(
    'anything-but in an array: one other value is enough',
    D.arrays,
    { detail: { tags: [{ 'anything-but': 'a' }] } },
    detail({ tags: ['a', 'b'] }),
  ),
  n(
    'anything-but in an array of excluded values',
    D.arrays,
    { detail: { tags: [{ 'anything-but': ['a', 'b'] }] } },
    detail({ tags: ['a', 'b'] }),
  ),
  m(
    'anything-but a prefix',
    D.filtering,
    { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    ec2,
  ),
  n(
    'anything-but the prefix of the value',
    D.filtering,
    { detail: { state: [{ 'anything-but': { prefix: 'run' } }] } },
    ec2,
  ),
  m(
    'anything-but a list of prefixes',
    D.ruler,
    { detail: { state: [{ 'anything-but': { prefix: ['init', 'stop'] } }] } },
    ec2,
  ),
  m(
    'anything-but a suffix',
    D.filtering,
    { detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } },
    detail({ FileName: 'a.jpg' }),
  ),
  n(
    'anything-but the suffix of the value',
    D.filtering,
    { detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } },
    detail({ FileName: 'a.png' }),
  ),
  m(
    'anything-but a prefix matches a number',
    D.ruler,
    { detail: { n: [{ 'anything-but': { prefix: '1' } }] } },
    detail({ n: 123 }),
  ),
  m(
    'anything-but ignoring case',
    D.filtering,
    { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'Stopped' } }] } },
    ec2,
  ),
  n(
    'anything-but ignoring case, the value in other case',
    D.filtering,
    { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'RUNNING' } }] } },
    ec2,
  ),
  n(
    'anything-but ignoring case, a list',
    D.ruler,
    { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'RUNNING'] } }] } },
    ec2,
  ),
  m(
    'anything-but a wildcard',
    D.filtering,
    { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    detail({ FilePath: '/usr/bin/app' }),
  ),
  n(
    'anything-but a wildcard the value fits',
    D.filtering,
    { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    detail({ FilePath: '/usr/lib/x.so' }),
  ),
  n(
    'anything-but a list of wildcards',
    D.ruler,
    { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/bin/*', '*/lib/*'] } }] } },
    detail({ FilePath: '/usr/lib/x.so' }),
  ),
  m(
    'anything-but an empty wildcard',
    D.ruler,
    { detail: { s: [{ 'anything-but': { wildcard: '' } }] } },
    detail({ s: 'x' }),
  ),
  X(
    'anything-but with an empty prefix',
    D.rulerCompiler,
    { detail: { s: [{ 'anything-but': { prefix: '' } }] } },
    'Null prefix/suffix not allowed',
  ),
  X(
    'anything-but with an empty suffix',
    D.rulerCompiler,
    { detail: { s: [{ 'anything-but': { suffix: '' } }] } },
    'Null prefix/suffix not allowed',
  ),
  X(
    'anything-but with an empty prefix in a list',
    D.rulerCompiler,
    { detail: { s: [{ 'anything-but': { prefix: ['a', ''] } }] } },
    'Null prefix/suffix not allowed',
  ),
  X(
    'anything-but with a mixed list',
    D.rulerCompiler,
    { detail: { s: [{ 'anything-but': ['a', 1] }] } },
    'Inside anything but list, either all values are number or string, mixed type is not supported',
  ),
  X(
    'anything-but with null in a list',
    D.rulerCompiler,
    { detail: { s: [{ 'anything-but': ['a', null] }] } },
    'Inside anything but list, start|null|boolean is not supported.',
  ),
  X(
    'anything-but null',
    D.rulerCompiler,
    { detail: { s: [{ 'anything-but': null }] } },
    'Value of anything-but must be an array or single string/number value.',
  ),
  X(
    'anything-but a boolean',
    D.rulerCompiler,
    { detail: { s: [{ 'anything-but': true }] } },
    'Value of anything-but must be an array or single string/number value.',
  ),
  X(
    'anything-but a numeric range',
    D.rulerCompiler,
    { detail: { s: [{ 'anything-but': { numeric: ['>', 1] } }] } },
    'Unsupported anything-but pattern: numeric',
  ),
  X(
    'anything-but a prefix that is a number',
    D.rulerCompiler,
    { detail: { s: [{ 'anything-but': { prefix: 1 } }] } },
    'prefix/suffix match pattern must be a string',
  ),
  X(
    'anything-but a suffix list with a number',
    D.rulerCompiler,
    { detail: { s: [{ 'anything-but': { suffix: ['a', 1] } }] } },
    'prefix/suffix match pattern must be a string',
  ),
  X(
    'anything-but ignoring case a number',
    D.rulerCompiler,
    { detail: { s: [{ 'anything-but': { 'equals-ignore-case': 1 } }] } },
    'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
  ),
  X(
    'anything-but a wildcard number',
    D.rulerCompiler,
    { detail: { s: [{ 'anything-but': { wildcard: 1 } }] } },
    'wildcard match pattern must be a string',
  ),
  X(
    'anything-but a prefix object',
    D.rulerCompiler,
    { detail: { s: [{ 'anything-but': { prefix: { 'equals-ignore-case': 'a' } } }] } },
    'Value of anything-but must be an array or single string/number value.',
  ),
];

const numeric: PatternCase[] = [
  m('within a range', D.filtering, { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, ec2),
  n('above the range', D.filtering, { detail: { 'c-count': [{ numeric: ['>', 0, '<', 5] }] } }, ec2),
  m('below a bound', D.filtering, { detail: { 'd-count': [{ numeric: ['<', 10] }] } }, ec2),
  m('equal in exponent form', D.filtering, { detail: { 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, ec2),
  m('at an inclusive bound', D.filtering, { detail: { 'c-count': [{ numeric: ['>=', 5] }] } }, ec2),
  n('at an exclusive bound', D.filtering, { detail: { 'c-count': [{ numeric: ['>', 5] }] } }, ec2),
  m(
    'negative numbers',
    D.filtering,
    { detail: { t: [{ numeric: ['>=', -10.5, '<', -1] }] } },
    detail({ t: -3 }),
  ),
  m('decimals', D.filtering, { detail: { p: [{ numeric: ['>', 0.1, '<', 0.2] }] } }, detail({ p: 0.15 })),
  n('a string holding a number', D.filtering, { detail: { n: [{ numeric: ['>', 0] }] } }, detail({ n: '5' })),
  m(
    'any element of an array',
    D.arrays,
    { detail: { n: [{ numeric: ['>', 0, '<', 10] }] } },
    detail({ n: [100, 5, 200] }),
  ),
  m(
    'at the upper limit of numeric matching',
    D.filtering,
    { detail: { n: [{ numeric: ['<=', 5e9] }] } },
    detail({ n: 5e9 }),
  ),
  m('OR with a literal value', D.filtering, { detail: { n: [0, { numeric: ['>', 10] }] } }, detail({ n: 0 })),
  X(
    'two lower bounds',
    D.rulerCompiler,
    { detail: { n: [{ numeric: ['>', 0, '>', 0] }] } },
    'Bad numeric range operator: >',
  ),
  X(
    'a bound given as a string',
    D.rulerCompiler,
    { detail: { n: [{ numeric: ['<', '10'] }] } },
    'Value of < must be numeric',
  ),
  X(
    'numeric not given an array',
    D.rulerCompiler,
    { detail: { n: [{ numeric: 5 }] } },
    'Value of numeric must be an array.',
  ),
  X(
    'an unknown comparison',
    D.rulerCompiler,
    { detail: { n: [{ numeric: ['!=', 5] }] } },
    'Unrecognized numeric range operator: !=',
  ),
  X(
    'an upper bound before a lower one',
    D.rulerCompiler,
    { detail: { n: [{ numeric: ['<', 5, '>', 1] }] } },
    'Too many elements in numeric expression',
  ),
  X(
    'equality with more terms',
    D.rulerCompiler,
    { detail: { n: [{ numeric: ['=', 1, '<', 2] }] } },
    'Too many elements in numeric expression',
  ),
  X(
    'a bottom above the top',
    D.rulerCompiler,
    { detail: { n: [{ numeric: ['>', 10, '<', 5] }] } },
    'Bottom must be less than top',
  ),
  X(
    'a range of one point',
    D.rulerCompiler,
    { detail: { n: [{ numeric: ['>=', 1, '<=', 1] }] } },
    'Bottom must be less than top',
  ),
  X(
    'an empty numeric array',
    D.rulerCompiler,
    { detail: { n: [{ numeric: [] }] } },
    'Invalid member in numeric match: ]',
  ),
  X(
    'a bound past the numeric limit',
    D.filtering,
    { detail: { n: [{ numeric: ['<', 6e9] }] } },
    'Value must be between -5.0E9 and 5.0E9, inclusive',
  ),
  X(
    'NUMERIC in capitals',
    D.rulerCompiler,
    { detail: { n: [{ NUMERIC: ['>', 1] }] } },
    'Unrecognized match type NUMERIC',
  ),
];

const ipAddresses: PatternCase[] = [
  m('an address in an IPv4 CIDR', D.filtering, { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, ec2),
  n('an address outside the CIDR', D.filtering, { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, ec2),
  m('a wide IPv4 CIDR', D.filtering, { detail: { 'source-ip': [{ cidr: '10.0.0.0/8' }] } }, ec2),
  m(
    'an address in an IPv6 CIDR',
    D.filtering,
    { detail: { ip: [{ cidr: '2001:db8::/32' }] } },
    detail({ ip: '2001:db8:0:1::7' }),
  ),
  n(
    'an address outside the IPv6 CIDR',
    D.filtering,
    { detail: { ip: [{ cidr: '2001:db8::/32' }] } },
    detail({ ip: '2001:db9::1' }),
  ),
  n(
    'an IPv6 address against an IPv4 CIDR',
    D.filtering,
    { detail: { ip: [{ cidr: '10.0.0.0/8' }] } },
    detail({ ip: '2001:db8::1' }),
  ),
  n(
    'a string that is no address',
    D.filtering,
    { detail: { ip: [{ cidr: '10.0.0.0/8' }] } },
    detail({ ip: 'host.example' }),
  ),
  m(
    'an exact IPv6 value written another way',
    D.ruler,
    { detail: { ip: ['2001:db8::1'] } },
    detail({ ip: '2001:0db8:0000:0000:0000:0000:0000:0001' }),
  ),
  X(
    'a CIDR without a mask',
    D.rulerCidr,
    { detail: { ip: [{ cidr: '10.0.0.0' }] } },
    "Malformed CIDR, one '/' required",
  ),
  X(
    'a CIDR with a word for a mask',
    D.rulerCidr,
    { detail: { ip: [{ cidr: '10.0.0.0/x' }] } },
    'Malformed CIDR, mask bits must be an integer',
  ),
  X(
    'a CIDR with a nonstandard address',
    D.rulerCidr,
    { detail: { ip: [{ cidr: 'xx.11.xx/8' }] } },
    'Nonstandard IP address: xx.11.xx',
  ),
  X(
    'an IPv4 mask over 31',
    D.rulerCidr,
    { detail: { ip: [{ cidr: '10.0.0.0/33' }] } },
    'IPv4 mask bits must be < 32',
  ),
  X(
    'a CIDR given as a number',
    D.rulerCompiler,
    { detail: { ip: [{ cidr: 10 }] } },
    'prefix match pattern must be a string',
  ),
];

const exists: PatternCase[] = [
  m('exists: true on a present field', D.filtering, { detail: { state: [{ exists: true }] } }, ec2),
  n('exists: true on an absent field', D.filtering, { detail: { absent: [{ exists: true }] } }, ec2),
  m('exists: false on an absent field', D.filtering, { detail: { absent: [{ exists: false }] } }, ec2),
  n('exists: false on a present field', D.filtering, { detail: { state: [{ exists: false }] } }, ec2),
  m(
    'exists: false when the parent is absent',
    D.filtering,
    { detail: { x: { y: [{ exists: false }] } } },
    { source: 'x' },
  ),
  m('exists: true on null', D.ruler, { detail: { r: [{ exists: true }] } }, detail({ r: null })),
  n('exists: true on an empty array', D.ruler, { detail: { r: [{ exists: true }] } }, detail({ r: [] })),
  n(
    'exists: true on an object (not a leaf)',
    D.ruler,
    { detail: { r: [{ exists: true }] } },
    detail({ r: { a: 1 } }),
  ),
  m(
    'exists: false on an object (not a leaf)',
    D.ruler,
    { detail: { r: [{ exists: false }] } },
    detail({ r: { a: 1 } }),
  ),
  m('a value or absent', D.filtering, { detail: { state: ['stopped', { exists: false }] } }, detail({})),
  X(
    'exists with a string',
    D.rulerCompiler,
    { detail: { s: [{ exists: 'true' }] } },
    'exists match pattern must be either true or false.',
  ),
  X(
    'EXISTS in capitals',
    D.rulerCompiler,
    { detail: { s: [{ EXISTS: true }] } },
    'Unrecognized match type EXISTS',
  ),
];

const ignoreCase: PatternCase[] = [
  m('equals-ignore-case', D.filtering, { 'detail-type': [{ 'equals-ignore-case': 'order placed' }] }),
  n('equals-ignore-case, another word', D.filtering, {
    'detail-type': [{ 'equals-ignore-case': 'order shipped' }],
  }),
  n(
    'equals-ignore-case never matches a number',
    D.filtering,
    { detail: { n: [{ 'equals-ignore-case': '5' }] } },
    detail({ n: 5 }),
  ),
  m(
    'equals-ignore-case, the empty string',
    D.filtering,
    { detail: { s: [{ 'equals-ignore-case': '' }] } },
    detail({ s: '' }),
  ),
  X(
    'equals-ignore-case with a list',
    D.rulerCompiler,
    { detail: { s: [{ 'equals-ignore-case': ['a'] }] } },
    'equals-ignore-case match pattern must be a string',
  ),
  X(
    'equals-ignore-case with a number',
    D.rulerCompiler,
    { detail: { s: [{ 'equals-ignore-case': 5 }] } },
    'equals-ignore-case match pattern must be a string',
  ),
];

const wildcard: PatternCase[] = [
  m(
    'a wildcard',
    D.filtering,
    { detail: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] } },
    detail({ EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/orders' }),
  ),
  n(
    'a wildcard the value does not fit',
    D.filtering,
    { detail: { FileName: [{ wildcard: 'dir/*.png' }] } },
    detail({ FileName: 'dir/a.jpg' }),
  ),
  m('a star matches nothing too', D.filtering, { detail: { s: [{ wildcard: 'xy*' }] } }, detail({ s: 'xy' })),
  n(
    'a wildcard is anchored at both ends',
    D.filtering,
    { detail: { s: [{ wildcard: 'd*f' }] } },
    detail({ s: 'deeeefx' }),
  ),
  m('a leading star', D.filtering, { detail: { s: [{ wildcard: '*bc' }] } }, detail({ s: 'abcbc' })),
  m(
    'several stars',
    D.filtering,
    { detail: { p: [{ wildcard: '/Users/*/dir/dir/dir/dir/dir/doc.txt' }] } },
    detail({ p: '/Users/me/dir/dir/dir/dir/dir/doc.txt' }),
  ),
  m(
    'an escaped star is a star',
    D.filtering,
    { detail: { s: [{ wildcard: 'a\\*b' }] } },
    detail({ s: 'a*b' }),
  ),
  n(
    'an escaped star is not a wildcard',
    D.filtering,
    { detail: { s: [{ wildcard: 'a\\*b' }] } },
    detail({ s: 'axb' }),
  ),
  m(
    'an escaped backslash',
    D.filtering,
    { detail: { s: [{ wildcard: 'a\\\\*' }] } },
    detail({ s: 'a\\tail' }),
  ),
  n(
    'a wildcard never matches a number',
    D.filtering,
    { detail: { n: [{ wildcard: '*' }] } },
    detail({ n: 5 }),
  ),
  n(
    'the empty wildcard matches only the empty string',
    D.filtering,
    { detail: { s: [{ wildcard: '' }] } },
    detail({ s: 'x' }),
  ),
  X(
    'consecutive stars',
    D.filtering,
    { detail: { s: [{ wildcard: 'arn:aws:events:us-east-1:**:event-bus/*' }] } },
    'Consecutive wildcard characters at pos 26',
  ),
  X(
    'an escape of another character',
    D.filtering,
    { detail: { s: [{ wildcard: 'a\\b' }] } },
    'Invalid escape character at pos 2',
  ),
  X(
    'a wildcard given as a number',
    D.rulerCompiler,
    { detail: { s: [{ wildcard: 5 }] } },
    'wildcard match pattern must be a string',
  ),
  X(
    'a wildcard given as a list',
    D.rulerCompiler,
    { detail: { s: [{ wildcard: ['a*'] }] } },
    'wildcard match pattern must be a string',
  ),
  X(
    'a rule too complex',
    D.rulerComplexity,
    { detail: { s: [{ wildcard: '*:*:*:*:*:event-bus/*' }] } },
    'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character',
  ),
];

const or: PatternCase[] = [
  m(
    '$or: the first branch',
    D.operators,
    { source: ['aws.ec2'], $or: [{ detail: { state: ['running'] } }, { detail: { 'c-count': [9] } }] },
    ec2,
  ),
  m(
    '$or: the second branch',
    D.operators,
    { $or: [{ detail: { state: ['stopped'] } }, { detail: { 'c-count': [5] } }] },
    ec2,
  ),
  n(
    '$or: no branch',
    D.operators,
    { $or: [{ detail: { state: ['stopped'] } }, { detail: { 'c-count': [9] } }] },
    ec2,
  ),
  n(
    '$or with a failing field beside it',
    D.operators,
    { source: ['aws.s3'], $or: [{ detail: { state: ['running'] } }, { region: ['us-east-1'] }] },
    ec2,
  ),
  m(
    '$or inside a nested object',
    D.ruler,
    {
      detail: {
        $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }],
      },
    },
    ec2,
  ),
  m(
    '$or with an AND branch',
    D.ruler,
    { $or: [{ detail: { state: ['stopped'] } }, { source: ['aws.ec2'], region: ['us-east-1'] }] },
    ec2,
  ),
  m(
    'nested $or',
    D.ruler,
    { $or: [{ source: ['x'] }, { $or: [{ region: ['eu-west-1'] }, { detail: { state: ['running'] } }] }] },
    ec2,
  ),
  m(
    'two $or side by side',
    D.ruler,
    {
      $or: [{ source: ['aws.ec2'] }, { source: ['x'] }],
      detail: { $or: [{ state: ['running'] }, { state: ['x'] }] },
    },
    ec2,
  ),
  m('$or over an object value is a field named $or', D.ruler, { $or: { a: ['1'] } }, { $or: { a: '1' } }),
  x(
    '$or with one branch',
    D.rulerCompiler,
    { $or: [{ source: ['aws.ec2'] }] },
    'Unrecognized match type source',
  ),
  x('$or with an array inside', D.rulerCompiler, { $or: [{ a: ['1'] }, ['b']] }, 'Unrecognized match type a'),
  x(
    '$or with an operator as a field name',
    D.rulerCompiler,
    { $or: [{ numeric: ['1'] }, { b: ['2'] }] },
    'Unrecognized numeric range operator: 1',
  ),
];

const dottedKeys: PatternCase[] = [
  m('a dot-joined pattern key on a nested event', D.ruler, { 'detail.state': ['running'] }, ec2),
  m(
    'a dotted key inside a nested pattern',
    D.syntax,
    { detail: { 'state.status': ['running'] } },
    detail({ state: { status: 'running' } }),
  ),
  m(
    'a nested pattern on a dot-joined event key',
    D.syntax,
    { detail: { state: { status: ['running'] } } },
    detail({ 'state.status': 'running' }),
  ),
  m(
    'dot-joined keys on both sides',
    D.syntax,
    { 'detail.state.status': ['running'] },
    detail({ 'state.status': 'running' }),
  ),
  n(
    'a dot-joined key with another value',
    D.syntax,
    { detail: { 'state.status': ['stopped'] } },
    detail({ state: { status: 'running' } }),
  ),
  m(
    'the last of two keys for the same path wins',
    D.syntax,
    { detail: { state: { status: ['stopped'] }, 'state.status': ['running'] } },
    detail({ state: { status: 'running' } }),
  ),
  m('exists: false on a dotted path that is absent', D.syntax, { 'detail.absent': [{ exists: false }] }, ec2),
];

const structure: PatternCase[] = [
  X('a pattern that is an array', D.rulerCompiler, ['aws.ec2'], 'Filter is not an object'),
  X('the empty pattern', D.rulerCompiler, {}, 'Empty objects are not allowed'),
  X('an empty nested object', D.rulerCompiler, { detail: {} }, 'Empty objects are not allowed'),
  X(
    'a value that is not an array',
    D.syntax,
    { source: 'aws.ec2' },
    '"source" must be an object or an array',
  ),
  X('a number for a value', D.syntax, { detail: { int: 5 } }, '"int" must be an object or an array'),
  X('an empty value array', D.arrays, { resources: [] }, 'Empty arrays are not allowed'),
  X(
    'a nested value array',
    D.rulerCompiler,
    { source: [['aws.ec2']] },
    'Match value must be String, number, true, false, or null',
  ),
  X('an operator object without a key', D.rulerCompiler, { source: [{}] }, 'Match expression name not found'),
  X(
    'two operators in one object',
    D.rulerCompiler,
    { source: [{ prefix: 'a', suffix: 'b' }] },
    'Only one key allowed in match expression',
  ),
  X(
    'an unknown operator',
    D.operators,
    { source: [{ contains: 'ec2' }] },
    'Unrecognized match type contains',
  ),
  X(
    'a field object inside a value array',
    D.rulerCompiler,
    { detail: [{ state: ['running'] }] },
    'Unrecognized match type state',
  ),
  m('the exactly operator of Event Ruler', D.rulerCompiler, { source: [{ exactly: 'aws.ec2' }] }, ec2),
  m('operators mixed with values', D.operators, { detail: { state: ['stopped', { prefix: 'run' }] } }, ec2),
];

const cases = [
  ...exactAndStructure,
  ...arrays,
  ...nullsAndEmpty,
  ...prefixSuffix,
  ...anythingBut,
  ...numeric,
  ...ipAddresses,
  ...exists,
  ...ignoreCase,
  ...wildcard,
  ...or,
  ...dottedKeys,
  ...structure,
];

describe('EventBridge event patterns (TestEventPattern)', () => {
  conformanceCases(patternCases(cases), () => target, { concurrent: true });
});
