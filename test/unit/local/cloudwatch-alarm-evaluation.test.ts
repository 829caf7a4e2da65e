import { describe, expect, it } from 'vitest';
import { evaluateAlarm } from '../../../packages/local-cloud/src/cloudwatch/alarm-evaluation';
import type { TreatMissingData } from '../../../packages/local-cloud/src/cloudwatch/alarm-model';

/**
 * Alarm evaluation as https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html words it:
 * M datapoints to alarm out of N evaluation periods, and the missing-data table of
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html.
 */
const periods = [0, 60_000, 120_000];

/** `pattern` is the datapoints oldest first: `X` breaching (value 5), `0` not (value 0), `-` missing. */
const evaluate = (
  pattern: string,
  treatMissingData: TreatMissingData,
  datapointsToAlarm = 3,
  currentState = 'OK' as const,
) =>
  evaluateAlarm({
    periods,
    datapoints: new Map(
      [...pattern].flatMap((c, i) =>
        c === '-' ? [] : [[periods[i] as number, c === 'X' ? 5 : 0] as [number, number]],
      ),
    ),
    threshold: 1,
    operator: 'GreaterThanOrEqualToThreshold',
    datapointsToAlarm,
    treatMissingData,
    currentState,
    periodSeconds: 60,
  }).state;

describe('alarm evaluation', () => {
  it('ALARM when M of the N periods breach, OK otherwise', () => {
    expect(evaluate('X0X', 'missing', 2)).toBe('ALARM');
    expect(evaluate('X00', 'missing', 2)).toBe('OK');
    expect(evaluate('XXX', 'missing', 3)).toBe('ALARM');
  });

  it.each([
    // pattern, MISSING, IGNORE, BREACHING, NOT BREACHING (3 of 3)
    ['0-0', 'OK', 'OK', 'OK', 'OK'],
    ['X-X', 'ALARM', undefined, 'ALARM', 'OK'],
    ['---', 'INSUFFICIENT_DATA', undefined, 'ALARM', 'OK'],
    ['--X', 'ALARM', undefined, 'ALARM', 'OK'],
    ['0-X', 'OK', 'OK', 'OK', 'OK'],
  ] as const)(
    'missing data with 3 of 3, %s: missing %s, ignore %s, breaching %s, notBreaching %s',
    (pattern, missing, ignore, breaching, notBreaching) => {
      expect(evaluate(pattern, 'missing')).toBe(missing);
      expect(evaluate(pattern, 'ignore')).toBe(ignore);
      expect(evaluate(pattern, 'breaching')).toBe(breaching);
      expect(evaluate(pattern, 'notBreaching')).toBe(notBreaching);
    },
  );

  it('a reason that names the datapoints and the threshold, as CloudWatch writes it', () => {
    const { reason } = evaluateAlarm({
      periods: [0],
      datapoints: new Map([[0, 3]]),
      threshold: 1,
      operator: 'GreaterThanOrEqualToThreshold',
      datapointsToAlarm: 1,
      treatMissingData: 'notBreaching',
      currentState: 'OK',
      periodSeconds: 60,
    });
    expect(reason).toBe(
      'Threshold Crossed: 1 out of the last 1 datapoints was greater than or equal to the threshold (1) (minimum 1 datapoint for OK -> ALARM transition). [3 (1970-01-01T00:00:00+0000)]',
    );
  });
});
