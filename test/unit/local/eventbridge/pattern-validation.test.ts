import { describe, expect, it } from 'vitest';
import {
  compileEventPattern,
  EventPatternError,
} from '../../../../packages/local-cloud/src/eventbridge/pattern';

/**
 * What EventBridge refuses with `InvalidEventPatternException`: the pattern's shape, unknown operators and malformed
 * operands, with the reasons worded as AWS (and its matcher, Event Ruler) word them.
 */
const invalid: readonly (readonly [name: string, pattern: string, reason: RegExp])[] = [
  ['not JSON', 'source: aws.ec2', /not valid JSON/],
  ['not an object', '["aws.ec2"]', /Filter is not an object/],
  ['a string', '"aws.ec2"', /Filter is not an object/],
  ['empty pattern', '{}', /Empty objects/],
  ['empty nested object', '{"detail":{}}', /Empty objects/],
  ['leaf not an array', '{"source":"aws.ec2"}', /must be an object or an array/],
  ['leaf a number', '{"detail":{"n":5}}', /must be an object or an array/],
  ['empty value array', '{"source":[]}', /Empty arrays/],
  ['nested array value', '{"source":[["a"]]}', /Match value must be/],
  ['empty operator object', '{"source":[{}]}', /expression name not found/],
  ['two operators in one object', '{"source":[{"prefix":"a","suffix":"b"}]}', /Only one key/],
  ['unknown operator', '{"source":[{"contains":"ec2"}]}', /Unrecognized match type contains/],
  ['prefix not a string', '{"source":[{"prefix":5}]}', /prefix match pattern must be a string/],
  ['prefix with unknown modifier', '{"source":[{"prefix":{"wildcard":"a"}}]}', /Unsupported prefix pattern/],
  ['suffix ignore-case not a string', '{"source":[{"suffix":{"equals-ignore-case":5}}]}', /must be a string/],
  ['equals-ignore-case not a string', '{"source":[{"equals-ignore-case":["a"]}]}', /must be a string/],
  ['numeric not an array', '{"n":[{"numeric":5}]}', /must be an array/],
  ['numeric empty', '{"n":[{"numeric":[]}]}', /Invalid member in numeric match/],
  ['numeric value not a number', '{"n":[{"numeric":["<","10"]}]}', /Value of < must be numeric/],
  ['numeric unknown operator', '{"n":[{"numeric":["!=",5]}]}', /Unrecognized numeric range operator/],
  ['numeric two lower bounds', '{"n":[{"numeric":[">",5,">",6]}]}', /Bad numeric range operator/],
  ['numeric upper then lower', '{"n":[{"numeric":["<",5,">",1]}]}', /Too many elements/],
  ['numeric bottom above top', '{"n":[{"numeric":[">",10,"<",5]}]}', /Bottom must be less than top/],
  ['numeric equals with extra terms', '{"n":[{"numeric":["=",1,"<",2]}]}', /Too many elements/],
  ['numeric too many terms', '{"n":[{"numeric":[">",1,"<",5,"<",6]}]}', /Too many terms/],
  ['exists not boolean', '{"n":[{"exists":"yes"}]}', /either true or false/],
  ['anything-but boolean', '{"n":[{"anything-but":true}]}', /single string\/number/],
  ['anything-but null', '{"n":[{"anything-but":null}]}', /single string\/number/],
  ['anything-but mixed list', '{"n":[{"anything-but":["a",1]}]}', /mixed type/],
  ['anything-but empty list', '{"n":[{"anything-but":[]}]}', /either all values are number or string/],
  [
    'anything-but numeric',
    '{"n":[{"anything-but":{"numeric":[">",1]}}]}',
    /Unsupported anything-but pattern/,
  ],
  [
    'anything-but prefix number',
    '{"n":[{"anything-but":{"prefix":5}}]}',
    /prefix\/suffix match pattern must be a string/,
  ],
  ['anything-but two operators', '{"n":[{"anything-but":{"prefix":"a","suffix":"b"}}]}', /Too many elements/],
  ['wildcard consecutive stars', '{"n":[{"wildcard":"a**b"}]}', /Consecutive wildcard/],
  ['wildcard bad escape', '{"n":[{"wildcard":"a\\\\b"}]}', /Invalid escape/],
  ['wildcard trailing backslash', '{"n":[{"wildcard":"a\\\\"}]}', /Invalid escape/],
  ['wildcard not a string', '{"n":[{"wildcard":5}]}', /must be a string/],
  ['cidr without mask', '{"ip":[{"cidr":"10.0.0.0"}]}', /one '\/' required/],
  ['cidr mask too wide', '{"ip":[{"cidr":"10.0.0.0/33"}]}', /mask bits/],
  ['cidr bad address', '{"ip":[{"cidr":"300.0.0.0/8"}]}', /Invalid IP address/],
  ['cidr bad mask', '{"ip":[{"cidr":"10.0.0.0/x"}]}', /must be an integer/],
  // Refused as $or, then by Event Ruler's legacy compiler (which reads $or as a field name): its reason is reported.
  ['$or with one branch', '{"$or":[{"a":["1"]}]}', /Unrecognized match type a/],
  ['$or with a non-object', '{"$or":[{"a":["1"]},["b"]]}', /Unrecognized match type a/],
  [
    '$or with an operator as field',
    '{"$or":[{"prefix":["1"]},{"b":["2"]}]}',
    /prefix match pattern must be a string/,
  ],
];

describe('event pattern validation', () => {
  it.each(invalid)('rejects %s', (_name, pattern, reason) => {
    expect(() => compileEventPattern(pattern)).toThrow(EventPatternError);
    expect(() => compileEventPattern(pattern)).toThrow(reason);
  });

  it('names where the problem is', () => {
    expect(() => compileEventPattern('{"detail":{"state":[{"prefix":1}]}}')).toThrow(
      'Event pattern is not valid. Reason: prefix match pattern must be a string\n at detail.state',
    );
  });

  it('accepts exactly 1000 $or combinations and refuses more', () => {
    const branches = (n: number, key: string) => Array.from({ length: n }, (_, i) => ({ [key]: [i] }));
    const pattern = (n: number) => ({
      a: { $or: branches(n, 'x') },
      b: { $or: branches(10, 'y') },
      c: { $or: branches(10, 'z') },
    });
    expect(() => compileEventPattern(pattern(10))).not.toThrow();
    expect(() => compileEventPattern(pattern(11))).toThrow(/1100 rule combinations/);
  });

  it('keeps the last of duplicate keys, as AWS documents', () => {
    const compiled = compileEventPattern(
      '{"location":[{"prefix":"us-"}],"location":[{"anything-but":"us-east"}]}',
    );
    expect(compiled.matches({ location: 'eu-west' })).toBe(true);
    expect(compiled.matches({ location: 'us-east' })).toBe(false);
  });

  it('accepts an already parsed pattern object and never throws on odd events', () => {
    const compiled = compileEventPattern({ source: ['a'] });
    for (const event of [null, 5, 'x', [], { source: { nested: true } }])
      expect(compiled.matches(event)).toBe(false);
  });
});
