import { describe, expect, inject, it } from 'vitest';
import { formatChaosReport, runChaos } from '../../local/chaos/run';
import { FAULTS_PATH } from '../../packages/local-cloud/src/faults/edge-faults';

/**
 * The chaos suite's short profile (see local/chaos): a few hundred orders across gateway failures, killed workers,
 * DynamoDB throttling, partial PutEvents failures, poison messages and Unicode orders; after settling and replaying
 * every DLQ, the audit of the sources of truth must find nothing lost and nothing charged twice. Only on the local
 * cloud: it injects faults through the local cloud's fault API.
 */
describe.runIf(!process.env.BREAKWATER_TARGET || process.env.BREAKWATER_TARGET === 'local')(
  'chaos (short profile)',
  () => {
    it('loses no order and charges none twice under every fault of the profile', {
      timeout: 480_000,
    }, async () => {
      const description = inject('breakwater');
      const notes: string[] = [];
      const edgeUrl = description.awsEndpointUrl;
      const gatewayAdminUrl = description.gatewayAdminUrl;
      if (edgeUrl === undefined || gatewayAdminUrl === undefined)
        throw new Error('the local cloud provides both');
      const report = await runChaos({
        target: {
          apiUrl: description.apiUrl,
          edgeUrl,
          region: description.region,
          faultsUrl: `${edgeUrl}${FAULTS_PATH}`,
          gatewayAdminUrl,
          outputs: description.outputs,
        },
        profile: 'short',
        // The suite's progress stays quiet; what it replayed, left in a DLQ or lost is shown with the table.
        log: (line) => {
          if (/replayed|left in a DLQ|LOST/.test(line)) notes.push(line);
        },
      });
      console.log([...notes, formatChaosReport(report)].join('\n'));
      expect(report.scenarios.length).toBeGreaterThanOrEqual(4);
      expect(report.ordersTotal).toBeGreaterThanOrEqual(200);
      for (const scenario of report.scenarios) {
        expect.soft(scenario.accepted, scenario.scenario).toBeGreaterThan(0);
        expect
          .soft(scenario.faultHits + (scenario.scenario === 'unicode' ? 1 : 0), scenario.scenario)
          .toBeGreaterThan(0);
        expect.soft(scenario.inconsistent, scenario.scenario).toBe(0);
        expect.soft(scenario.duplicateOrders, scenario.scenario).toBe(0);
        expect.soft(scenario.mangled, scenario.scenario).toBe(0);
      }
      expect({ lost: report.lost, doubleCharges: report.doubleCharges }).toEqual({
        lost: 0,
        doubleCharges: 0,
      });
    });
  },
);
