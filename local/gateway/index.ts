export { GatewayAdminClient, GatewayAdminError } from './admin-client';
export {
  type ChargeAttempt,
  type ChargeDecision,
  FakeGatewayCore,
  type FakeGatewayCoreOptions,
} from './gateway-core';
export {
  type ChargeOutcome,
  ChargeOutcomes,
  type ChargeRecord,
  type ChargeRequest,
  ChargeRequestSchema,
  DEFAULT_GATEWAY_CONFIG,
  type GatewayConfig,
  GatewayConfigSchema,
  type GatewayConfigUpdate,
  GatewayConfigUpdateSchema,
  type GatewayStats,
  type LedgerEntry,
} from './gateway-model';
export {
  ADMIN_PATH,
  createGatewayRequestHandler,
  type FakePaymentGateway,
  type FakePaymentGatewayOptions,
  startFakePaymentGateway,
} from './gateway-server';
