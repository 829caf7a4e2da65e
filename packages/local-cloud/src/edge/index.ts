export type { EdgeBackend, EdgeExchange, ProxyBackendOptions } from './backends';
export { jsonServiceBackend, proxyBackend, serveJsonService } from './backends';
export type { Edge, EdgeOptions, PathHandler } from './edge-server';
export { DEFAULT_EDGE_PORT, startEdge } from './edge-server';
export type { EdgeRoute } from './routing';
export { HEALTH_PATH } from './routing';
