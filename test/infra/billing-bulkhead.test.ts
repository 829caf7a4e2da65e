import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingBulkhead } from '../../infra/billing-bulkhead';
import { stageConfigFrom } from '../../infra/config';
import { InfraConfigurationError } from '../../infra/errors';
import { type SynthResult, synthBreakwater } from './support/synth';

describe('billing bulkhead arithmetic', () => {
  it('sizes the concurrency so that the charges per second stay within the gateway rate limit', () => {
    // 200 req/s at 300 ms: 60 charges in flight, as 6 invocations of 10 records charged in parallel.
    expect(billingBulkhead({ gatewayRateLimitPerSecond: 200, gatewayLatencyMs: 300, batchSize: 10 })).toEqual(
      {
        gatewayRateLimitPerSecond: 200,
        gatewayLatencyMs: 300,
        batchSize: 10,
        maxConcurrency: 6,
        chargesInFlight: 60,
        chargesPerSecond: 200,
      },
    );
    // A rate that does not divide evenly rounds the concurrency down: never above the gateway's limit.
    const uneven = billingBulkhead({ gatewayRateLimitPerSecond: 250, gatewayLatencyMs: 300, batchSize: 10 });
    expect(uneven.maxConcurrency).toBe(7);
    expect(uneven.chargesPerSecond).toBeLessThanOrEqual(250);
  });

  it('refuses a figure that is not a positive number', () => {
    expect(() =>
      billingBulkhead({ gatewayRateLimitPerSecond: 0, gatewayLatencyMs: 300, batchSize: 10 }),
    ).toThrow(/gatewayRateLimitPerSecond.*positive/);
    expect(() =>
      billingBulkhead({ gatewayRateLimitPerSecond: 100, gatewayLatencyMs: Number.NaN, batchSize: 10 }),
    ).toThrow(InfraConfigurationError);
  });

  it('refuses a batch outside 1-10', () => {
    expect(() =>
      billingBulkhead({ gatewayRateLimitPerSecond: 100, gatewayLatencyMs: 300, batchSize: 11 }),
    ).toThrow(/batchSize.*1 to 10/);
  });

  it('refuses a gateway too slow to feed the event source minimum of 2 invocations', () => {
    expect(() =>
      billingBulkhead({ gatewayRateLimitPerSecond: 25, gatewayLatencyMs: 300, batchSize: 10 }),
    ).toThrow(/at least 2: lower batchSize/);
  });

  it('refuses a rate that needs more than one event source mapping can run', () => {
    expect(() =>
      billingBulkhead({ gatewayRateLimitPerSecond: 50_000, gatewayLatencyMs: 300, batchSize: 10 }),
    ).toThrow(/at most 1000: shard/);
  });
});

describe('billing bulkhead as stage settings', () => {
  it('derives each stage from its gateway figures, and takes CDK context overrides', () => {
    expect(
      stageConfigFrom(new App({ context: { stage: 'dev', alarms: 'none' } })).billing.maxConcurrency,
    ).toBe(6);
    expect(
      stageConfigFrom(new App({ context: { stage: 'prod', alarms: 'none' } })).billing.maxConcurrency,
    ).toBe(30);
    const tuned = stageConfigFrom(
      new App({
        context: { stage: 'prod', alarms: 'none', billingGatewayRateLimit: '400', billingBatchSize: '5' },
      }),
    );
    expect(tuned.billing).toMatchObject({ maxConcurrency: 24, batchSize: 5, chargesPerSecond: 400 });
    expect(() =>
      stageConfigFrom(new App({ context: { alarms: 'none', billingGatewayLatencyMs: 'fast' } })),
    ).toThrow(/billingGatewayLatencyMs.*must be a number/);
  });

  describe('in the billing stack', () => {
    let synth: SynthResult;
    beforeAll(() => {
      synth = synthBreakwater({ context: { stage: 'prod', billingGatewayRateLimit: 600 } });
    });
    afterAll(() => synth?.cleanup());

    it("caps billing's event source at the derived concurrency and batch size", () => {
      // 600 req/s at 300 ms, 10 per batch: ⌊600 × 0.3 / 10⌋ = 18.
      synth.templates.billing.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        BatchSize: 10,
        ScalingConfig: { MaximumConcurrency: 18 },
      });
      expect(
        Object.keys(synth.templates.billing.findResources('AWS::Lambda::EventSourceMapping')),
      ).toHaveLength(1);
    });
  });
});
