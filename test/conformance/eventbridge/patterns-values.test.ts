import { afterAll, beforeAll, describe } from 'vitest';
import { conformanceCases } from '../support/cases';
import { type ConformanceTarget, startConformanceTarget } from '../support/target';
import { detail, ec2, m, n, X, x } from './pattern-cases';
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

describe('EventBridge event patterns: values, arrays, nesting, $or (TestEventPattern)', () => {
  conformanceCases(patternCases(exactAndStructure), () => target, { concurrent: true });
  conformanceCases(patternCases(arrays), () => target, { concurrent: true });
  conformanceCases(patternCases(nullsAndEmpty), () => target, { concurrent: true });
  conformanceCases(patternCases(dottedKeys), () => target, { concurrent: true });
  conformanceCases(patternCases(structure), () => target, { concurrent: true });
  conformanceCases(patternCases(or), () => target, { concurrent: true });
});
