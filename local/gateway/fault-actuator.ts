import { type FaultActuator, FaultSpecError } from '@breakwater/local-cloud';
import type { GatewayAdminClient } from './admin-client';
import { DEFAULT_GATEWAY_CONFIG } from './gateway-model';

/**
 * The fake gateway's knobs as a fault: merged over its configuration on add (refused with the gateway's own issues),
 * back to the healthy defaults when the window ends or the rule is cleared. The ledger is kept.
 */
export const gatewayActuator = (admin: GatewayAdminClient): FaultActuator => ({
  apply: async (rule) => {
    if (rule.kind !== 'gateway') return 0;
    try {
      await admin.updateConfig(rule.knobs);
    } catch (error) {
      throw new FaultSpecError([`knobs: ${error instanceof Error ? error.message : String(error)}`]);
    }
    return 1;
  },
  undo: async () => {
    await admin.updateConfig({ ...DEFAULT_GATEWAY_CONFIG, declineForReferences: [] });
  },
});
