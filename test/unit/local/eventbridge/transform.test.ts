import { describe, expect, it } from 'vitest';
import type { EventBridgeEvent } from '../../../../packages/local-cloud/src/eventbridge';
import {
  fillTemplate,
  parseJsonPath,
  renderTargetInput,
} from '../../../../packages/local-cloud/src/eventbridge/transform';

/** The EC2 event of AWS's "Amazon EventBridge input transformation" page. */
const event: EventBridgeEvent = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING', size: 3 },
};
const context = {
  event,
  eventJson: JSON.stringify(event),
  ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example',
  ruleName: 'example',
  ingestionTime: '2015-11-11T21:29:55Z',
};
const paths = {
  timestamp: '$.time',
  instance: '$.detail.instance-id',
  state: '$.detail.state',
  resource: '$.resources[0]',
};
const fill = (template: string, map: Record<string, string> = paths): string => {
  const filled = fillTemplate(template, map, context);
  if (filled === undefined) throw new Error(`template dropped: ${template}`);
  return filled;
};

describe('JSON paths', () => {
  it.each([
    ['$', []],
    ['$.detail', ['detail']],
    ['$.detail.instance-id', ['detail', 'instance-id']],
    ['$.resources[0]', ['resources', 0]],
    ["$.detail['key.with.dots']", ['detail', 'key.with.dots']],
    ['$["detail"].state', ['detail', 'state']],
    ['$.resources[*]', ['resources', expect.any(Symbol)]],
  ])('parses %s', (path, segments) => {
    expect(parseJsonPath(path)).toEqual(segments);
  });

  it.each(['', 'detail', '$.', '$..detail', '$[x]', '$.a[', '$ .a'])('rejects %j', (path) => {
    expect(parseJsonPath(path)).toBeUndefined();
  });
});

describe('input templates (AWS documentation examples)', () => {
  it('fills a simple string', () => {
    expect(fill('"instance <instance> is in <state>"')).toBe('"instance i-0123456789 is in RUNNING"');
  });

  it('keeps escaped quotes inside strings', () => {
    expect(fill('"instance \\"<instance>\\" is in <state>"')).toBe(
      '"instance \\"i-0123456789\\" is in RUNNING"',
    );
  });

  it('quotes string values placed as JSON values', () => {
    expect(JSON.parse(fill('{"instance" : <instance>, "state": <state>}'))).toEqual({
      instance: 'i-0123456789',
      state: 'RUNNING',
    });
  });

  it('mixes variables, strings and static JSON', () => {
    const template =
      '{"instance": <instance>, "state": [9, <state>, true], "status": "instance <instance> is <state>", "Transformed": "Yes"}';
    expect(JSON.parse(fill(template))).toEqual({
      instance: 'i-0123456789',
      state: [9, 'RUNNING', true],
      status: 'instance i-0123456789 is RUNNING',
      Transformed: 'Yes',
    });
  });

  it('offers the predefined variables, <aws.events.event> with detailType and without detail', () => {
    const template =
      '{"ruleArn": <aws.events.rule-arn>, "ruleName": <aws.events.rule-name>, "at": <aws.events.event.ingestion-time>, "original": <aws.events.event.json>, "envelope": <aws.events.event>}';
    const filled = JSON.parse(fill(template)) as Record<string, Record<string, unknown>>;
    expect(filled.ruleArn).toBe(context.ruleArn);
    expect(filled.ruleName).toBe('example');
    expect(filled.at).toBe('2015-11-11T21:29:55Z');
    expect(filled.original).toEqual(event);
    expect(filled.envelope).toEqual({
      id: event.id,
      account: event.account,
      detailType: event['detail-type'],
      time: event.time,
      source: 'aws.ec2',
      region: event.region,
      resources: event.resources,
      version: '0',
    });
    expect(fill('"<aws.events.rule-name> triggered"')).toBe('"example triggered"');
  });

  it('keeps numbers and objects as JSON, resolves array indexes and wildcards', () => {
    expect(
      JSON.parse(
        fill('{"n": <n>, "d": <d>, "r": <r>, "all": <all>}', {
          n: '$.detail.size',
          d: '$.detail',
          r: '$.resources[0]',
          all: '$.resources[*]',
        }),
      ),
    ).toEqual({ n: 3, d: event.detail, r: event.resources[0], all: event.resources });
  });

  it('turns a variable whose path finds nothing into "" as a JSON value and nothing inside a string', () => {
    expect(fill('{"x": <missing>, "s": "[<missing>]"}', { missing: '$.detail.nope' })).toBe(
      '{"x": "", "s": "[]"}',
    );
    expect(fill('"state: <missing>"', { missing: '$.detail.nope' })).toBe('"state: "');
  });

  it('strips the quotes of objects and lists placed inside a string template', () => {
    expect(fill('"detail is <d>, resources <r>"', { d: '$.detail', r: '$.resources' })).toBe(
      '"detail is {instance-id:i-0123456789,state:RUNNING,size:3}, resources [arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111]"',
    );
  });

  it('drops a JSON template whose output is not valid JSON, as AWS does', () => {
    expect(fillTemplate('{"d": "<d>"}', { d: '$.detail' }, context)).toBeUndefined();
    expect(fillTemplate('{"s": "say "<state>""}', paths, context)).toBeUndefined();
    expect(fillTemplate('"line one <state>"\n"line two"', paths, context)).toBe(
      '"line one RUNNING"\n"line two"',
    );
  });

  it('leaves other angle brackets alone', () => {
    expect(fill('"a < b and c > d"')).toBe('"a < b and c > d"');
  });
});

describe('target input', () => {
  it('is the whole event by default, a constant Input, or the InputPath selection', () => {
    expect(renderTargetInput({}, context)).toBe(context.eventJson);
    expect(JSON.parse(renderTargetInput({ inputPath: '$.detail' }, context) ?? '')).toEqual(event.detail);
    expect(renderTargetInput({ input: '{"fixed":true}' }, context)).toBe('{"fixed":true}');
    expect(renderTargetInput({ inputPath: '$.detail.state' }, context)).toBe('"RUNNING"');
    expect(renderTargetInput({ inputPath: '$.detail.absent' }, context)).toBe('null');
  });

  it('applies an InputTransformer', () => {
    const inputTransformer = { inputPathsMap: { state: '$.detail.state' }, inputTemplate: '{"s": <state>}' };
    expect(renderTargetInput({ inputTransformer }, context)).toBe('{"s": "RUNNING"}');
    const broken = { inputPathsMap: { d: '$.detail' }, inputTemplate: '{"s": "<d>"}' };
    expect(renderTargetInput({ inputTransformer: broken }, context)).toBeUndefined();
  });
});
