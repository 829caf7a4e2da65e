import { freePort } from '../../support/ports.js';
import { stableToken } from '../naming.js';
import { lookupByResource } from '../overrides.js';
import { optionalNumber, optionalString, requiredString } from '../properties.js';
import type { Provisioner } from './provisioner.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** The function ARN inside an integration URI (a function ARN, or the API Gateway `.../functions/<arn>/invocations`). */
const functionOfUri = (uri: string | undefined): string | undefined => {
  if (uri === undefined) return undefined;
  const wrapped = /functions\/(arn:[^/]+)\/invocations/.exec(uri);
  if (wrapped !== null) return wrapped[1];
  return uri.split(':')[2] === 'lambda' ? uri : undefined;
};

/**
 * `AWS::ApiGatewayV2::Api` with `ProtocolType: HTTP`: gets a local port (from `httpApiPorts` by name, logical id or construct id,
 * else a free one) so that `ApiEndpoint` is known at deploy; the runner serves it there. WebSocket APIs are not
 * emulated. Ref = API id; GetAtt ApiEndpoint, ApiId.
 */
export const provisionHttpApi: Provisioner = async ({ stackName, logicalId, properties }, context) => {
  const apiId = stableToken(`${stackName}/${logicalId}`, 10, LOWER);
  const name = optionalString(properties, 'Name') ?? logicalId;
  if (optionalString(properties, 'ProtocolType') !== 'HTTP') {
    return {
      physicalId: apiId,
      attributes: { ApiId: apiId },
      notEmulatedReason: 'only HTTP APIs are emulated',
    };
  }
  if (properties.Body !== undefined || properties.BodyS3Location !== undefined) {
    context.warn(`HTTP API ${name}: OpenAPI definitions are not imported; only Route resources are served`);
  }
  if (properties.CorsConfiguration !== undefined) context.warn(`HTTP API ${name}: CORS is not emulated`);
  const ports = context.options.httpApiPorts ?? {};
  const previousPort = context.options.previous?.lambda.httpApis.find((api) => api.apiId === apiId)?.port;
  // 0 asks for any free port, as for every other port of the local cloud.
  const given = lookupByResource(ports, { stackName, logicalId, name });
  const port = (given === 0 ? undefined : given) ?? previousPort ?? (await freePort());
  const endpoint = `http://${context.options.httpHost ?? '127.0.0.1'}:${port}`;
  context.topology.addApi({ apiId, name, port, endpoint });
  // Templates often build the URL themselves (CDK's `HttpApi.url` is a Fn::Join), not through ApiEndpoint.
  const { region, urlSuffix } = context.environment;
  context.aliasUrl(`https://${apiId}.execute-api.${region}.${urlSuffix}`, endpoint);
  return { physicalId: apiId, attributes: { ApiId: apiId, ApiEndpoint: endpoint } };
};

/** `AWS::ApiGatewayV2::Stage`: `$default` serves at the root, other stages under `/<stage>`. Ref = stage name. */
export const provisionHttpStage: Provisioner = async ({ properties }, context) => {
  const apiId = requiredString(properties, 'ApiId');
  const stageName = requiredString(properties, 'StageName');
  if (!context.topology.hasApi(apiId))
    return { physicalId: stageName, attributes: {}, notEmulatedReason: 'API not emulated' };
  context.topology.addStage(apiId, stageName);
  return { physicalId: stageName, attributes: {} };
};

/** `AWS::ApiGatewayV2::Integration`: Lambda proxy integrations are served; others are not. Ref = integration id. */
export const provisionHttpIntegration: Provisioner = async (
  { stackName, logicalId, properties },
  context,
) => {
  const apiId = requiredString(properties, 'ApiId');
  const integrationId = stableToken(`${stackName}/${logicalId}`, 7, LOWER);
  const integrationType = requiredString(properties, 'IntegrationType');
  const functionName =
    integrationType === 'AWS_PROXY' ? functionOfUri(optionalString(properties, 'IntegrationUri')) : undefined;
  if (!context.topology.hasApi(apiId) || functionName === undefined) {
    return {
      physicalId: integrationId,
      attributes: {},
      notEmulatedReason: 'only Lambda proxy integrations are emulated',
    };
  }
  context.topology.addIntegration(apiId, integrationId, {
    integrationType,
    functionName,
    payloadFormatVersion: optionalString(properties, 'PayloadFormatVersion') ?? '1.0',
    timeoutMs: optionalNumber(properties, 'TimeoutInMillis') ?? 30_000,
  });
  return { physicalId: integrationId, attributes: {} };
};

/** `AWS::ApiGatewayV2::Route`. Ref = route id. */
export const provisionHttpRoute: Provisioner = async ({ stackName, logicalId, properties }, context) => {
  const apiId = requiredString(properties, 'ApiId');
  const routeId = stableToken(`${stackName}/${logicalId}`, 7, LOWER);
  if (!context.topology.hasApi(apiId))
    return { physicalId: routeId, attributes: {}, notEmulatedReason: 'API not emulated' };
  context.topology.addRoute(apiId, {
    routeKey: requiredString(properties, 'RouteKey'),
    target: optionalString(properties, 'Target'),
    authorizationType: optionalString(properties, 'AuthorizationType') ?? 'NONE',
  });
  return { physicalId: routeId, attributes: {} };
};
