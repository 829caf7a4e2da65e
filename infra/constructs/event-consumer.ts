import {
  type EventConsumerProps as ConsumerProps,
  EventConsumerDefaults,
  EventConsumer as PackagedEventConsumer,
} from '@breakwater/event-consumer';
import type { Construct } from 'constructs';
import { EnvNames } from '../../shared/config/env-names';
import type { StageConfig } from '../config';
import type { FunctionName } from '../paths';
import type { ConsumerAlarms, OperationsMonitoring } from './monitoring/operations-monitoring';
import { ServiceFunction } from './service-function';

/** Properties of a Breakwater {@link EventConsumer}: the package's, with Breakwater's function and stage. */
export interface EventConsumerProps
  extends Omit<
    ConsumerProps<ConsumerAlarms>,
    'handler' | 'monitoring' | 'removalPolicy' | 'ruleDescription' | 'ruleName' | 'alarmActions'
  > {
  /** Folder under `functions/` holding the handler. */
  readonly handler: FunctionName;
  readonly config: StageConfig;
  /** Builds every alarm of the consumer (in the Operations stack) and its dashboard row. */
  readonly monitoring: OperationsMonitoring;
  /** Function environment (EnvNames only; secrets by ARN). Default: none beyond STAGE and Powertools. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Function memory in MB. Default: `FunctionDefaults.memorySize` (256). */
  readonly memorySize?: number;
}

/**
 * Breakwater's consumers: the `@breakwater/event-consumer` construct, as any user takes it, with Breakwater's
 * `ServiceFunction` (bundled handler under `functions/`, log group, Powertools settings) as the handler, the stage's
 * removal policy and prefix, a named rule, every alarm through the operations monitoring, and
 * `DEAD_LETTER_QUEUE_URL` from EnvNames.
 */
export class EventConsumer extends PackagedEventConsumer<ConsumerAlarms> {
  /** Breakwater's wrapper of {@link EventConsumer.function}. */
  public readonly handler: ServiceFunction;

  public constructor(scope: Construct, id: string, props: EventConsumerProps) {
    const { handler, config, environment, memorySize, ...settings } = props;
    let built: ServiceFunction | undefined;
    super(scope, id, {
      ...settings,
      removalPolicy: config.removalPolicy,
      ruleDescription: `${config.prefix}: events for the ${props.consumerName} consumer`,
      // Named, so that its AWS/Events metrics (dimensioned by rule name) can be alarmed on without a token.
      ruleName: `${config.prefix}-${props.consumerName}`,
      deadLetterQueueUrlEnv: EnvNames.deadLetterQueueUrl,
      handler: (self, handlerId) => {
        built = new ServiceFunction(self, handlerId, {
          name: handler,
          serviceName: props.consumerName,
          config,
          timeout: settings.timeout ?? EventConsumerDefaults.timeout,
          ...(memorySize ? { memorySize } : {}),
          ...(environment ? { environment } : {}),
        });
        return built.function;
      },
    });
    this.handler = built as ServiceFunction;
  }
}
