export type {
  DeliveryContext,
  DeliveryMetrics,
  RuleDeliveryMetrics,
  TargetDelivery,
  TargetDeliveryRequest,
} from './delivery';
export { TargetDeliveryError } from './delivery';
export type { EventBridgeEvent } from './model';
export { DEFAULT_BUS_NAME } from './model';
export type { CompiledEventPattern } from './pattern';
export { compileEventPattern, EventPatternError, matchesEventPattern, validateEventPattern } from './pattern';
export type { ScheduledRule } from './schedule-runner';
export {
  type AdjustableScheduler,
  ManualScheduler,
  realTimeScheduler,
  SCHEDULE_CLOCK_PATH,
  type Scheduler,
} from './scheduler';
export type { EventBridgeMetrics, EventBridgeServiceOptions } from './service';
export { createEventBridgeService, EVENTBRIDGE_ACTIONS, EventBridgeService } from './service';
