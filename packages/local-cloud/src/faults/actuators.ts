import type { InvocationFault, LambdaRunner } from '../lambda/index.js';
import type { RedisServer } from '../redis/redis-server.js';
import { type FaultActuator, FaultSpecError, type FaultStore, globMatcher } from './fault-store.js';

/** Lambda idle-worker faults: kill or freeze the idle workers of the matching functions when the rule is added. */
export const lambdaActuator = (
  runner: Pick<LambdaRunner, 'functionNames' | 'disruptIdleWorkers'>,
): FaultActuator => ({
  apply: async (rule) => {
    if (rule.kind !== 'kill' && rule.kind !== 'freeze') return 0;
    const matcher = globMatcher(rule.action);
    if (!runner.functionNames.some((name) => matcher.test(name))) {
      throw new FaultSpecError([
        `action: no function matches ${rule.action}; have ${runner.functionNames.join(', ')}`,
      ]);
    }
    return runner.disruptIdleWorkers(
      (name) => matcher.test(name),
      rule.kind === 'kill' ? { kind: 'kill' } : { kind: 'freeze', ms: rule.ms },
    );
  },
});

/** Lambda invocation faults, as the runner asks for them (`LambdaRunnerOptions.invocationFault`). */
export const invocationFaults =
  (store: FaultStore) =>
  (functionName: string): InvocationFault | undefined => {
    if (!store.has('lambda', ['kill', 'freeze'])) return undefined;
    const fault = store.take({ service: 'lambda', action: functionName }, ['kill', 'freeze']);
    if (fault?.kind === 'kill') return { kind: 'kill', withinMs: fault.withinMs };
    if (fault?.kind === 'freeze') return { kind: 'freeze', ms: fault.ms, withinMs: fault.withinMs };
    return undefined;
  };

/** A Redis outage: redis-server stops on add and starts again (empty) when the window ends or the rule is cleared. */
export const redisActuator = (server: RedisServer): FaultActuator => ({
  apply: async () => {
    await server.stop();
    return 1;
  },
  undo: async () => {
    await server.start();
  },
});
