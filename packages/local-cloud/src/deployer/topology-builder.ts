import { LOCAL_UNSIGNED_CALLER } from '../lambda/http-api-identity.js';
import type {
  AsyncInvokeConfig,
  EventSourceMapping,
  FunctionDefinition,
  HttpRouteDefinition,
  LambdaTopology,
} from '../lambda/types.js';

/** An `AWS::ApiGatewayV2::Integration`, as far as routing needs it. */
export interface IntegrationInfo {
  readonly integrationType: string;
  /** The integrated function's ARN or name, for `AWS_PROXY` Lambda integrations. */
  readonly functionName?: string;
  readonly payloadFormatVersion: string;
  readonly timeoutMs: number;
}

/** An `AWS::ApiGatewayV2::Route` before its integration is looked up. */
export interface RouteInfo {
  readonly routeKey: string;
  /** `integrations/<id>`, or undefined for a route without a target. */
  readonly target?: string;
  readonly authorizationType: string;
}

interface ApiInProgress {
  readonly apiId: string;
  readonly name: string;
  readonly port: number;
  readonly endpoint: string;
  readonly stages: string[];
  readonly integrations: Map<string, IntegrationInfo>;
  readonly routes: RouteInfo[];
}

/** Collects functions, mappings and HTTP API parts while stacks deploy; `build()` joins routes to integrations. */
export class TopologyBuilder {
  private readonly functions: FunctionDefinition[] = [];
  private readonly asyncConfigs: AsyncInvokeConfig[] = [];
  private readonly mappings: EventSourceMapping[] = [];
  private readonly apis = new Map<string, ApiInProgress>();

  public addFunction(definition: FunctionDefinition): void {
    this.functions.push(definition);
  }

  public addAsyncConfig(config: AsyncInvokeConfig): void {
    this.asyncConfigs.push(config);
  }

  public addMapping(mapping: EventSourceMapping): void {
    this.mappings.push(mapping);
  }

  public addApi(api: { apiId: string; name: string; port: number; endpoint: string }): void {
    this.apis.set(api.apiId, { ...api, stages: [], integrations: new Map(), routes: [] });
  }

  /** True when the API was deployed as an HTTP API (WebSocket APIs are not emulated). */
  public hasApi(apiId: string): boolean {
    return this.apis.has(apiId);
  }

  public addStage(apiId: string, stageName: string): void {
    this.api(apiId).stages.push(stageName);
  }

  public addIntegration(apiId: string, integrationId: string, integration: IntegrationInfo): void {
    this.api(apiId).integrations.set(integrationId, integration);
  }

  public addRoute(apiId: string, route: RouteInfo): void {
    this.api(apiId).routes.push(route);
  }

  /** The topology; routes whose integration is not a Lambda proxy are left out with a warning. */
  public build(warn: (message: string) => void): LambdaTopology {
    const functionName = (nameOrArn: string) =>
      nameOrArn.startsWith('arn:') ? (nameOrArn.split(':')[6] ?? nameOrArn) : nameOrArn;
    const httpApis = [...this.apis.values()].map((api) => {
      const routes: HttpRouteDefinition[] = [];
      for (const route of api.routes) {
        const integration = api.integrations.get(route.target?.replace(/^integrations\//, '') ?? '');
        if (integration?.functionName === undefined) {
          warn(
            `HTTP API ${api.name}: route ${route.routeKey} has no Lambda proxy integration and is not served`,
          );
          continue;
        }
        if (route.authorizationType === 'AWS_IAM') {
          warn(
            `HTTP API ${api.name}: route ${route.routeKey} uses AWS_IAM authorization: signatures are not checked locally; the caller is the request's SigV4 access key (unsigned: ${LOCAL_UNSIGNED_CALLER})`,
          );
        } else if (route.authorizationType !== 'NONE') {
          warn(
            `HTTP API ${api.name}: route ${route.routeKey} uses ${route.authorizationType} authorization, not enforced locally`,
          );
        }
        routes.push({
          routeKey: route.routeKey,
          functionName: functionName(integration.functionName),
          payloadFormatVersion: integration.payloadFormatVersion,
          authorizationType: route.authorizationType,
          integrationTimeoutMs: integration.timeoutMs,
        });
      }
      return {
        apiId: api.apiId,
        name: api.name,
        port: api.port,
        endpoint: api.endpoint,
        stages: api.stages,
        routes,
      };
    });
    return {
      functions: [...this.functions],
      asyncInvokeConfigs: this.asyncConfigs.map((config) => ({
        ...config,
        functionName: functionName(config.functionName),
      })),
      eventSourceMappings: this.mappings.map((mapping) => ({
        ...mapping,
        functionName: functionName(mapping.functionName),
      })),
      httpApis,
    };
  }

  private api(apiId: string): ApiInProgress {
    const api = this.apis.get(apiId);
    if (api === undefined)
      throw new Error(`HTTP API ${apiId} is not deployed (only ProtocolType HTTP is emulated)`);
    return api;
  }
}
