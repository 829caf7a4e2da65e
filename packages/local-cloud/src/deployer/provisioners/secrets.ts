import {
  CreateSecretCommand,
  DescribeSecretCommand,
  PutSecretValueCommand,
} from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { stableToken } from '../naming.js';
import { findOverride } from '../overrides.js';
import { optionalString, recordOf } from '../properties.js';
import { generateSecretString } from '../secret-generation.js';
import type { Provisioner } from './provisioner.js';

/**
 * `AWS::SecretsManager::Secret`: CreateSecret with the override from `secretValues`, else the template's
 * `SecretString`, else a value generated locally from `GenerateSecretString`. On a re-deploy the secret stays; an
 * override or a template value is written again, a generated value is kept. Ref = ARN; GetAtt Id = ARN.
 */
export const provisionSecret: Provisioner = async ({ stackName, logicalId, properties }, context) => {
  const secrets = context.client('secretsManager', 'AWS::SecretsManager::Secret');
  const name =
    optionalString(properties, 'Name') ?? `${logicalId}-${stableToken(`${stackName}/${logicalId}`)}`;
  const description = optionalString(properties, 'Description');
  const fixed =
    findOverride(context.options.secretValues, { stackName, logicalId, name, description }) ??
    optionalString(properties, 'SecretString');
  const generate = properties.GenerateSecretString;
  const value =
    fixed ??
    (generate === undefined ? '' : generateSecretString(recordOf(properties, 'GenerateSecretString')));
  let arn: string | undefined;
  try {
    ({ ARN: arn } = await secrets.send(
      new CreateSecretCommand({ Name: name, Description: description, SecretString: value }),
    ));
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ResourceExistsException')) throw error;
    ({ ARN: arn } = await secrets.send(new DescribeSecretCommand({ SecretId: name })));
    if (fixed !== undefined)
      await secrets.send(new PutSecretValueCommand({ SecretId: name, SecretString: fixed }));
  }
  if (arn === undefined) throw new Error(`Secrets Manager returned no ARN for ${name}`);
  return { physicalId: arn, attributes: { Id: arn } };
};

/**
 * `AWS::SSM::Parameter`: PutParameter (overwriting), with the override from `parameterValues` when one matches.
 * Ref = name; GetAtt Type, Value.
 */
export const provisionParameter: Provisioner = async ({ stackName, logicalId, properties }, context) => {
  const ssm = context.client('ssm', 'AWS::SSM::Parameter');
  const name =
    optionalString(properties, 'Name') ?? `CFN-${logicalId}-${stableToken(`${stackName}/${logicalId}`)}`;
  const description = optionalString(properties, 'Description');
  const type = optionalString(properties, 'Type') ?? 'String';
  const value =
    findOverride(context.options.parameterValues, { stackName, logicalId, name, description }) ??
    optionalString(properties, 'Value') ??
    '';
  await ssm.send(
    new PutParameterCommand({
      Name: name,
      Value: value,
      Type: type as 'String',
      Description: description,
      AllowedPattern: optionalString(properties, 'AllowedPattern'),
      Overwrite: true,
    }),
  );
  return { physicalId: name, attributes: { Type: type, Value: value } };
};
