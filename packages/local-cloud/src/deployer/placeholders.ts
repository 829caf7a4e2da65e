import { generatedName, type LocalEnvironment, localArn, stableToken, stableUuid } from './naming.js';
import { optionalString, type Properties } from './properties.js';
import type { Provisioned } from './provisioners/provisioner.js';

/** Why a resource type is not created locally; anything absent here gets the default reason. */
const REASONS: Readonly<Record<string, string>> = {
  'AWS::IAM::Role': 'IAM is not enforced locally',
  'AWS::IAM::Policy': 'IAM is not enforced locally',
  'AWS::IAM::ManagedPolicy': 'IAM is not enforced locally',
  'AWS::SQS::QueuePolicy': 'resource policies are not enforced locally',
  'AWS::SNS::TopicPolicy': 'resource policies are not enforced locally',
  'AWS::Events::EventBusPolicy': 'resource policies are not enforced locally',
  'AWS::Lambda::Permission': 'resource policies are not enforced locally',
  'AWS::KMS::Key': 'encryption is not emulated',
  'AWS::KMS::Alias': 'encryption is not emulated',
  'AWS::CloudWatch::CompositeAlarm': 'composite alarms are not evaluated locally',
  'AWS::CloudWatch::Dashboard': 'dashboards are not drawn locally',
  'AWS::CDK::Metadata': 'CDK bookkeeping only',
  'AWS::ApiGatewayV2::Authorizer': 'authorizers are not enforced locally',
  'AWS::Lambda::Version': 'functions always run $LATEST locally',
  'AWS::Lambda::Alias': 'functions always run $LATEST locally',
};

/** The reason listed for a type that is not emulated. */
export const notEmulatedReason = (type: string): string =>
  REASONS[type] ??
  (type.startsWith('Custom::') ? 'custom resources do not run locally' : 'no local emulation for this type');

const serviceOf = (type: string): string => (type.split('::')[1] ?? 'unknown').toLowerCase();

/**
 * Names and ARNs for a resource that is not created, so that references to it (a role ARN in a function, a topic
 * in an alarm) still resolve to well-formed values.
 */
export const placeholderFor = (
  type: string,
  stackName: string,
  logicalId: string,
  properties: Properties,
  environment: LocalEnvironment,
): Provisioned => {
  const name = (key: string, maxLength = 64) =>
    optionalString(properties, key) ?? generatedName(stackName, logicalId, maxLength);
  switch (type) {
    case 'AWS::IAM::Role': {
      const roleName = name('RoleName');
      return {
        physicalId: roleName,
        attributes: {
          Arn: localArn(environment, 'iam', `role/${roleName}`, ''),
          RoleId: `AROA${stableToken(roleName, 17)}`,
        },
      };
    }
    case 'AWS::IAM::ManagedPolicy': {
      const arn = localArn(environment, 'iam', `policy/${name('ManagedPolicyName', 128)}`, '');
      return { physicalId: arn, attributes: { PolicyArn: arn } };
    }
    case 'AWS::SNS::Topic': {
      const topicName = name('TopicName', 256);
      const arn = localArn(environment, 'sns', topicName);
      return { physicalId: arn, attributes: { TopicArn: arn, TopicName: topicName } };
    }
    case 'AWS::S3::Bucket': {
      // S3 bucket names are lower case (a generated one too); the bucket is the one `BucketName` says.
      const bucketName = name('BucketName', 63).toLowerCase();
      const { region, urlSuffix } = environment;
      return {
        physicalId: bucketName,
        attributes: {
          Arn: `arn:aws:s3:::${bucketName}`,
          DomainName: `${bucketName}.s3.${urlSuffix}`,
          RegionalDomainName: `${bucketName}.s3.${region}.${urlSuffix}`,
          WebsiteURL: `http://${bucketName}.s3-website-${region}.${urlSuffix}`,
        },
      };
    }
    case 'AWS::KMS::Key': {
      const keyId = stableUuid(`${stackName}/${logicalId}`);
      return {
        physicalId: keyId,
        attributes: { Arn: localArn(environment, 'kms', `key/${keyId}`), KeyId: keyId },
      };
    }
    case 'AWS::Logs::LogGroup': {
      const groupName = name('LogGroupName', 512);
      return {
        physicalId: groupName,
        attributes: { Arn: localArn(environment, 'logs', `log-group:${groupName}:*`) },
      };
    }
    case 'AWS::CloudWatch::Alarm': {
      const alarmName = name('AlarmName', 255);
      return {
        physicalId: alarmName,
        attributes: { Arn: localArn(environment, 'cloudwatch', `alarm:${alarmName}`) },
      };
    }
    default:
      return { physicalId: generatedName(stackName, logicalId, 64), attributes: {} };
  }
};

/** `Fn::GetAtt` of a placeholder for an attribute it does not know: an ARN-looking value or its name. */
export const placeholderAttribute = (
  type: string,
  physicalId: string,
  attribute: string,
  environment: LocalEnvironment,
): string =>
  attribute.endsWith('Arn') || attribute === 'Arn'
    ? localArn(
        environment,
        serviceOf(type),
        `${(type.split('::')[2] ?? 'resource').toLowerCase()}/${physicalId}`,
      )
    : physicalId;
