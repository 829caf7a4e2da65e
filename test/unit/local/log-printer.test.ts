import { describe, expect, it } from 'vitest';
import { createLogPrinter, formatLogEntry } from '../../../local/cli/log-printer';
import { parseFunctionLogLine } from '../../../packages/local-cloud/src/lambda/log-entry';

// Lines as the functions print them: Powertools Logger JSON, Powertools Metrics EMF, Lambda's Text format.
const source = 'breakwater-dev-billing-BillingHandlerFunctionA1B2-3c4d5e6f';
const powertools = (fields: Record<string, unknown>) =>
  JSON.stringify({
    level: 'WARN',
    message: 'record failed; the queue will retry it',
    timestamp: '2026-12-02T07:01:02.345Z',
    service: 'billing',
    cold_start: false,
    function_name: source,
    function_request_id: 'req-1',
    sampling_rate: 0,
    xray_trace_id: '1-abc',
    correlation_id: 'c0ffee00-1111-2222-3333-444455556666',
    orderId: 'ord-42',
    errorName: 'PaymentGatewayUnavailableError',
    errorMessage: 'payment gateway answered 503',
    messageId: 'm-1',
    ...fields,
  });
const emf = JSON.stringify({
  _aws: {
    Timestamp: Date.parse('2026-12-02T07:01:03.000Z'),
    CloudWatchMetrics: [
      {
        Namespace: 'Breakwater/dev',
        Dimensions: [['service']],
        Metrics: [
          { Name: 'RecordsReceived', Unit: 'Count' },
          { Name: 'RecordsFailed', Unit: 'Count' },
        ],
      },
    ],
  },
  service: 'billing',
  RecordsReceived: 10,
  RecordsFailed: 2,
});
const now = new Date('2026-12-02T07:05:00.000Z');

describe('parseFunctionLogLine', () => {
  it('reads a Powertools line: level, message, service, correlation id, and its own keys without the noise', () => {
    expect(parseFunctionLogLine(source, powertools({}), now)).toEqual({
      kind: 'log',
      source,
      time: '2026-12-02T07:01:02.345Z',
      level: 'WARN',
      message: 'record failed; the queue will retry it',
      service: 'billing',
      correlationId: 'c0ffee00-1111-2222-3333-444455556666',
      fields: {
        orderId: 'ord-42',
        errorName: 'PaymentGatewayUnavailableError',
        errorMessage: 'payment gateway answered 503',
        messageId: 'm-1',
      },
    });
  });

  it('reads an EMF line as metrics: namespace, values, dimensions and its timestamp', () => {
    expect(parseFunctionLogLine(source, emf, now)).toEqual({
      kind: 'metrics',
      source,
      time: '2026-12-02T07:01:03.000Z',
      namespace: 'Breakwater/dev',
      service: 'billing',
      values: { RecordsReceived: 10, RecordsFailed: 2 },
      dimensions: { service: 'billing' },
    });
  });

  it("reads Lambda's Text format and keeps any other line as it is, stamped with now", () => {
    expect(parseFunctionLogLine(source, '2026-12-02T07:01:04.000Z\treq-9\tERROR\tboom', now)).toEqual({
      kind: 'text',
      source,
      time: '2026-12-02T07:01:04.000Z',
      level: 'ERROR',
      requestId: 'req-9',
      message: 'boom',
    });
    expect(parseFunctionLogLine('lambda', 'mapping m-1: started', now)).toEqual({
      kind: 'text',
      source: 'lambda',
      time: now.toISOString(),
      message: 'mapping m-1: started',
    });
    expect(parseFunctionLogLine(source, '{not json', now)).toMatchObject({
      kind: 'text',
      message: '{not json',
    });
  });

  it('treats a missing or unknown level as INFO and FATAL as CRITICAL', () => {
    const entry = (level: unknown) =>
      parseFunctionLogLine(source, JSON.stringify({ level, message: 'm' }), now) as { level: string };
    expect([entry('fatal').level, entry('nonsense').level, entry('debug').level]).toEqual([
      'CRITICAL',
      'INFO',
      'DEBUG',
    ]);
  });
});

describe('formatLogEntry', () => {
  it('prints one short line: time, function, level, message, then order, error and correlation id', () => {
    expect(formatLogEntry(parseFunctionLogLine(source, powertools({}), now))).toBe(
      '07:01:02.345 billing          WARN   record failed; the queue will retry it  ' +
        '[orderId=ord-42 · PaymentGatewayUnavailableError: payment gateway answered 503 · ' +
        'corr=c0ffee00-1111-2222-3333-444455556666]',
    );
  });

  it('hides metrics unless asked, and then prints them as one line', () => {
    const entry = parseFunctionLogLine(source, emf, now);
    expect(formatLogEntry(entry)).toBeUndefined();
    expect(formatLogEntry(entry, { showMetrics: true })).toBe(
      '07:01:03.000 billing          METRIC RecordsReceived=10 RecordsFailed=2',
    );
  });

  it('drops entries under the minimum level, and everything at OFF', () => {
    const debug = parseFunctionLogLine(source, powertools({ level: 'DEBUG' }), now);
    expect(formatLogEntry(debug)).toBeUndefined();
    expect(formatLogEntry(debug, { minLevel: 'DEBUG' })).toMatch(/ DEBUG /);
    const error = parseFunctionLogLine(source, powertools({ level: 'ERROR' }), now);
    expect(formatLogEntry(error, { minLevel: 'WARN' })).toMatch(/ ERROR /);
    expect(formatLogEntry(error, { minLevel: 'OFF' })).toBeUndefined();
  });

  it('keeps only the functions asked for, by short name or part of the function name', () => {
    const entry = parseFunctionLogLine(source, powertools({}), now);
    expect(formatLogEntry(entry, { functions: ['order-status'] })).toBeUndefined();
    expect(formatLogEntry(entry, { functions: ['order-status', 'bill'] })).toBeDefined();
    expect(formatLogEntry(entry, { functions: ['BillingHandler'] })).toBeDefined();
  });

  it('shows an error object by its name and message', () => {
    const entry = parseFunctionLogLine(
      source,
      powertools({
        errorName: undefined,
        errorMessage: undefined,
        error: { name: 'TypeError', message: 'x is undefined', stack: 's' },
      }),
      now,
    );
    expect(formatLogEntry(entry)).toContain('TypeError: x is undefined');
  });

  it('colours warnings and errors only when asked', () => {
    const entry = parseFunctionLogLine(source, powertools({}), now);
    const coloured = formatLogEntry(entry, { color: true }) ?? '';
    expect(coloured.startsWith('\u001b[33m')).toBe(true);
    expect(coloured.endsWith('\u001b[0m')).toBe(true);
    expect(formatLogEntry(entry)).not.toContain('\u001b');
  });
});

describe('createLogPrinter', () => {
  it("names a function's plain lines after the service its structured lines carry", () => {
    const printed: string[] = [];
    const print = createLogPrinter(
      (line) => printed.push(line),
      {},
      () => undefined,
    );
    print(source, '2026-12-02T07:01:00.000Z\treq-1\tINFO\tbefore any structured line');
    print(source, powertools({ level: 'INFO' }));
    print(source, '2026-12-02T07:01:05.000Z\treq-1\tINFO\tTask timed out after 30.00 seconds');
    expect(printed.map((line) => line.split(/\s+/)[1])).toEqual([
      'billing-BillingHandlerFunctionA1B2-3c4d5e6f',
      'billing',
      'billing',
    ]);
  });

  it('uses the name the deployment gives a function before it has logged anything structured', () => {
    const printed: string[] = [];
    const print = createLogPrinter(
      (line) => printed.push(line),
      {},
      (s) => (s === source ? 'billing' : undefined),
    );
    print(source, '2026-12-02T07:01:00.000Z\treq-1\tINFO\thello');
    expect(printed).toEqual(['07:01:00.000 billing          INFO   hello']);
  });

  it("names the runner's lines about a function after the function", () => {
    const printed: string[] = [];
    const print = createLogPrinter(
      (line) => printed.push(line),
      {},
      (s) => (s === source ? 'billing' : undefined),
    );
    print(`esm:${source}`, '1 of 1 messages reported failed, they return to the queue');
    expect(printed[0]?.split(/\s+/)[1]).toBe('esm:billing');
  });

  it('prints raw lines with --verbose, EMF included', () => {
    const printed: string[] = [];
    const print = createLogPrinter((line) => printed.push(line), { raw: true });
    print(source, emf);
    expect(printed).toEqual([`[${source}] ${emf}`]);
  });
});
