import { describe, expect, it } from 'vitest';
import { exitCodeFor, parseCliArgs } from '../../../packages/dlq/src/cli';
import { ExitCodes } from '../../../packages/dlq/src/cli-help';
import { PermissionDeniedError, QueueNotFoundError, UsageError } from '../../../packages/dlq/src/errors';

describe('parseCliArgs', () => {
  it('shows help with --help or help, and as a usage error without a command', () => {
    expect(parseCliArgs([])).toEqual({ kind: 'help', asked: false });
    expect(parseCliArgs(['replay', 'q', '--help'])).toEqual({ kind: 'help', asked: true });
    expect(parseCliArgs(['help'])).toEqual({ kind: 'help', asked: true });
  });

  it('parses list with discovery options and connection settings', () => {
    expect(
      parseCliArgs([
        'list',
        '--pattern',
        '*-dlq',
        '--queue',
        'a',
        '--queue',
        'b',
        '--no-peek',
        '--json',
        '--region',
        'eu-west-1',
      ]),
    ).toEqual({
      kind: 'list',
      json: true,
      client: { region: 'eu-west-1' },
      discovery: { peek: false, namePattern: '*-dlq', queues: ['a', 'b'] },
    });
  });

  it('parses peek with a default of 10 messages', () => {
    expect(parseCliArgs(['peek', 'billing-dlq', '--endpoint-url', 'http://localhost:4566'])).toEqual({
      kind: 'peek',
      json: false,
      client: { endpoint: 'http://localhost:4566' },
      queue: 'billing-dlq',
      max: 10,
      full: false,
    });
  });

  it('parses a replay with every selection flag; repeated and comma-separated values add up', () => {
    const command = parseCliArgs([
      'replay',
      'billing-dlq',
      '--type',
      'order.created',
      '--type',
      'payment.failed,payment.succeeded',
      '--since',
      '2h',
      '--until',
      '2025-06-01T00:00:00Z',
      '--error-code',
      'SQSClientException',
      '--where',
      'detail.data.currency=EUR',
      '--ids',
      'a,b',
      '--dry-run',
      '--max',
      '50',
      '--rate',
      '12.5',
      '--to',
      'billing',
      '--concurrency',
      '4',
      '--report',
      'out.json',
    ]);
    expect(command).toEqual({
      kind: 'replay',
      json: false,
      client: {},
      queue: 'billing-dlq',
      native: false,
      reportPath: 'out.json',
      options: {
        selection: {
          types: ['order.created', 'payment.failed', 'payment.succeeded'],
          since: '2h',
          until: '2025-06-01T00:00:00Z',
          errorCodes: ['SQSClientException'],
          where: ['detail.data.currency=EUR'],
          ids: ['a', 'b'],
        },
        dryRun: true,
        keep: false,
        keepFailureReason: false,
        viaBus: false,
        max: 50,
        ratePerSecond: 12.5,
        concurrency: 4,
        to: 'billing',
      },
    });
  });

  it.each([
    [['bogus'], /unknown command 'bogus'/],
    [['peek'], /peek needs a queue/],
    [['replay', 'q', 'extra'], /unexpected arguments: extra/],
    [['list', 'q'], /list takes no queue/],
    [['replay', 'q', '--bogus'], /Unknown option '--bogus'/],
    [['replay', 'q', '--max', '0'], /--max must be a positive integer/],
    [['replay', 'q', '--max', '1.5'], /--max must be a positive integer/],
    [['replay', 'q', '--rate', 'fast'], /--rate must be a positive number/],
    [['replay', 'q', '--native', '--type', 'order.created'], /--native moves everything/],
    [['replay', 'q', '--native', '--dry-run'], /--native moves everything/],
    [['replay', 'q', '--via-bus', '--to', 'x'], /exclude each other/],
    [['replay', 'q', '--bus', 'b'], /--bus only goes with --via-bus/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('accepts --native with --to and --rate', () => {
    expect(parseCliArgs(['replay', 'q', '--native', '--to', 'src', '--rate', '100'])).toMatchObject({
      native: true,
      options: { to: 'src', ratePerSecond: 100 },
    });
  });
});

describe('exit codes', () => {
  it('maps errors (or their names, as carried in a report) to the documented codes', () => {
    expect(exitCodeFor(new UsageError('x'))).toBe(ExitCodes.usage);
    expect(exitCodeFor(new QueueNotFoundError('q'))).toBe(ExitCodes.queueNotFound);
    expect(exitCodeFor(new PermissionDeniedError('sqs:SendMessage', 'denied'))).toBe(
      ExitCodes.permissionDenied,
    );
    expect(exitCodeFor('PermissionDeniedError')).toBe(ExitCodes.permissionDenied);
    expect(exitCodeFor(new Error('network'))).toBe(ExitCodes.someFailed);
    expect(ExitCodes).toEqual({
      ok: 0,
      someFailed: 1,
      usage: 2,
      queueNotFound: 3,
      permissionDenied: 4,
      interrupted: 130,
    });
  });
});
