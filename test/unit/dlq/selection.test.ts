import { describe, expect, it } from 'vitest';
import {
  compileSelection,
  getPath,
  matchSelection,
  parseInstant,
  parsePath,
  parsePredicate,
  predicateHolds,
  selectsEverything,
} from '../../../packages/dlq/src/selection';
import { dlqMessage, eventBody } from './factories';

const now = Date.parse('2025-06-01T12:00:00Z');

describe('parseInstant', () => {
  it('reads ISO times, epoch milliseconds and durations ago', () => {
    expect(parseInstant('2025-06-01T10:00:00Z', now)).toBe(Date.parse('2025-06-01T10:00:00Z'));
    expect(parseInstant('2025-06-01', now)).toBe(Date.parse('2025-06-01'));
    expect(parseInstant('1700000000000', now)).toBe(1_700_000_000_000);
    expect(parseInstant('90s', now)).toBe(now - 90_000);
    expect(parseInstant('30m', now)).toBe(now - 1_800_000);
    expect(parseInstant('2h', now)).toBe(now - 7_200_000);
    expect(parseInstant('7d', now)).toBe(now - 604_800_000);
  });

  it.each(['yesterday', '2h ago', '', '12', 'June 1'])('rejects %j with a usage error', (text) => {
    expect(() => parseInstant(text, now)).toThrow(expect.objectContaining({ name: 'UsageError' }));
  });
});

describe('paths and predicates', () => {
  it('splits dotted and bracketed paths, and rejects empty segments', () => {
    expect(parsePath('detail.data.items[0].sku')).toEqual(['detail', 'data', 'items', '0', 'sku']);
    expect(parsePath('detail.data.items.0.sku')).toEqual(['detail', 'data', 'items', '0', 'sku']);
    expect(() => parsePath('detail..data')).toThrow(/invalid path/);
  });

  it('parses = and != and keeps the value as written (it may contain = itself)', () => {
    expect(parsePredicate('detail.data.currency=EUR')).toMatchObject({
      path: ['detail', 'data', 'currency'],
      negate: false,
      value: 'EUR',
    });
    expect(parsePredicate('detail.data.currency!=EUR')).toMatchObject({ negate: true, value: 'EUR' });
    expect(parsePredicate('detail.data.note=a=b')).toMatchObject({ value: 'a=b' });
    expect(() => parsePredicate('detail.data.currency')).toThrow(/invalid --where/);
  });

  it('reads values through objects and arrays, undefined when a step is missing', () => {
    const json = { a: { list: [{ b: 1 }, { b: 2 }] }, n: null };
    expect(getPath(json, ['a', 'list', '1', 'b'])).toBe(2);
    expect(getPath(json, ['a', 'list', 'x'])).toBeUndefined();
    expect(getPath(json, ['a', 'missing', 'b'])).toBeUndefined();
    expect(getPath(json, ['n'])).toBeNull();
    expect(getPath('text', ['length'])).toBeUndefined();
  });

  it('compares strings as written and other values by their JSON text', () => {
    const json = { s: 'EUR', n: 100, t: true, z: null, o: { k: 1 } };
    expect(predicateHolds(parsePredicate('s=EUR'), json)).toBe(true);
    expect(predicateHolds(parsePredicate('s="EUR"'), json)).toBe(false);
    expect(predicateHolds(parsePredicate('n=100'), json)).toBe(true);
    expect(predicateHolds(parsePredicate('t=true'), json)).toBe(true);
    expect(predicateHolds(parsePredicate('z=null'), json)).toBe(true);
    expect(predicateHolds(parsePredicate('o={"k":1}'), json)).toBe(true);
    expect(predicateHolds(parsePredicate('missing=x'), json)).toBe(false);
    expect(predicateHolds(parsePredicate('missing!=x'), json)).toBe(true);
  });
});

describe('compileSelection and matchSelection', () => {
  it('an empty spec selects everything, even malformed-looking fields', () => {
    const selection = compileSelection({}, now);
    expect(selectsEverything(selection)).toBe(true);
    expect(matchSelection(selection, dlqMessage())).toEqual({ selected: true });
  });

  it('rejects a window that ends before it starts', () => {
    expect(() => compileSelection({ since: '1h', until: '2h' }, now)).toThrow(/must be before/);
  });

  it('ANDs criteria and ORs the values of one criterion, naming the first miss', () => {
    const eur = dlqMessage({
      body: eventBody({ currency: 'EUR' }),
      attributes: { ERROR_CODE: 'SQSClientException' },
    });
    const usd = dlqMessage({
      body: eventBody({ currency: 'USD' }),
      attributes: { ERROR_CODE: 'Throttling' },
    });
    const selection = compileSelection(
      {
        types: ['order.created', 'payment.failed'],
        errorCodes: ['SQSClientException', 'Other'],
        where: ['detail.data.currency=EUR'],
      },
      now,
    );
    expect(matchSelection(selection, eur)).toEqual({ selected: true });
    expect(matchSelection(selection, usd)).toEqual({
      selected: false,
      reason: 'not selected: error code Throttling not in --error-code',
    });
    expect(matchSelection(compileSelection({ types: ['payment.failed'] }, now), eur)).toMatchObject({
      reason: 'not selected: event type order.created not in --type',
    });
  });

  it('filters on SentTimestamp with --since inclusive and --until exclusive', () => {
    const message = dlqMessage({ system: { SentTimestamp: String(now - 3_600_000) } });
    expect(matchSelection(compileSelection({ since: '2h' }, now), message).selected).toBe(true);
    expect(matchSelection(compileSelection({ since: '30m' }, now), message).selected).toBe(false);
    expect(matchSelection(compileSelection({ until: '30m' }, now), message).selected).toBe(true);
    expect(matchSelection(compileSelection({ until: String(now - 3_600_000) }, now), message).selected).toBe(
      false,
    );
  });

  it('matches --ids on the SQS message id or the domain event id', () => {
    const message = dlqMessage({
      messageId: 'm-1',
      body: eventBody({ eventId: '6f1c2a9e-3b7d-4c1e-9a5f-2d8b7c6e5a41' }),
    });
    expect(matchSelection(compileSelection({ ids: ['m-1'] }, now), message).selected).toBe(true);
    expect(
      matchSelection(compileSelection({ ids: ['6f1c2a9e-3b7d-4c1e-9a5f-2d8b7c6e5a41'] }, now), message)
        .selected,
    ).toBe(true);
    expect(matchSelection(compileSelection({ ids: ['m-2'] }, now), message)).toMatchObject({
      selected: false,
    });
  });
});
