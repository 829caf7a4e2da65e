export type { EdgeBackend, EdgeExchange, ProxyBackendOptions } from './backends.js';
export { jsonServiceBackend, proxyBackend, serveJsonService } from './backends.js';
export type { Edge, EdgeOptions, PathHandler } from './edge-server.js';
export { DEFAULT_EDGE_PORT, startEdge } from './edge-server.js';
export type { EdgeRoute } from './routing.js';
export { HEALTH_PATH } from './routing.js';
