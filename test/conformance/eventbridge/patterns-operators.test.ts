import { afterAll, beforeAll, describe } from 'vitest';
import { conformanceCases } from '../support/cases';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';
import { detail, ec2, m, n, X } from './pattern-cases';
import { DOCS as D, type PatternCase, patternCases } from './support';

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

describe('EventBridge event patterns: comparison operators (TestEventPattern)', () => {
  conformanceCases(patternCases(prefixSuffix), () => target, { concurrent: true });
  conformanceCases(patternCases(anythingBut), () => target, { concurrent: true });
  conformanceCases(patternCases(numeric), () => target, { concurrent: true });
  conformanceCases(patternCases(ipAddresses), () => target, { concurrent: true });
  conformanceCases(patternCases(exists), () => target, { concurrent: true });
  conformanceCases(patternCases(ignoreCase), () => target, { concurrent: true });
  conformanceCases(patternCases(wildcard), () => target, { concurrent: true });
});
