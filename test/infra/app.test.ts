import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNagChecks, nagPacks } from '../../infra/breakwater';
import { prop, resourcesOfType } from './support/cfn';
import { type SynthResult, synthBreakwater } from './support/synth';

// The whole app as `cdk synth` builds it: offline (dummy account/region, no credentials), functions bundled by
// esbuild, cdk-nag packs registered (an unacknowledged error would make this synth throw). One synth for the file.
let synth: SynthResult;

beforeAll(() => {
  synth = synthBreakwater({ bundle: true, nag: true });
});
afterAll(() => synth?.cleanup());

describe('synth', () => {
  it('produces the six stacks of the stage', () => {
    expect(synth.assembly.stacks.map((s) => s.stackName).sort()).toEqual([
      'breakwater-dev-billing',
      'breakwater-dev-fulfilment',
      'breakwater-dev-operations',
      'breakwater-dev-orders',
      'breakwater-dev-platform',
      'breakwater-dev-replay',
    ]);
  });

  it('deploys operations after the services, and nothing depends on operations', () => {
    const byName = new Map(synth.assembly.stacks.map((s) => [s.stackName, s]));
    const deps = (name: string): string[] =>
      byName
        .get(name)!
        .dependencies.map((d) => d.id)
        .sort();
    expect(deps('breakwater-dev-operations')).toEqual(
      expect.arrayContaining([
        'breakwater-dev-billing',
        'breakwater-dev-fulfilment',
        'breakwater-dev-orders',
        'breakwater-dev-replay',
      ]),
    );
    for (const stack of synth.assembly.stacks) {
      expect(deps(stack.stackName)).not.toContain('breakwater-dev-operations');
    }
  });

  it('bundles every function as a minified ESM module with a source map', () => {
    const functions = resourcesOfType(synth.templates, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(7);
    for (const fn of functions) {
      expect(prop(fn, 'Handler')).toBe('index.handler');
      // The code's S3 key is `<asset hash>.zip`; the staged bundle is the assembly's `asset.<hash>` directory.
      const s3Key = prop<{ S3Key: string }>(fn, 'Code').S3Key;
      const dir = join(synth.assembly.directory, `asset.${s3Key.replace(/\.zip$/, '')}`);
      expect(existsSync(join(dir, 'index.mjs')), dir).toBe(true);
      expect(existsSync(join(dir, 'index.mjs.map')), dir).toBe(true);
      expect(readFileSync(join(dir, 'index.mjs'), 'utf8')).toMatch(
        /^import\{createRequire\}|^import \{ createRequire \}/,
      );
    }
    expect(readdirSync(synth.assembly.directory).filter((f) => f.startsWith('asset.'))).toHaveLength(7);
  });

  it('keeps every bundle within 400 KB, the AWS SDK left to the runtime (bench/bundle-size.bench.ts measures)', () => {
    for (const fn of resourcesOfType(synth.templates, 'AWS::Lambda::Function')) {
      const s3Key = prop<{ S3Key: string }>(fn, 'Code').S3Key;
      const bundle = join(synth.assembly.directory, `asset.${s3Key.replace(/\.zip$/, '')}`, 'index.mjs');
      expect(statSync(bundle).size / 1024, fn.logicalId).toBeLessThanOrEqual(400);
      expect(readFileSync(bundle, 'utf8'), fn.logicalId).toMatch(/from"@aws-sdk\/client-[a-z-]+"/);
    }
  });
});

describe('orders API', () => {
  it('routes every method of both paths to the function, IAM-authorized, so it can answer 405 with Allow', () => {
    const routes = resourcesOfType(synth.templates, 'AWS::ApiGatewayV2::Route');
    expect(routes.map((route) => prop<string>(route, 'RouteKey')).sort()).toEqual([
      'ANY /orders',
      'ANY /orders/{orderId}',
    ]);
    for (const route of routes) expect(prop(route, 'AuthorizationType')).toBe('AWS_IAM');
  });
});

describe('cross-stack references', () => {
  const serialized = (): string[] => Object.values(synth.templates).map((t) => JSON.stringify(t.toJSON()));

  it('are weak (Fn::GetStackOutput): no stack exports a value or imports one', () => {
    for (const template of serialized()) {
      expect(template).not.toContain('Fn::ImportValue');
      expect(template).not.toContain('"Export"');
    }
    expect(
      serialized()
        .join('')
        .match(/Fn::GetStackOutput/g)?.length ?? 0,
    ).toBeGreaterThan(0);
  });

  it('read outputs that exist, of stacks that deploy first', () => {
    const byName = new Map(synth.assembly.stacks.map((stack) => [stack.stackName, stack]));
    for (const consumer of synth.assembly.stacks) {
      const references = JSON.stringify(consumer.template).matchAll(
        /"Fn::GetStackOutput":\{"StackName":"([^"]+)","Region":"[^"]+","OutputName":"([^"]+)"\}/g,
      );
      for (const [, producer = '', output = ''] of references) {
        const template = byName.get(producer)?.template as { Outputs?: Record<string, unknown> } | undefined;
        expect(template?.Outputs?.[output], `${consumer.stackName} → ${producer}.${output}`).toBeDefined();
        expect(
          consumer.dependencies.map((d) => d.id),
          consumer.stackName,
        ).toContain(producer);
      }
    }
  });
});

describe('cdk-nag', () => {
  it('AwsSolutions and Serverless report no finding at all (errors and warnings)', () => {
    for (const pack of nagPacks(synth.app)) {
      const report = pack.validateScope(synth.app);
      expect(
        report.violations.map(
          (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
        ),
        pack.name,
      ).toEqual([]);
    }
  });

  it('every acknowledgement is one of the reviewed rules and carries a reason', () => {
    const reviewed = new Set([
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-SQS3',
      'AwsSolutions-SMG4',
      'Serverless-SQSRedrivePolicy',
      'Serverless-LambdaDLQ',
      'Serverless-LambdaEventSourceMappingDestination',
    ]);
    const acknowledged = new Map<string, string[]>();
    const visit = (node: IConstruct): void => {
      for (const entry of node.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          const rule = id.replace(/^annotation::/i, '');
          acknowledged.set(rule, [...(acknowledged.get(rule) ?? []), reason]);
        }
      }
      for (const child of node.node.children) visit(child);
    };
    visit(synth.app);
    expect([...acknowledged.keys()].filter((id) => !reviewed.has(id))).toEqual([]);
    for (const [id, reasons] of acknowledged) {
      for (const reason of reasons) expect(reason.length, id).toBeGreaterThan(80);
    }
  });
});

describe('cdk-nag gate', () => {
  it('fails synth on an unacknowledged finding (control: the packs really run during synth)', () => {
    const app = new App();
    new Secret(new Stack(app, 'Control'), 'NeverRotated');
    addNagChecks(app);
    expect(() => app.synth()).toThrow(/AwsSolutions-SMG4/);
  });
});

describe('outputs', () => {
  const outputKeys = (stack: keyof SynthResult['templates']): string[] =>
    Object.keys((synth.templates[stack].toJSON() as { Outputs: Record<string, unknown> }).Outputs)
      // CDK's own outputs behind cross-stack references (weak: PublishOutput…, strong: ExportsOutput…).
      .filter((k) => !k.startsWith('ExportsOutput') && !k.startsWith('PublishOutput'))
      .sort();

  it('name the API, bus, tables, secrets, every queue and DLQ, the circuit, and the DLQ replay function', () => {
    expect(outputKeys('platform')).toEqual([
      'BreakerTableName',
      'EventArchiveName',
      'EventBusArn',
      'EventBusName',
      'IdempotencyTableName',
      'PaymentGatewaySecretArn',
      'RedisSecretArn',
    ]);
    expect(outputKeys('orders')).toEqual([
      'ApiUrl',
      'OrdersTableName',
      'OutboxPublisherFailureDlqArn',
      'OutboxPublisherFailureDlqUrl',
      'OutboxSweeperDlqArn',
      'OutboxSweeperDlqUrl',
      'OutboxTableName',
    ]);
    const consumer = (name: string): string[] =>
      ['DlqArn', 'DlqUrl', 'QueueArn', 'QueueUrl', 'TargetDlqArn', 'TargetDlqUrl'].map((s) => `${name}${s}`);
    expect(outputKeys('billing')).toEqual([...consumer('Billing'), 'PaymentGatewayCircuitId'].sort());
    expect(outputKeys('fulfilment')).toEqual(
      [...consumer('Notifications'), ...consumer('OrderStatus')].sort(),
    );
    expect(outputKeys('replay')).toEqual(['DlqReplayFunctionName']);
    expect(outputKeys('operations')).toEqual([
      'AlarmSubscriptionsDlqArn',
      'AlarmSubscriptionsDlqUrl',
      'DashboardName',
      'NoticeTopicArn',
      'PageTopicArn',
    ]);
  });
});
