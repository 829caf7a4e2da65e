// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are CloudFormation Fn::Sub templates
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deployLocal, findResource, stackOutput } from '../../../packages/local-cloud/src/deployer';

const directories: string[] = [];

/** Writes a cloud assembly with the given stack templates (in the given order) and dependencies. */
const assembly = (stacks: Record<string, { template: unknown; dependencies?: string[] }>): string => {
  const directory = mkdtempSync(join(tmpdir(), 'breakwater-assembly-'));
  directories.push(directory);
  const artifacts: Record<string, unknown> = {};
  for (const [name, { template, dependencies }] of Object.entries(stacks)) {
    writeFileSync(join(directory, `${name}.template.json`), JSON.stringify(template));
    artifacts[name] = {
      type: 'aws:cloudformation:stack',
      // Every stack CDK synthesizes names its environment; CDK's assembly reader requires one.
      environment: 'aws://unknown-account/unknown-region',
      properties: { templateFile: `${name}.template.json` },
      dependencies: dependencies ?? [],
    };
  }
  writeFileSync(join(directory, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts }));
  return directory;
};

afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const quiet = { clients: {}, log: () => {} };

describe('deployLocal over templates without emulated resources', () => {
  it('orders stacks by dependency and resolves exports, conditions, mappings and pseudo parameters', async () => {
    const directory = assembly({
      Consumer: {
        dependencies: ['Shared'],
        template: {
          Parameters: { Stage: { Type: 'String', Default: 'dev' } },
          Mappings: { Sizes: { dev: { Alarms: 'few' } } },
          Conditions: {
            IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
            InUsEast1: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
          },
          Resources: {
            Role: {
              Type: 'AWS::IAM::Role',
              Properties: { RoleName: { 'Fn::Sub': '${AWS::StackName}-${Stage}' } },
            },
            ProdOnly: { Type: 'AWS::CloudWatch::Dashboard', Condition: 'IsProd', Properties: {} },
            Everywhere: {
              Type: 'AWS::CloudWatch::Dashboard',
              Condition: 'InUsEast1',
              Properties: { DashboardBody: { 'Fn::ImportValue': 'Shared:TopicArn' } },
            },
          },
          Outputs: {
            RoleArn: { Value: { 'Fn::GetAtt': ['Role', 'Arn'] } },
            Size: { Value: { 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'Alarms'] } },
            Topic: { Value: { 'Fn::ImportValue': 'Shared:TopicArn' } },
            Maybe: { Value: { 'Fn::If': ['IsProd', 'prod', { Ref: 'AWS::Partition' }] } },
            ProdOutput: { Condition: 'IsProd', Value: 'never' },
          },
        },
      },
      Shared: {
        template: {
          Resources: {
            Topic: { Type: 'AWS::IAM::ManagedPolicy', Properties: { ManagedPolicyName: 'alarms' } },
          },
          Outputs: {
            TopicArn: {
              Value: { Ref: 'Topic' },
              Export: { Name: { 'Fn::Sub': '${AWS::StackName}:TopicArn' } },
            },
          },
        },
      },
    });

    const deployment = await deployLocal({ assemblyDirectory: directory, ...quiet });

    expect(deployment.stacks.map((stack) => stack.stackName)).toEqual(['Shared', 'Consumer']);
    expect(deployment.exports).toEqual({ 'Shared:TopicArn': 'arn:aws:iam::000000000000:policy/alarms' });
    expect(deployment.stacks[1]?.outputs).toEqual({
      RoleArn: 'arn:aws:iam::000000000000:role/Consumer-dev',
      Size: 'few',
      Topic: 'arn:aws:iam::000000000000:policy/alarms',
      Maybe: 'aws',
    });
    expect(Object.keys(deployment.stacks[1]?.resources ?? {}).sort()).toEqual(['Everywhere', 'Role']);
    expect(deployment.notEmulated).toEqual([
      { type: 'AWS::CloudWatch::Dashboard', count: 1, reason: 'dashboards are not drawn locally' },
      { type: 'AWS::IAM::ManagedPolicy', count: 1, reason: 'IAM is not enforced locally' },
      { type: 'AWS::IAM::Role', count: 1, reason: 'IAM is not enforced locally' },
    ]);
    expect(findResource(deployment, 'Consumer', 'Role').emulated).toBe(false);
  });

  it('resolves weak references (Fn::GetStackOutput), ordering the producer first without a manifest dependency', async () => {
    const directory = assembly({
      Consumer: {
        template: {
          Resources: {
            Dashboard: {
              Type: 'AWS::CloudWatch::Dashboard',
              Properties: {
                DashboardBody: {
                  'Fn::GetStackOutput': {
                    StackName: 'Shared',
                    Region: { Ref: 'AWS::Region' },
                    OutputName: 'PublishOutputRefTopic',
                  },
                },
              },
            },
          },
          Outputs: {
            Topic: {
              Value: { 'Fn::GetStackOutput': { StackName: 'Shared', OutputName: 'PublishOutputRefTopic' } },
            },
          },
        },
      },
      Shared: {
        template: {
          Resources: {
            Topic: { Type: 'AWS::IAM::ManagedPolicy', Properties: { ManagedPolicyName: 'alarms' } },
          },
          Outputs: { PublishOutputRefTopic: { Value: { Ref: 'Topic' } } },
        },
      },
    });

    const deployment = await deployLocal({ assemblyDirectory: directory, ...quiet });

    expect(deployment.stacks.map((stack) => stack.stackName)).toEqual(['Shared', 'Consumer']);
    expect(deployment.exports).toEqual({});
    expect(stackOutput(deployment, 'Consumer', 'Topic')).toBe('arn:aws:iam::000000000000:policy/alarms');

    const dangling = assembly({
      Consumer: {
        template: {
          Resources: {},
          Outputs: { X: { Value: { 'Fn::GetStackOutput': { StackName: 'Shared', OutputName: 'Missing' } } } },
        },
      },
      Shared: { template: { Resources: {}, Outputs: {} } },
    });
    await expect(deployLocal({ assemblyDirectory: dangling, ...quiet })).rejects.toThrow(
      /stack Shared has no output Missing/,
    );
  });

  it('takes template parameter values and deploys only the requested stacks and their dependencies', async () => {
    const directory = assembly({
      Base: { template: { Resources: { Key: { Type: 'AWS::KMS::Key', Properties: {} } } } },
      App: {
        dependencies: ['Base'],
        template: {
          Parameters: { Stage: { Type: 'String' } },
          Resources: {
            Policy: {
              Type: 'AWS::IAM::ManagedPolicy',
              Properties: { ManagedPolicyName: { 'Fn::Sub': 'app-${Stage}' } },
            },
          },
          Outputs: { Policy: { Value: { 'Fn::GetAtt': ['Policy', 'PolicyArn'] } } },
        },
      },
      Unrelated: { template: { Resources: {} } },
    });

    const deployment = await deployLocal({
      assemblyDirectory: directory,
      stacks: ['App'],
      templateParameters: { Stage: 'test' },
      ...quiet,
    });

    expect(deployment.stacks.map((stack) => stack.stackName)).toEqual(['Base', 'App']);
    expect(stackOutput(deployment, 'App', 'Policy')).toBe('arn:aws:iam::000000000000:policy/app-test');
  });

  it('names the stack, resource and cause when something cannot be resolved or created', async () => {
    const unresolved = assembly({
      Broken: {
        template: {
          Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { Name: { Ref: 'Nothing' } } } },
        },
      },
    });
    await expect(deployLocal({ assemblyDirectory: unresolved, ...quiet })).rejects.toThrow(
      /Broken\/Role \(AWS::IAM::Role\): Ref Nothing/,
    );
    const noClient = assembly({
      Queues: { template: { Resources: { Queue: { Type: 'AWS::SQS::Queue' } } } },
    });
    await expect(deployLocal({ assemblyDirectory: noClient, ...quiet })).rejects.toThrow(
      /AWS::SQS::Queue needs the sqs client/,
    );
    await expect(
      deployLocal({ assemblyDirectory: join(tmpdir(), 'no-such-assembly'), ...quiet }),
    ).rejects.toThrow(/synthesize the app first/);
  });
});
