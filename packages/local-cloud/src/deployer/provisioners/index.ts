import { provisionTable } from './dynamodb.js';
import { provisionArchive, provisionEventBus, provisionRule } from './events.js';
import {
  provisionHttpApi,
  provisionHttpIntegration,
  provisionHttpRoute,
  provisionHttpStage,
} from './http-api.js';
import { provisionEventInvokeConfig, provisionEventSourceMapping, provisionFunction } from './lambda.js';
import { provisionAlarm, provisionLogGroup, provisionSubscription, provisionTopic } from './operations.js';
import type { Provisioner } from './provisioner.js';
import { provisionParameter, provisionSecret } from './secrets.js';
import { provisionQueue } from './sqs.js';

/** The resource types the local cloud emulates, and how each is created. Every other type gets a placeholder. */
export const PROVISIONERS: Readonly<Record<string, Provisioner>> = {
  'AWS::SQS::Queue': provisionQueue,
  'AWS::DynamoDB::Table': provisionTable,
  'AWS::DynamoDB::GlobalTable': provisionTable,
  'AWS::Events::EventBus': provisionEventBus,
  'AWS::Events::Rule': provisionRule,
  'AWS::Events::Archive': provisionArchive,
  'AWS::SecretsManager::Secret': provisionSecret,
  'AWS::SSM::Parameter': provisionParameter,
  'AWS::Lambda::Function': provisionFunction,
  'AWS::Lambda::EventSourceMapping': provisionEventSourceMapping,
  'AWS::Lambda::EventInvokeConfig': provisionEventInvokeConfig,
  'AWS::ApiGatewayV2::Api': provisionHttpApi,
  'AWS::ApiGatewayV2::Stage': provisionHttpStage,
  'AWS::ApiGatewayV2::Integration': provisionHttpIntegration,
  'AWS::ApiGatewayV2::Route': provisionHttpRoute,
  'AWS::SNS::Topic': provisionTopic,
  'AWS::SNS::Subscription': provisionSubscription,
  'AWS::CloudWatch::Alarm': provisionAlarm,
  'AWS::Logs::LogGroup': provisionLogGroup,
};
