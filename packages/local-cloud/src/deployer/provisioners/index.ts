import { provisionTable } from './dynamodb';
import { provisionArchive, provisionEventBus, provisionRule } from './events';
import {
  provisionHttpApi,
  provisionHttpIntegration,
  provisionHttpRoute,
  provisionHttpStage,
} from './http-api';
import { provisionEventInvokeConfig, provisionEventSourceMapping, provisionFunction } from './lambda';
import { provisionAlarm, provisionLogGroup, provisionSubscription, provisionTopic } from './operations';
import type { Provisioner } from './provisioner';
import { provisionParameter, provisionSecret } from './secrets';
import { provisionQueue } from './sqs';

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
