import { describe, expect, it } from 'vitest';
import { compileEventPattern } from '../../../../packages/local-cloud/src/eventbridge/pattern';

/**
 * The pattern language, case by case, from AWS's documentation: "Event patterns", "Content filtering in Amazon
 * EventBridge event patterns", "Comparison operators for use in event patterns", "Arrays in event patterns",
 * "Matching null values and empty strings", and the rules of EventBridge's matcher (Event Ruler) that the docs
 * refer to (array-consistent matching, wildcard escaping, anything-but lists).
 */
type Expectation = 'match' | 'no-match';
type Case = readonly [name: string, pattern: object, event: object, expected: Expectation];

/** The EC2 state-change event used throughout AWS's pattern documentation. */
const ec2 = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};
const withDetail = (detail: object) => ({ ...ec2, detail });
const employees = {
  employees: [
    { firstName: 'John', lastName: 'Doe' },
    { firstName: 'Anna', lastName: 'Smith' },
    { firstName: 'Peter', lastName: 'Jones' },
  ],
};
const cloudwatch = (fields: object) => ({ source: 'aws.cloudwatch', ...fields });
const or3 = {
  detail: {
    $or: [
      { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
      { 'd-count': [{ numeric: ['<', 10] }] },
      { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
    ],
  },
};

const cases: readonly Case[] = [
  // Event pattern syntax: fields AND, values OR, exact and case-sensitive, same nesting.
  ['exact source', { source: ['aws.ec2'] }, ec2, 'match'],
  ['values are OR', { source: ['aws.ec2', 'aws.fargate'] }, ec2, 'match'],
  ['no listed value', { source: ['aws.fargate'] }, ec2, 'no-match'],
  ['case-sensitive', { source: ['AWS.EC2'] }, ec2, 'no-match'],
  [
    'three fields AND',
    {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated', 'running'] },
    },
    ec2,
    'match',
  ],
  ['one field of three fails', { source: ['aws.ec2'], detail: { state: ['terminated'] } }, ec2, 'no-match'],
  ['field absent from the event', { detail: { missing: ['x'] } }, ec2, 'no-match'],
  ['same nesting required', { state: ['running'] }, ec2, 'no-match'],
  ['number by value', { detail: { 'c-count': [5] } }, ec2, 'match'],
  ['number in exponent form', { detail: { 'x-limit': [3.018e2] } }, ec2, 'match'],
  ['string never equals a number', { detail: { 'c-count': ['5'] } }, ec2, 'no-match'],
  ['boolean literal', { detail: { animated: [false] } }, withDetail({ animated: false }), 'match'],
  [
    'boolean is not its string',
    { detail: { animated: ['false'] } },
    withDetail({ animated: false }),
    'no-match',
  ],
  ['exact value never matches an object', { detail: ['x'] }, ec2, 'no-match'],
  // Null values and empty strings.
  [
    'empty string',
    { detail: { eventVersion: [''] } },
    withDetail({ eventVersion: '', responseElements: null }),
    'match',
  ],
  [
    'null',
    { detail: { responseElements: [null] } },
    withDetail({ eventVersion: '', responseElements: null }),
    'match',
  ],
  [
    'empty string is not null',
    { detail: { responseElements: [''] } },
    withDetail({ responseElements: null }),
    'no-match',
  ],
  [
    'null is not empty string',
    { detail: { eventVersion: [null] } },
    withDetail({ eventVersion: '' }),
    'no-match',
  ],
  // Arrays: non-empty intersection; array structure crushed out; fields must match within one element.
  [
    'array intersection',
    {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      ],
    },
    {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    },
    'match',
  ],
  [
    'array, empty intersection',
    { resources: ['arn:aws:ec2:x'] },
    { resources: ['arn:aws:ec2:y', 'arn:aws:ec2:z'] },
    'no-match',
  ],
  ['field inside array of objects', { employees: { firstName: ['Anna'] } }, employees, 'match'],
  [
    'array-consistent: same element',
    { employees: { firstName: ['Anna'], lastName: ['Smith'] } },
    employees,
    'match',
  ],
  [
    'array-consistent: split elements',
    { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
    employees,
    'no-match',
  ],
  [
    'multi-level arrays',
    { employees: { firstName: ['Peter'] } },
    { employees: [[employees.employees[0]], [employees.employees[2]]] },
    'match',
  ],
  [
    'nested arrays, inner split',
    { u: { t: { k: ['color'], v: ['blue'] } } },
    { u: [{ t: [{ k: 'color' }, { v: 'blue' }] }] },
    'no-match',
  ],
  [
    'nested arrays, inner same',
    { u: { t: { k: ['color'], v: ['blue'] } } },
    { u: [{ t: [{ k: 'color', v: 'blue' }] }] },
    'match',
  ],
  // Prefix and suffix, with and without equals-ignore-case.
  ['prefix', { time: [{ prefix: '2017-10-02' }] }, ec2, 'match'],
  ['prefix mismatch', { time: [{ prefix: '2017-10-03' }] }, ec2, 'no-match'],
  ['prefix only on strings', { detail: { 'c-count': [{ prefix: '5' }] } }, ec2, 'no-match'],
  [
    'prefix ignoring case',
    { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    withDetail({ service: 'eventbridge' }),
    'match',
  ],
  [
    'prefix ignoring case, upper event',
    { detail: { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] } },
    withDetail({ service: 'EVENTBRIDGE' }),
    'match',
  ],
  ['suffix', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' }, 'match'],
  ['suffix mismatch', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.jpg' }, 'no-match'],
  ['suffix is case-sensitive', { FileName: [{ suffix: '.png' }] }, { FileName: 'IMAGE.PNG' }, 'no-match'],
  [
    'suffix ignoring case',
    { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] },
    { FileName: 'IMAGE.PNG' },
    'match',
  ],
  // Anything-but.
  ['anything-but string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, ec2, 'match'],
  ['anything-but string, excluded', { detail: { state: [{ 'anything-but': 'running' }] } }, ec2, 'no-match'],
  ['anything-but number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, ec2, 'match'],
  ['anything-but number, excluded', { detail: { 'c-count': [{ 'anything-but': 5 }] } }, ec2, 'no-match'],
  [
    'anything-but string list',
    { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    ec2,
    'match',
  ],
  [
    'anything-but string list, excluded',
    { detail: { state: [{ 'anything-but': ['stopped', 'running'] }] } },
    ec2,
    'no-match',
  ],
  [
    'anything-but number list',
    { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    ec2,
    'match',
  ],
  [
    'anything-but number list, excluded',
    { detail: { 'x-limit': [{ 'anything-but': [100, 301.8] }] } },
    ec2,
    'no-match',
  ],
  ['anything-but numbers vs a string', { b: [{ 'anything-but': [111, 222, 333] }] }, { b: '444' }, 'match'],
  ['anything-but needs the field', { detail: { absent: [{ 'anything-but': 'x' }] } }, ec2, 'no-match'],
  [
    'anything-but, array with another value',
    { price: [{ 'anything-but': [100, 500] }] },
    { price: [100, 50] },
    'match',
  ],
  [
    'anything-but, array only excluded',
    { price: [{ 'anything-but': [100, 500] }] },
    { price: [100, 500] },
    'no-match',
  ],
  ['anything-but prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, ec2, 'match'],
  [
    'anything-but prefix, excluded',
    { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    withDetail({ state: 'initializing' }),
    'no-match',
  ],
  [
    'anything-but prefix list',
    { Region: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] },
    { Region: 'eu-west-1' },
    'no-match',
  ],
  [
    'anything-but suffix',
    { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    { FileName: 'a.jpg' },
    'match',
  ],
  [
    'anything-but suffix, excluded',
    { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    { FileName: 'a.png' },
    'no-match',
  ],
  [
    'anything-but ignoring case',
    { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
    { state: 'INITIALIZING' },
    'no-match',
  ],
  [
    'anything-but ignoring case, other',
    { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
    { state: 'running' },
    'match',
  ],
  [
    'anything-but ignoring case, list',
    { p: [{ 'anything-but': { 'equals-ignore-case': ['CamelCase', 'AbC'] } }] },
    { p: 'abc' },
    'no-match',
  ],
  [
    'anything-but wildcard',
    { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    { FilePath: '/usr/bin/tool' },
    'match',
  ],
  [
    'anything-but wildcard, excluded',
    { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    { FilePath: '/usr/lib/x.so' },
    'no-match',
  ],
  [
    'anything-but wildcard list',
    { s: [{ 'anything-but': { wildcard: ['*/bin/*.jar', '*/bin/*.class'] } }] },
    { s: '/a/bin/b.class' },
    'no-match',
  ],
  // Numeric.
  ['numeric range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, ec2, 'match'],
  ['numeric upper bound only', { detail: { 'd-count': [{ numeric: ['<', 10] }] } }, ec2, 'match'],
  ['numeric equals', { detail: { 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, ec2, 'match'],
  ['numeric outside range', { detail: { 'c-count': [{ numeric: ['>', 0, '<', 5] }] } }, ec2, 'no-match'],
  ['numeric inclusive lower', { detail: { 'c-count': [{ numeric: ['>=', 5] }] } }, ec2, 'match'],
  ['numeric exclusive lower', { detail: { 'c-count': [{ numeric: ['>', 5] }] } }, ec2, 'no-match'],
  ['numeric negatives', { t: [{ numeric: ['>=', -10.5, '<', -1] }] }, { t: -3 }, 'match'],
  [
    'numeric only on numbers',
    { detail: { state: [{ numeric: ['>', 0] }] } },
    withDetail({ state: '5' }),
    'no-match',
  ],
  ['numeric in an array', { vals: [{ numeric: ['>', 0, '<', 10] }] }, { vals: [100, 5, 200] }, 'match'],
  [
    'numeric, several fields',
    {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 301.8] }],
      },
    },
    ec2,
    'match',
  ],
  // IP address matching.
  ['cidr IPv4', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, ec2, 'match'],
  ['cidr IPv4 outside', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, ec2, 'no-match'],
  ['cidr /8', { detail: { 'source-ip': [{ cidr: '10.0.0.0/8' }] } }, ec2, 'match'],
  ['cidr IPv6', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db8:0:1::7' }, 'match'],
  ['cidr IPv6 outside', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db9::1' }, 'no-match'],
  ['cidr family mismatch', { ip: [{ cidr: '10.0.0.0/8' }] }, { ip: '2001:db8::1' }, 'no-match'],
  ['cidr on a non-IP string', { ip: [{ cidr: '10.0.0.0/8' }] }, { ip: 'host.example' }, 'no-match'],
  // Exists: only leaves; absent intermediate nodes count as absent leaves.
  ['exists true', { detail: { state: [{ exists: true }] } }, ec2, 'match'],
  [
    'exists true, absent',
    { detail: { state: [{ exists: true }] } },
    withDetail({ 'c-count': { c1: 100 } }),
    'no-match',
  ],
  [
    'exists false, absent',
    { detail: { 'c-count': [{ exists: false }] } },
    withDetail({ state: 'running' }),
    'match',
  ],
  ['exists false, present', { detail: { 'c-count': [{ exists: false }] } }, ec2, 'no-match'],
  [
    'exists false, intermediate node',
    { detail: { 'c-count': [{ exists: false }] } },
    withDetail({ 'c-count': { c1: 100 } }),
    'match',
  ],
  ['exists false, parent absent', { detail: { 'c-count': [{ exists: false }] } }, { source: 'x' }, 'match'],
  ['exists true on null', { detail: { r: [{ exists: true }] } }, withDetail({ r: null }), 'match'],
  ['exists true on empty array', { d: { name: [{ exists: true }] } }, { d: { name: [] } }, 'no-match'],
  [
    'exists false in array element',
    { d: { a: [{ exists: true }], b: [{ exists: false }] } },
    { d: [{ a: 1 }] },
    'match',
  ],
  ['value or absent', { detail: { state: ['stopped', { exists: false }] } }, withDetail({}), 'match'],
  // Equals-ignore-case.
  [
    'equals-ignore-case',
    { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
    ec2,
    'match',
  ],
  [
    'equals-ignore-case mismatch',
    { Name: [{ 'equals-ignore-case': 'alice' }] },
    { Name: 'Alicia' },
    'no-match',
  ],
  // Wildcard.
  [
    'wildcard ARN',
    { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/orders' },
    'match',
  ],
  ['wildcard file', { FileName: [{ wildcard: 'dir/*.png' }] }, { FileName: 'dir/a.png' }, 'match'],
  [
    'wildcard spans slashes',
    { FileName: [{ wildcard: 'dir/*.png' }] },
    { FileName: 'dir/sub/a.png' },
    'match',
  ],
  ['wildcard mismatch', { FileName: [{ wildcard: 'dir/*.png' }] }, { FileName: 'dir/a.jpg' }, 'no-match'],
  [
    'wildcard in the middle',
    { source: [{ wildcard: 'Simple*Service' }] },
    { source: 'SimpleQueueService' },
    'match',
  ],
  ['wildcard matches nothing too', { c: [{ wildcard: 'xy*' }] }, { c: 'xy' }, 'match'],
  ['wildcard anchored at both ends', { b: [{ wildcard: 'd*f' }] }, { b: 'deeeefx' }, 'no-match'],
  ['wildcard leading', { a: [{ wildcard: '*bc' }] }, { a: 'abcbc' }, 'match'],
  ['wildcard escaped star', { a: [{ wildcard: 'a\\*b' }] }, { a: 'a*b' }, 'match'],
  ['wildcard escaped star is literal', { a: [{ wildcard: 'a\\*b' }] }, { a: 'axb' }, 'no-match'],
  ['wildcard escaped backslash', { a: [{ wildcard: 'a\\\\*' }] }, { a: 'a\\tail' }, 'match'],
  ['wildcard only on strings', { n: [{ wildcard: '*' }] }, { n: 5 }, 'no-match'],
  // $or.
  ['$or first branch', or3, withDetail({ 'c-count': 3 }), 'match'],
  ['$or last branch', or3, withDetail({ 'x-limit': 301.8, 'c-count': 9 }), 'match'],
  ['$or no branch', or3, withDetail({ 'c-count': 9, 'd-count': 10 }), 'no-match'],
  [
    'source AND ($or)',
    {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    },
    cloudwatch({ namespace: 'AWS/ES' }),
    'match',
  ],
  [
    'source AND ($or), source fails',
    { source: ['aws.ec2'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/ES'] }] },
    cloudwatch({ namespace: 'AWS/ES' }),
    'no-match',
  ],
  [
    '$or with an AND branch',
    { $or: [{ metricName: ['CPUUtilization'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2'] }] },
    cloudwatch({ metricType: 'MetricType', namespace: 'AWS/EC2' }),
    'match',
  ],
  [
    '$or AND branch incomplete',
    { $or: [{ metricName: ['CPUUtilization'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2'] }] },
    cloudwatch({ metricType: 'MetricType' }),
    'no-match',
  ],
  [
    'parallel $or',
    { $or: [{ a: ['1'] }, { b: ['2'] }], detail: { $or: [{ c: ['3'] }, { d: ['4'] }] } },
    { b: '2', detail: { c: '3' } },
    'match',
  ],
  [
    'parallel $or, one fails',
    { $or: [{ a: ['1'] }, { b: ['2'] }], detail: { $or: [{ c: ['3'] }, { d: ['4'] }] } },
    { b: '2', detail: { e: '5' } },
    'no-match',
  ],
  [
    'nested $or',
    { $or: [{ m: ['x'] }, { t: ['T'], $or: [{ id: [1234] }, { space: [1000] }] }] },
    { t: 'T', space: 1000 },
    'match',
  ],
  // Complex example with multiple matching.
  [
    'complex example',
    {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
        'source-ip': [{ cidr: '10.0.0.0/8' }],
      },
    },
    ec2,
    'match',
  ],
  ['operators mixed as OR', { detail: { state: ['stopped', { prefix: 'run' }] } }, ec2, 'match'],
];

describe('event pattern matching (AWS documentation table)', () => {
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(compileEventPattern(JSON.stringify(pattern)).matches(event)).toBe(expected === 'match');
  });
});
