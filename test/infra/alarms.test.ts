import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stageConfigFrom } from '../../infra/config';
import { metricsNamespace } from '../../infra/defaults/functions';
import { InfraConfigurationError } from '../../infra/errors';
import { reportRecordFailure } from '../../shared/batch/process-batch';
import { ContractError } from '../../shared/errors';
import { createObservability } from '../../shared/middleware/observability';
import { type CfnResource, prop, resourcesOfType } from './support/cfn';
import { type SynthResult, synthBreakwater, testAlarmEmail } from './support/synth';

// Alarms that reach someone and mean something: destinations, the page/notice split, the blind spots, metrics that
// survive any log level, and a dashboard a person can read. One synth of the whole app (dev) for most of the file.
let synth: SynthResult;
let all: SynthResult['templates'];

beforeAll(() => {
  synth = synthBreakwater();
  all = synth.templates;
});
afterAll(() => synth?.cleanup());

const alarms = (): CfnResource[] => resourcesOfType({ operations: all.operations }, 'AWS::CloudWatch::Alarm');
const alarmNamed = (name: string): CfnResource => {
  const found = alarms().filter((a) => prop(a, 'AlarmName') === `breakwater-dev-${name}`);
  expect(found, name).toHaveLength(1);
  return found[0]!;
};
const topicRef = (severity: 'page' | 'notice') => {
  const ids = Object.keys(
    all.operations.findResources('AWS::SNS::Topic', {
      Properties: { TopicName: `breakwater-dev-${severity}` },
    }),
  );
  expect(ids, severity).toHaveLength(1);
  return { Ref: ids[0] };
};

/** Every alarm of the app and its topic: the list the runbook and the README name. */
const consumerAlarms = (c: string): Record<string, 'page' | 'notice'> => ({
  [`${c}-dlq-depth`]: 'page',
  [`${c}-dlq-age`]: 'notice',
  [`${c}-target-dlq-depth`]: 'page',
  [`${c}-target-dlq-age`]: 'notice',
  [`${c}-queue-age`]: 'page',
  [`${c}-errors`]: 'page',
  [`${c}-throttles`]: 'notice',
  [`${c}-records-failed`]: 'notice',
  [`${c}-records-rejected`]: 'page',
  [`${c}-rule-failed-invocations`]: 'notice',
  [`${c}-rule-dlq-failures`]: 'page',
});
const expectedAlarms: Record<string, 'page' | 'notice'> = {
  ...consumerAlarms('billing'),
  ...consumerAlarms('order-status'),
  ...consumerAlarms('notifications'),
  'billing-breaker-not-closed': 'notice',
  'billing-breaker-held-open': 'page',
  'billing-breaker-store-errors': 'notice',
  'orders-api-5xx-rate': 'page',
  'outbox-publisher-failure-dlq-depth': 'page',
  'outbox-publisher-failure-dlq-age': 'notice',
  'outbox-publisher-iterator-age': 'page',
  'outbox-sweeper-stranded': 'notice',
  'outbox-sweeper-errors': 'notice',
  'outbox-sweeper-dlq-depth': 'notice',
  'outbox-sweeper-dlq-age': 'notice',
  'outbox-sweeper-rule-failed-invocations': 'notice',
  'outbox-sweeper-rule-dlq-failures': 'notice',
  'alarm-subscriptions-dlq-depth': 'page',
  'alarm-subscriptions-dlq-age': 'notice',
};

/** An EMF object as Powertools prints it. */
interface Emf extends Record<string, unknown> {
  readonly _aws: {
    readonly CloudWatchMetrics: {
      readonly Namespace: string;
      readonly Dimensions: string[][];
      readonly Metrics: { Name: string; Unit: string }[];
    }[];
  };
}

/** Runs `emit` with stdout captured and the metrics namespace set; returns the one EMF line it printed. */
const printedEmf = (namespace: string, emit: () => void): Emf => {
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', namespace);
  const printed: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    emit();
  } finally {
    write.mockRestore();
    vi.unstubAllEnvs();
  }
  const emf = printed.map((line) => JSON.parse(line) as Record<string, unknown>).filter((o) => '_aws' in o);
  expect(emf).toHaveLength(1);
  return emf[0] as Emf;
};

describe('destinations', () => {
  const configWith = (context: Record<string, string>) => () =>
    stageConfigFrom(new App({ context: { stage: 'dev', ...context } }));

  it('refuses a stage whose alarms would notify no one, naming the three ways out', () => {
    expect(configWith({})).toThrow(InfraConfigurationError);
    expect(configWith({})).toThrow(/-c alarmEmail=.*-c alarmEndpoint=https:\/\/.*-c alarms=none/);
  });

  it('refuses an opt-out beside a destination, an unknown opt-out, a bad address and a plain-HTTP endpoint', () => {
    expect(configWith({ alarms: 'none', alarmEmail: 'a@b.co' })).toThrow(/contradicts/);
    expect(configWith({ alarms: 'off' })).toThrow(/only value is "none"/);
    expect(configWith({ alarmEmail: 'oncall' })).toThrow(/not an e-mail address/);
    expect(configWith({ alarmEndpoint: 'http://hooks.example.com/x' })).toThrow(/must be an https:\/\/ URL/);
  });

  it('accepts an e-mail, an HTTPS endpoint, both, or the explicit opt-out', () => {
    expect(configWith({ alarmEmail: 'a@b.co' })().alarmDestinations).toEqual({
      kind: 'subscribers',
      email: 'a@b.co',
    });
    expect(
      configWith({ alarmEndpoint: 'https://hooks.example.com/x', alarmEmail: 'a@b.co' })().alarmDestinations,
    ).toEqual({
      kind: 'subscribers',
      email: 'a@b.co',
      endpoint: 'https://hooks.example.com/x',
    });
    expect(configWith({ alarms: 'none' })().alarmDestinations).toEqual({ kind: 'none' });
  });

  it('subscribes every destination to both topics, with one DLQ for what SNS could not deliver', () => {
    const both = synthBreakwater({
      context: { alarmEmail: 'oncall@example.com', alarmEndpoint: 'https://hooks.example.com/breakwater' },
    });
    try {
      const subscriptions = resourcesOfType(
        { operations: both.templates.operations },
        'AWS::SNS::Subscription',
      );
      expect(subscriptions.map((s) => `${prop(s, 'Protocol')} ${prop(s, 'Endpoint')}`).sort()).toEqual([
        'email oncall@example.com',
        'email oncall@example.com',
        'https https://hooks.example.com/breakwater',
        'https https://hooks.example.com/breakwater',
      ]);
      const topics = new Set(subscriptions.map((s) => JSON.stringify(prop(s, 'TopicArn'))));
      expect(topics.size).toBe(2);
      const dlqs = new Set(subscriptions.map((s) => JSON.stringify(prop(s, 'RedrivePolicy'))));
      expect(dlqs.size).toBe(1);
    } finally {
      both.cleanup();
    }
  });

  it('with -c alarms=none deploys both topics and every alarm, and no subscription', () => {
    const none = synthBreakwater({ context: { alarms: 'none' } });
    try {
      const ops = { operations: none.templates.operations };
      expect(resourcesOfType(ops, 'AWS::SNS::Subscription')).toEqual([]);
      expect(resourcesOfType(ops, 'AWS::SNS::Topic')).toHaveLength(2);
      expect(resourcesOfType(ops, 'AWS::CloudWatch::Alarm')).toHaveLength(
        Object.keys(expectedAlarms).length - 2, // no subscription DLQ to watch
      );
    } finally {
      none.cleanup();
    }
  });

  it('the tests deploy with an e-mail destination, as the local cloud does', () => {
    expect(synth.config.alarmDestinations).toEqual({ kind: 'subscribers', email: testAlarmEmail });
  });
});

describe('page and notice', () => {
  it('every alarm of the app notifies the topic of its severity, and only the listed alarms exist', () => {
    const actual = Object.fromEntries(
      alarms().map((a) => {
        const [action] = prop<unknown[]>(a, 'AlarmActions');
        const severity = JSON.stringify(action) === JSON.stringify(topicRef('page')) ? 'page' : 'notice';
        expect(action, String(prop(a, 'AlarmName'))).toEqual(topicRef(severity));
        return [prop<string>(a, 'AlarmName').replace(/^breakwater-dev-/, ''), severity];
      }),
    );
    expect(actual).toEqual(expectedAlarms);
  });

  it('says its severity first in its description', () => {
    for (const [name, severity] of Object.entries(expectedAlarms)) {
      expect(prop<string>(alarmNamed(name), 'AlarmDescription')).toMatch(new RegExp(`^\\[${severity}\\] `));
    }
  });

  it('sends OK to whoever was paged, and for notices only when the circuit closes again', () => {
    for (const [name, severity] of Object.entries(expectedAlarms)) {
      const ok = prop<unknown[] | undefined>(alarmNamed(name), 'OKActions');
      if (severity === 'page') expect(ok, name).toEqual([topicRef('page')]);
      else if (name === 'billing-breaker-not-closed') expect(ok, name).toEqual([topicRef('notice')]);
      else expect(ok, name).toBeUndefined();
    }
  });
});

describe('blind spots', () => {
  const consumers = [
    { name: 'billing', stack: 'billing', construct: 'Billing' },
    { name: 'order-status', stack: 'fulfilment', construct: 'OrderStatus' },
    { name: 'notifications', stack: 'fulfilment', construct: 'Notifications' },
  ] as const;

  it("alarm on each consumer rule's failed invocations and events not sent to its DLQ, by the rule's name", () => {
    for (const c of consumers) {
      const rules = resourcesOfType({ [c.stack]: all[c.stack] }, 'AWS::Events::Rule').filter((r) =>
        r.logicalId.startsWith(`${c.construct}Rule`),
      );
      expect(rules, c.name).toHaveLength(1);
      const ruleName = prop<string>(rules[0]!, 'Name');
      expect(ruleName).toBe(`breakwater-dev-${c.name}`);
      for (const [what, metric] of [
        ['rule-failed-invocations', 'FailedInvocations'],
        ['rule-dlq-failures', 'InvocationsFailedToBeSentToDlq'],
      ] as const) {
        const alarm = alarmNamed(`${c.name}-${what}`);
        expect(prop(alarm, 'Namespace')).toBe('AWS/Events');
        expect(prop(alarm, 'MetricName')).toBe(metric);
        const dims = prop<{ Name: string; Value: unknown }[]>(alarm, 'Dimensions');
        // A rule on a custom bus: both dimensions, as EventBridge publishes them.
        expect(dims.map((d) => d.Name)).toEqual(['EventBusName', 'RuleName']);
        expect(dims.find((d) => d.Name === 'RuleName')?.Value).toBe(ruleName);
        expect(prop(alarm, 'Threshold')).toBe(1);
      }
    }
  });

  it("alarm on the sweeper schedule's delivery by its rule name alone (the default bus)", () => {
    const [schedule] = resourcesOfType({ orders: all.orders }, 'AWS::Events::Rule');
    const alarm = alarmNamed('outbox-sweeper-rule-dlq-failures');
    expect(prop(alarm, 'Dimensions')).toEqual([{ Name: 'RuleName', Value: prop(schedule!, 'Name') }]);
  });

  it("alarm on each consumer function's errors (3 minutes running) and throttles", () => {
    for (const c of consumers) {
      const errors = alarmNamed(`${c.name}-errors`);
      expect([prop(errors, 'Namespace'), prop(errors, 'MetricName'), prop(errors, 'Period')]).toEqual([
        'AWS/Lambda',
        'Errors',
        60,
      ]);
      expect(prop(errors, 'EvaluationPeriods')).toBe(3);
      const throttles = alarmNamed(`${c.name}-throttles`);
      expect([prop(throttles, 'Namespace'), prop(throttles, 'MetricName')]).toEqual([
        'AWS/Lambda',
        'Throttles',
      ]);
    }
  });

  it("alarm on each source queue's oldest message at 15 minutes", () => {
    for (const c of consumers) {
      const alarm = alarmNamed(`${c.name}-queue-age`);
      expect([prop(alarm, 'Namespace'), prop(alarm, 'MetricName'), prop(alarm, 'Threshold')]).toEqual([
        'AWS/SQS',
        'ApproximateAgeOfOldestMessage',
        900,
      ]);
    }
  });

  it('alarm on failed and rejected records under the names and dimensions the batch layer prints as EMF', () => {
    for (const c of consumers) {
      for (const [what, error] of [
        ['records-failed', new Error('gateway 503')],
        ['records-rejected', new ContractError('bad message')],
      ] as const) {
        // The metric as the code emits it: a real Powertools Metrics with the stage's namespace, printing EMF.
        const emf = printedEmf(metricsNamespace(synth.config), () => {
          const { metrics, logger } = createObservability(c.name);
          logger.setLogLevel('SILENT');
          reportRecordFailure(error, logger, metrics, {});
          metrics.publishStoredMetrics();
        });
        const directive = emf._aws.CloudWatchMetrics[0]!;
        const alarm = alarmNamed(`${c.name}-${what}`);
        expect(
          [prop(alarm, 'Namespace'), prop(alarm, 'MetricName'), prop(alarm, 'Dimensions')],
          what,
        ).toEqual([
          directive.Namespace,
          directive.Metrics[0]!.Name,
          directive.Dimensions[0]!.map((d) => ({ Name: d, Value: emf[d] })),
        ]);
      }
    }
  });

  it("page on the orders API's 5xx rate, a math expression over 5xx and Count, in 3 of 5 minutes", () => {
    const alarm = alarmNamed('orders-api-5xx-rate');
    const queries = prop<
      { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string } } }[]
    >(alarm, 'Metrics');
    const expression = queries.find((q) => q.Expression !== undefined)!;
    expect(expression.Expression).toBe('100 * serverErrors / requests');
    expect(
      Object.fromEntries(
        queries.filter((q) => q.MetricStat).map((q) => [q.Id, q.MetricStat!.Metric.MetricName]),
      ),
    ).toEqual({ serverErrors: '5xx', requests: 'Count' });
    expect([
      prop(alarm, 'Threshold'),
      prop(alarm, 'EvaluationPeriods'),
      prop(alarm, 'DatapointsToAlarm'),
    ]).toEqual([5, 5, 3]);
    expect(prop(alarm, 'MetricName')).toBeUndefined();
  });
});

describe('metrics whatever the log level', () => {
  it('EMF lines carry no level, which Lambda would count as INFO and drop under a WARN application level', () => {
    const emf = printedEmf('Breakwater/dev', () => {
      const { metrics } = createObservability('billing');
      metrics.addMetric('RecordsFailed', 'Count', 1);
      metrics.publishStoredMetrics();
    });
    expect(emf._aws.CloudWatchMetrics[0]!.Metrics).toEqual([{ Name: 'RecordsFailed', Unit: 'Count' }]);
    expect(Object.keys(emf).map((k) => k.toLowerCase())).not.toContain('level');
  });

  it("so every function logs in Lambda's Text format, filtered by Powertools at the stage's level, not by Lambda", () => {
    const functions = resourcesOfType(all, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(7);
    for (const fn of functions) {
      const logging = prop<Record<string, unknown>>(fn, 'LoggingConfig');
      expect(logging.LogFormat, fn.logicalId).toBe('Text');
      expect(logging.ApplicationLogLevel, fn.logicalId).toBeUndefined();
      expect(logging.SystemLogLevel, fn.logicalId).toBeUndefined();
      const env = prop<{ Variables: Record<string, string> }>(fn, 'Environment').Variables;
      expect(env.POWERTOOLS_LOG_LEVEL, fn.logicalId).toBe(synth.config.logLevel);
    }
  });
});

describe('dashboard', () => {
  /** The dashboard body with every token replaced by a placeholder (tokens sit inside JSON strings). */
  const body = (): { widgets: { type: string; properties: Record<string, unknown> }[] } => {
    const [dashboard] = resourcesOfType({ operations: all.operations }, 'AWS::CloudWatch::Dashboard');
    const raw = prop<unknown>(dashboard!, 'DashboardBody');
    const parts =
      typeof raw === 'string' ? [raw] : (raw as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(''));
  };

  it('has a text header per service', () => {
    const headers = body()
      .widgets.filter((w) => w.type === 'text')
      .map((w) => String(w.properties.markdown).split('\n')[0]);
    expect(headers).toEqual([
      '## orders-api',
      '## outbox-publisher',
      '## outbox-sweeper',
      '## billing',
      '## billing-breaker',
      '## order-status',
      '## notifications',
      '## dlq-replay',
    ]);
  });

  it('titles every graph after its function or queue, never twice the same, and labels every series', () => {
    const graphs = body().widgets.filter((w) => w.type === 'metric' && w.properties.view === 'timeSeries');
    const titles = graphs.map((g) => String(g.properties.title));
    expect(new Set(titles).size).toBe(titles.length);
    for (const graph of graphs) {
      const metrics = graph.properties.metrics as unknown[][];
      for (const series of metrics) {
        const options = series.at(-1) as { label?: string; expression?: string };
        expect(options.label, String(graph.properties.title)).toMatch(/\S/);
      }
    }
  });

  it('graphs failed records, iterator age, DLQ depth and dead-lettered records', () => {
    const titles = body()
      .widgets.filter((w) => w.type === 'metric')
      .map((w) => String(w.properties.title));
    for (const c of ['billing', 'order-status', 'notifications']) {
      expect(titles).toContain(`${c}: records received / failed / rejected / dead-lettered / deferred`);
      expect(titles).toContain(`${c}: DLQ depth (redrive, rule target)`);
    }
    expect(titles).toContain('outbox-publisher: iterator age (ms)');
    expect(titles).toContain('outbox-publisher-failure-dlq: depth');
  });
});
