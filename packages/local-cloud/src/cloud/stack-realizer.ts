import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteEventBusCommand,
  DeleteRuleCommand,
  ListTargetsByRuleCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { DeleteParameterCommand, GetParameterCommand } from '@aws-sdk/client-ssm';
import type { S3Store } from '../cloudformation/s3.js';
import type { RealizedStack, StackDefinition, StackRealizer } from '../cloudformation/stacks.js';
import { extractZip } from '../cloudformation/zip.js';
import { deployLocal, type LocalClients, type LocalDeployment } from '../deployer/index.js';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../support/aws-protocol.js';

/** Options of {@link createStackRealizer}. */
export interface StackRealizerOptions {
  readonly clients: LocalClients;
  readonly s3: S3Store;
  /** Where synthetic assemblies and extracted code assets go. */
  readonly workDirectory: string;
  /** Takes each new deployment (the cloud layer restarts the functions of the CloudFormation stacks with it). */
  readonly onDeployment: (deployment: LocalDeployment) => Promise<void>;
  readonly log?: (line: string) => void;
}

const collectS3Keys = (value: unknown, found: Set<string> = new Set()): Set<string> => {
  if (Array.isArray(value)) for (const item of value) collectS3Keys(item, found);
  else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (typeof record.S3Key === 'string' && record.S3Key.endsWith('.zip')) found.add(record.S3Key);
    for (const inner of Object.values(record)) collectS3Keys(inner, found);
  }
  return found;
};

/**
 * Realizes CloudFormation stacks with the local deployer: the templates (and the code zips CDK published to the
 * local S3, extracted) become a cloud assembly that `deployLocal` deploys, exactly as `npm start` deploys a
 * synthesized app; buckets of the templates are created in the local S3; SSM-typed parameters (CDK's
 * `BootstrapVersion`) are read from the local SSM. Removal deletes queues, tables, rules, buses, secrets and
 * parameters; the functions stop with the next deployment.
 */
export const createStackRealizer = (options: StackRealizerOptions): StackRealizer => {
  const log = options.log ?? (() => {});
  let previous: LocalDeployment | undefined;
  let generation = 0;

  const parameterValues = async (stack: StackDefinition): Promise<Record<string, string>> => {
    const declared = (stack.template.Parameters ?? {}) as Record<
      string,
      { Type?: string; Default?: unknown }
    >;
    const values: Record<string, string> = {};
    for (const [name, parameter] of Object.entries(declared)) {
      const given =
        stack.parameters[name] ?? (parameter.Default === undefined ? undefined : String(parameter.Default));
      if (given === undefined) continue;
      if (parameter.Type?.startsWith('AWS::SSM::Parameter::Value<')) {
        const out = await options.clients.ssm?.send(new GetParameterCommand({ Name: given }));
        const value = out?.Parameter?.Value;
        if (value === undefined) throw new Error(`parameter ${name}: SSM parameter ${given} does not exist`);
        values[name] = value;
      } else values[name] = given;
    }
    return values;
  };

  const extractAsset = (key: string): string | undefined => {
    const directory = join(options.workDirectory, 'assets', key.replace(/\.zip$/, ''));
    if (existsSync(directory)) return directory;
    const bucket = options.s3.buckets().find((name) => options.s3.get(name, key) !== undefined);
    const object = bucket === undefined ? undefined : options.s3.get(bucket, key);
    if (object === undefined) return undefined;
    mkdirSync(directory, { recursive: true });
    extractZip(object.body, directory);
    return directory;
  };

  return {
    apply: async (stacks) => {
      generation += 1;
      const directory = join(options.workDirectory, `assembly-${generation}`);
      mkdirSync(directory, { recursive: true });
      const artifacts: Record<string, unknown> = {};
      const files: Record<string, unknown> = {};
      const parameters: Record<string, string> = {};
      for (const stack of stacks) {
        writeFileSync(join(directory, `${stack.stackName}.template.json`), JSON.stringify(stack.template));
        // The shape CDK writes (an environment on every stack), which CDK's assembly reader requires.
        artifacts[stack.stackName] = {
          type: 'aws:cloudformation:stack',
          environment: `aws://${LOCAL_ACCOUNT_ID}/${LOCAL_REGION}`,
          properties: { templateFile: `${stack.stackName}.template.json`, stackName: stack.stackName },
        };
        Object.assign(parameters, await parameterValues(stack));
        for (const key of collectS3Keys(stack.template.Resources)) {
          const path = extractAsset(key);
          if (path !== undefined)
            files[key] = {
              source: { path },
              destinations: { local: { bucketName: 'local', objectKey: key } },
            };
        }
      }
      writeFileSync(join(directory, 'assets.json'), JSON.stringify({ version: '55.0.0', files }));
      artifacts['cloudformation.assets'] = {
        type: 'cdk:asset-manifest',
        properties: { file: 'assets.json' },
      };
      writeFileSync(join(directory, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts }));
      const deployment = await deployLocal({
        assemblyDirectory: directory,
        clients: options.clients,
        templateParameters: parameters,
        ...(previous === undefined ? {} : { previous }),
        log,
      });
      previous = deployment;
      for (const stack of deployment.stacks)
        for (const resource of Object.values(stack.resources))
          if (resource.type === 'AWS::S3::Bucket') options.s3.createBucket(resource.physicalId);
      await options.onDeployment(deployment);
      const exportNames = new Map(Object.entries(deployment.exports).map(([name, value]) => [value, name]));
      return new Map(
        deployment.stacks.map((stack): [string, RealizedStack] => {
          const declared = (stacks.find((each) => each.stackName === stack.stackName)?.template.Outputs ??
            {}) as Record<string, { Description?: string; Export?: unknown }>;
          return [
            stack.stackName,
            {
              outputs: Object.entries(stack.outputs).map(([key, value]) => {
                const exportName = declared[key]?.Export === undefined ? undefined : exportNames.get(value);
                const description = declared[key]?.Description;
                return {
                  key,
                  value,
                  ...(description === undefined ? {} : { description }),
                  ...(exportName === undefined ? {} : { exportName }),
                };
              }),
              resources: Object.values(stack.resources).map((resource) => ({
                logicalId: resource.logicalId,
                physicalId: resource.physicalId,
                type: resource.type,
              })),
            },
          ];
        }),
      );
    },
    remove: async (stackName, resources) => {
      const { sqs, dynamodb, eventBridge, secretsManager, ssm } = options.clients;
      // What refers to others goes first: rules before their bus.
      const order = (type: string) =>
        type === 'AWS::Events::Rule' ? 0 : type === 'AWS::Events::EventBus' ? 2 : 1;
      for (const { type, physicalId } of [...resources].sort((a, b) => order(a.type) - order(b.type))) {
        try {
          if (type === 'AWS::SQS::Queue') await sqs?.send(new DeleteQueueCommand({ QueueUrl: physicalId }));
          else if (type === 'AWS::DynamoDB::Table')
            await dynamodb?.send(new DeleteTableCommand({ TableName: physicalId }));
          else if (type === 'AWS::Events::Rule') {
            const [bus, rule] = physicalId.includes('|') ? physicalId.split('|') : [undefined, physicalId];
            const targets = await eventBridge?.send(
              new ListTargetsByRuleCommand({
                Rule: rule,
                ...(bus === undefined ? {} : { EventBusName: bus }),
              }),
            );
            const ids = (targets?.Targets ?? []).map((target) => target.Id ?? '');
            if (ids.length > 0)
              await eventBridge?.send(
                new RemoveTargetsCommand({
                  Rule: rule,
                  Ids: ids,
                  ...(bus === undefined ? {} : { EventBusName: bus }),
                }),
              );
            await eventBridge?.send(
              new DeleteRuleCommand({ Name: rule, ...(bus === undefined ? {} : { EventBusName: bus }) }),
            );
          } else if (type === 'AWS::Events::EventBus')
            await eventBridge?.send(new DeleteEventBusCommand({ Name: physicalId }));
          else if (type === 'AWS::SecretsManager::Secret')
            await secretsManager?.send(
              new DeleteSecretCommand({ SecretId: physicalId, ForceDeleteWithoutRecovery: true }),
            );
          else if (type === 'AWS::SSM::Parameter')
            await ssm?.send(new DeleteParameterCommand({ Name: physicalId }));
          else if (type === 'AWS::S3::Bucket') {
            for (const key of options.s3.keys(physicalId)) options.s3.delete(physicalId, key);
            options.s3.deleteBucket(physicalId);
          }
        } catch (error) {
          log(
            `stack ${stackName}: could not delete ${type} ${physicalId}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    },
  };
};
