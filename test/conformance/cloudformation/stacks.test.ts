import { randomBytes } from 'node:crypto';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, vi } from 'vitest';
import {
  type CdkTarget,
  startCdkTarget,
} from '../../../packages/local-cloud/src/cloud/cloudformation-target';
import { SystemTargets } from '../../system/support/description';
import { chosenTarget } from '../../system/support/discover';
import { conformanceCases } from '../support/cases';

/**
 * CloudFormation and STS as the CDK CLI relies on them, against the local cloud (`startCdkTarget`) or, with
 * `BREAKWATER_TARGET=aws`, an account (the cases create one stack holding one SQS queue, and delete it).
 */

const API = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference';

interface Context {
  readonly cloudFormation: CloudFormationClient;
  readonly sts: STSClient;
  readonly name: (prefix: string) => string;
}

const template = (retentionSeconds: number) =>
  JSON.stringify({
    Resources: {
      Inbox: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: retentionSeconds } },
    },
    Outputs: { InboxUrl: { Value: { Ref: 'Inbox' } } },
  });

const waitForStatus = async (context: Context, stackName: string, done: RegExp): Promise<string> => {
  let status = '';
  await vi.waitFor(
    async () => {
      const { Stacks } = await context.cloudFormation.send(
        new DescribeStacksCommand({ StackName: stackName }),
      );
      status = Stacks?.[0]?.StackStatus ?? '';
      if (!done.test(status)) throw new Error(`still ${status}`);
    },
    { timeout: 300_000, interval: 1_000 },
  );
  return status;
};

const cases = [
  {
    name: 'DescribeStacks of a stack that does not exist is a ValidationError naming it',
    source: `${API}/API_DescribeStacks.html`,
    run: async (context: Context) => {
      const stackName = context.name('missing');
      await expect(
        context.cloudFormation.send(new DescribeStacksCommand({ StackName: stackName })),
      ).rejects.toMatchObject({
        name: 'ValidationError',
        message: `Stack with id ${stackName} does not exist`,
      });
    },
  },
  {
    name: 'a CREATE change set makes a REVIEW_IN_PROGRESS stack; executed, the stack completes with its outputs',
    source: `${API}/API_CreateChangeSet.html`,
    run: async (context: Context) => {
      const stackName = context.name('changeset');
      const created = await context.cloudFormation.send(
        new CreateChangeSetCommand({
          StackName: stackName,
          ChangeSetName: 'first',
          ChangeSetType: 'CREATE',
          TemplateBody: template(3600),
        }),
      );
      try {
        const { Stacks } = await context.cloudFormation.send(
          new DescribeStacksCommand({ StackName: stackName }),
        );
        expect(Stacks?.[0]?.StackStatus).toBe('REVIEW_IN_PROGRESS');
        await vi.waitFor(
          async () => {
            const described = await context.cloudFormation.send(
              new DescribeChangeSetCommand({ ChangeSetName: created.Id }),
            );
            expect(described).toMatchObject({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE' });
            expect(described.Changes?.map((change) => change.ResourceChange?.Action)).toEqual(['Add']);
          },
          { timeout: 120_000, interval: 1_000 },
        );
        await context.cloudFormation.send(new ExecuteChangeSetCommand({ ChangeSetName: created.Id }));
        expect(await waitForStatus(context, stackName, /_COMPLETE$|FAILED$/)).toBe('CREATE_COMPLETE');
        const { Stacks: after } = await context.cloudFormation.send(
          new DescribeStacksCommand({ StackName: stackName }),
        );
        expect(after?.[0]?.Outputs?.map((output) => output.OutputKey)).toEqual(['InboxUrl']);

        // The same template again: a change set without changes fails with AWS's reason (the CDK CLI reads it).
        const again = await context.cloudFormation.send(
          new CreateChangeSetCommand({
            StackName: stackName,
            ChangeSetName: 'again',
            ChangeSetType: 'UPDATE',
            TemplateBody: template(3600),
          }),
        );
        await vi.waitFor(
          async () => {
            const described = await context.cloudFormation.send(
              new DescribeChangeSetCommand({ ChangeSetName: again.Id }),
            );
            expect(described.Status).toBe('FAILED');
            expect(described.StatusReason).toBe(
              "The submitted information didn't contain changes. Submit different information to create a change set.",
            );
          },
          { timeout: 120_000, interval: 1_000 },
        );
      } finally {
        await context.cloudFormation.send(new DeleteStackCommand({ StackName: stackName }));
      }
      const deleted = await context.cloudFormation.send(
        new DescribeStacksCommand({ StackName: created.StackId }),
      );
      expect(deleted.Stacks?.[0]?.StackStatus).toMatch(/^DELETE_(IN_PROGRESS|COMPLETE)$/);
    },
  },
  {
    name: 'GetCallerIdentity answers the 12-digit account and the caller ARN',
    source: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html',
    run: async (context: Context) => {
      const identity = await context.sts.send(new GetCallerIdentityCommand({}));
      expect(identity.Account).toMatch(/^\d{12}$/);
      expect(identity.Arn).toMatch(new RegExp(`^arn:aws:(iam|sts)::${identity.Account}:`));
    },
  },
];

describe('CloudFormation and STS conformance', () => {
  let local: CdkTarget | undefined;
  let context: Context;

  beforeAll(async () => {
    const target = chosenTarget();
    if (target === SystemTargets.local) local = await startCdkTarget({ edgePort: 0 });
    const config =
      local === undefined
        ? { region: process.env.AWS_REGION ?? 'us-east-1' }
        : {
            region: 'us-east-1',
            endpoint: local.edgeUrl,
            credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          };
    context = {
      cloudFormation: new CloudFormationClient(config),
      sts: new STSClient(config),
      name: (prefix) => `bw-conf-${prefix}-${randomBytes(4).toString('hex')}`,
    };
  }, 120_000);
  afterAll(async () => {
    context?.cloudFormation.destroy();
    context?.sts.destroy();
    await local?.stop();
  });

  conformanceCases(cases, () => context);
});
