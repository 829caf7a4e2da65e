import { describe, expect, it } from 'vitest';
import { passesFilters, simplePatternMatcher } from '../../../local/lambda/event-filter';

const record = {
  eventName: 'INSERT',
  dynamodb: { NewImage: { status: { S: 'PAID' }, total: { N: '12' } }, Keys: { pk: { S: 'order#1' } } },
  tags: ['a', 'b'],
};
const matches = (pattern: unknown) => simplePatternMatcher(JSON.stringify(pattern), record);

describe('simplePatternMatcher', () => {
  it('matches exact values (an array is an OR) in nested objects', () => {
    expect(matches({ eventName: ['INSERT', 'MODIFY'] })).toBe(true);
    expect(matches({ eventName: ['REMOVE'] })).toBe(false);
    expect(matches({ dynamodb: { NewImage: { status: { S: ['PAID'] } } } })).toBe(true);
  });

  it('supports prefix, suffix, equals-ignore-case, anything-but and numeric', () => {
    expect(matches({ dynamodb: { Keys: { pk: { S: [{ prefix: 'order#' }] } } } })).toBe(true);
    expect(matches({ dynamodb: { Keys: { pk: { S: [{ suffix: '#2' }] } } } })).toBe(false);
    expect(matches({ eventName: [{ 'equals-ignore-case': 'insert' }] })).toBe(true);
    expect(matches({ eventName: [{ 'anything-but': ['REMOVE'] }] })).toBe(true);
    expect(matches({ eventName: [{ 'anything-but': 'INSERT' }] })).toBe(false);
    expect(simplePatternMatcher('{"n":[{"numeric":[">",10,"<=",12]}]}', { n: 12 })).toBe(true);
    expect(simplePatternMatcher('{"n":[{"numeric":[">",12]}]}', { n: 12 })).toBe(false);
  });

  it('supports exists and matching any element of an array', () => {
    expect(matches({ dynamodb: { OldImage: [{ exists: false }] } })).toBe(true);
    expect(matches({ dynamodb: { NewImage: [{ exists: true }] } })).toBe(false);
    expect(matches({ dynamodb: { NewImage: { status: { S: [{ exists: true }] } } } })).toBe(true);
    expect(matches({ tags: ['b'] })).toBe(true);
  });

  it('refuses rules it does not implement instead of guessing', () => {
    expect(() => matches({ eventName: [{ wildcard: 'IN*' }] })).toThrow(/not supported/);
    expect(() => matches({ eventName: 'INSERT' })).toThrow(/must be arrays/);
  });
});

describe('passesFilters', () => {
  it('passes everything without filters and ORs several filters', () => {
    expect(passesFilters([], record, simplePatternMatcher)).toBe(true);
    expect(
      passesFilters(['{"eventName":["REMOVE"]}', '{"eventName":["INSERT"]}'], record, simplePatternMatcher),
    ).toBe(true);
    expect(passesFilters(['{"eventName":["REMOVE"]}'], record, simplePatternMatcher)).toBe(false);
  });
});
