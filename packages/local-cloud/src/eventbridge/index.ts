export type {
  DeliveryContext,
  DeliveryMetrics,
  RuleDeliveryMetrics,
  TargetDelivery,
  TargetDeliveryRequest,
} from './delivery.js';
export { TargetDeliveryError } from './delivery.js';
export type { EventBridgeEvent } from './model.js';
export { DEFAULT_BUS_NAME } from './model.js';
export type { CompiledEventPattern } from './pattern.js';
export {
  compileEventPattern,
  EventPatternError,
  matchesEventPattern,
  validateEventPattern,
} from './pattern.js';
export type { ScheduledRule } from './schedule-runner.js';
export {
  type AdjustableScheduler,
  ManualScheduler,
  realTimeScheduler,
  SCHEDULE_CLOCK_PATH,
  type Scheduler,
} from './scheduler.js';
export type { EventBridgeMetrics, EventBridgeServiceOptions } from './service.js';
export { createEventBridgeService, EVENTBRIDGE_ACTIONS, EventBridgeService } from './service.js';
