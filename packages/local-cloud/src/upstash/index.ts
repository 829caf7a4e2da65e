export {
  REDIS_ADMIN_PATH,
  RedisAdminClient,
  RedisAdminError,
  type RedisStatus,
} from './redis-admin.js';
export { RedisCommandRunner, type TransactionAborted } from './redis-runner.js';
export {
  parseCommand,
  parseCommandList,
  type RedisCommand,
  type RestOutcome,
  type RestValue,
  toRestValue,
} from './rest-encoding.js';
export {
  createUpstashRequestHandler,
  startUpstashEndpoint,
  type UpstashEndpoint,
  type UpstashEndpointOptions,
  type UpstashHandlerOptions,
} from './upstash-endpoint.js';
