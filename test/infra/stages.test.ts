import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nagPacks } from '../../infra/breakwater';
import { stageConfigFrom } from '../../infra/config';
import { InfraConfigurationError } from '../../infra/errors';
import { prop, resourcesOfType } from './support/cfn';
import { pinnedSecrets } from './support/secrets';
import { type SynthResult, synthBreakwater } from './support/synth';

// The prod stage, with an alarm e-mail and an order reader role: retention and protection differ from dev, and the
// extra subscription DLQ must keep every promise too. One synth for the file (no bundling: the dev app test covers it).
let prod: SynthResult;
const prodReaderRoleArn = 'arn:aws:iam::000000000000:role/OrderReader';

beforeAll(() => {
  prod = synthBreakwater({
    context: { stage: 'prod', alarmEmail: 'oncall@example.com', orderReaderRoleArn: prodReaderRoleArn },
  });
});
afterAll(() => prod?.cleanup());

describe('prod stage', () => {
  it('retains every stateful resource when a stack is deleted', () => {
    const stateful = [
      'AWS::DynamoDB::Table',
      'AWS::SQS::Queue',
      'AWS::SecretsManager::Secret',
      'AWS::Logs::LogGroup',
      'AWS::KMS::Key',
      'AWS::Events::Archive',
    ];
    for (const type of stateful) {
      const resources = resourcesOfType(prod.templates, type);
      expect(resources.length, type).toBeGreaterThan(0);
      for (const r of resources) expect(r.DeletionPolicy, `${type} ${r.logicalId}`).toBe('Retain');
    }
  });

  it('generates its secrets from the same pinned template and logical ids as dev (nothing per stage)', () => {
    const secrets = prod.templates.platform.findResources('AWS::SecretsManager::Secret');
    expect(
      Object.fromEntries(
        Object.entries(secrets).map(([id, secret]) => [id, secret.Properties.GenerateSecretString]),
      ),
    ).toEqual(pinnedSecrets);
  });

  it('protects tables from deletion and stacks from termination', () => {
    for (const t of resourcesOfType(prod.templates, 'AWS::DynamoDB::Table')) {
      expect(prop(t, 'DeletionProtectionEnabled'), t.logicalId).toBe(true);
    }
    for (const stack of prod.assembly.stacks) expect(stack.terminationProtection, stack.stackName).toBe(true);
  });

  it('subscribes the alarm e-mail to both topics with a DLQ that is itself alarmed', () => {
    const subscriptions = prod.templates.operations.findResources('AWS::SNS::Subscription', {
      Properties: {
        Protocol: 'email',
        Endpoint: 'oncall@example.com',
        RedrivePolicy: { deadLetterTargetArn: Match.anyValue() },
      },
    });
    expect(Object.keys(subscriptions)).toHaveLength(2);
    const names = resourcesOfType({ operations: prod.templates.operations }, 'AWS::CloudWatch::Alarm').map(
      (a) => prop<string>(a, 'AlarmName'),
    );
    expect(names).toEqual(
      expect.arrayContaining([
        'breakwater-prod-alarm-subscriptions-dlq-depth',
        'breakwater-prod-alarm-subscriptions-dlq-age',
      ]),
    );
  });

  it('passes cdk-nag AwsSolutions and Serverless with no finding', () => {
    for (const pack of nagPacks(prod.app)) {
      expect(
        pack.validateScope(prod.app).violations.map((v) => v.ruleName),
        pack.name,
      ).toEqual([]);
    }
  });
});

describe('stage selection', () => {
  it('defaults to dev', () => {
    expect(stageConfigFrom(new App({ context: { alarms: 'none' } })).stage).toBe('dev');
  });

  it('rejects an unknown stage', () => {
    const app = new App({ context: { stage: 'staging' } });
    expect(() => stageConfigFrom(app)).toThrow(InfraConfigurationError);
    expect(() => stageConfigFrom(app)).toThrow(/unknown stage "staging"; expected one of dev, prod/);
  });
});

describe('orders API settings (CDK context)', () => {
  const settings = (context: Record<string, unknown>) =>
    stageConfigFrom(new App({ context: { alarms: 'none', ...context } })).ordersApi;

  it("default to no reader role and the gateway's maximum", () => {
    expect(settings({})).toEqual({ gatewayMaxAmountCents: 99_999_999 });
  });

  it('take a reader role ARN and a maximum, which reach the function environment', () => {
    const orderReaderRoleArn = 'arn:aws:iam::123456789012:role/support/OrderReader';
    expect(settings({ orderReaderRoleArn, gatewayMaxAmountCents: '500000' })).toEqual({
      orderReaderRoleArn,
      gatewayMaxAmountCents: 500_000,
    });
    const fn = resourcesOfType(prod.templates, 'AWS::Lambda::Function').find((f) =>
      f.logicalId.startsWith('OrdersApiFunction'),
    );
    expect(prop<{ Variables: Record<string, unknown> }>(fn!, 'Environment').Variables).toMatchObject({
      ORDER_READER_ROLE_ARN: prodReaderRoleArn,
      PAYMENT_GATEWAY_MAX_AMOUNT_CENTS: '99999999',
    });
  });

  it('reject a reader that is not a role ARN', () => {
    expect(() => settings({ orderReaderRoleArn: 'OrderReader' })).toThrow(
      /context "orderReaderRoleArn": "OrderReader" is not an IAM role ARN/,
    );
    expect(() => settings({ orderReaderRoleArn: 'arn:aws:iam::123456789012:user/alice' })).toThrow(
      InfraConfigurationError,
    );
  });

  it('reject a maximum that is not a positive integer', () => {
    for (const gatewayMaxAmountCents of [0, -5, '1.5', 'lots']) {
      expect(() => settings({ gatewayMaxAmountCents }), String(gatewayMaxAmountCents)).toThrow(
        /context "gatewayMaxAmountCents": must be a positive integer/,
      );
    }
  });
});
