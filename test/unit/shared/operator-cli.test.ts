import { ExitCodes, exitCodeFor } from '@breakwater/dlq/cli';
import { describe, expect, it } from 'vitest';
import { BreakerCliExitCodes } from '../../../shared/operator-cli/breaker-cli';
import { resolveCircuitName } from '../../../shared/operator-cli/circuits';
import { isMissingConfiguration, OperatorExitCodes } from '../../../shared/operator-cli/exit-codes';
import {
  isLoopbackEndpoint,
  LOCAL_CREDENTIALS,
  resolveConnection,
  sameLoopbackEndpoint,
} from '../../../shared/operator-cli/local-cloud';
import { didYouMean, kebabCase, matchName, queueCatalog } from '../../../shared/operator-cli/names';

const outputs = {
  BillingQueueUrl: 'http://127.0.0.1:4566/000000000000/breakwater-dev-billing-BillingQueue8B703BAB-VAVV',
  BillingDlqUrl:
    'http://127.0.0.1:4566/000000000000/breakwater-dev-billing-BillingDeadLetterQueue44936FE8-G7Q1',
  BillingTargetDlqUrl:
    'http://127.0.0.1:4566/000000000000/breakwater-dev-billing-BillingTargetDeadLetter-ICXC',
  BillingDlqArn:
    'arn:aws:sqs:us-east-1:000000000000:breakwater-dev-billing-BillingDeadLetterQueue44936FE8-G7Q1',
  PublishOutputFnGetAttBillingQueue8B703BABQueueUrl: 'generated',
  PaymentGatewayCircuitId: 'payment-gateway',
};

describe('friendly names', () => {
  const catalog = queueCatalog(outputs);

  it('names each queue output by its key stem, in any case or dashes, and a consumer queue by its owner', () => {
    expect(catalog.map((entry) => entry.label).sort()).toEqual([
      'billing-dlq',
      'billing-queue',
      'billing-target-dlq',
    ]);
    for (const name of ['BillingDlq', 'billing-dlq', 'BILLING_DLQ', 'BillingDlqArn'])
      expect(matchName(catalog, name).map((entry) => entry.id)).toEqual([outputs.BillingDlqUrl]);
    expect(matchName(catalog, 'billing').map((entry) => entry.id)).toEqual([outputs.BillingQueueUrl]);
  });

  it('suggests the closest names on a miss, or lists the known ones when none is close', () => {
    expect(didYouMean(['billing-dlq', 'billing-queue', 'billing-target-dlq'], 'billng-dlq')).toBe(
      '; did you mean billing-dlq?',
    );
    expect(didYouMean(['billing-dlq', 'billing-queue'], 'zzz')).toBe('; known: billing-dlq, billing-queue');
    expect(kebabCase('OutboxPublisherFailureDlq')).toBe('outbox-publisher-failure-dlq');
  });

  it('resolves circuits by id and output name, and refuses an unknown one instead of calling it CLOSED', () => {
    const known = { inTable: ['orders:redis'], outputs };
    expect(resolveCircuitName('payment-gateway', known)).toBe('payment-gateway');
    expect(resolveCircuitName('PaymentGatewayCircuitId', known)).toBe('payment-gateway');
    expect(resolveCircuitName('orders:redis', known)).toBe('orders:redis');
    expect(() => resolveCircuitName('payment-gatway', known)).toThrow(
      'unknown circuit: payment-gatway; did you mean payment-gateway?',
    );
  });
});

describe('connection defaults of the operator CLIs', () => {
  it('treats localhost, 127/8 and ::1 as the local cloud, and the same port as the same edge', () => {
    expect(
      ['http://localhost:4566', 'http://127.0.0.2:1', 'http://[::1]:4566'].every(isLoopbackEndpoint),
    ).toBe(true);
    expect(isLoopbackEndpoint('https://sqs.us-east-1.amazonaws.com')).toBe(false);
    expect(sameLoopbackEndpoint('http://127.0.0.1:4566', 'http://localhost:4566/')).toBe(true);
    expect(sameLoopbackEndpoint('http://127.0.0.1:4566', 'http://127.0.0.1:4577')).toBe(false);
  });

  it('defaults region and dummy credentials for a loopback endpoint only, and never over the environment', () => {
    const none = '/nonexistent';
    expect(resolveConnection({}, { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }, none)).toEqual({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4566',
      credentials: LOCAL_CREDENTIALS,
    });
    expect(
      resolveConnection(
        { endpoint: 'http://localhost:1' },
        { AWS_PROFILE: 'mine', AWS_REGION: 'eu-west-1' },
        none,
      ),
    ).toEqual({ region: 'eu-west-1', endpoint: 'http://localhost:1' });
    expect(resolveConnection({}, { AWS_REGION: 'eu-west-1' }, none)).toEqual({ region: 'eu-west-1' });
  });

  it('treats missing credentials or region as a configuration error (2), in both CLIs', () => {
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(isMissingConfiguration(noCredentials)).toBe(true);
    expect(isMissingConfiguration(new Error('Region is missing'))).toBe(true);
    expect(isMissingConfiguration(new Error('Throttling'))).toBe(false);
    expect(exitCodeFor(noCredentials)).toBe(OperatorExitCodes.usage);
  });

  it('gives both CLIs the same exit codes', () => {
    expect(ExitCodes).toEqual({
      ok: OperatorExitCodes.ok,
      someFailed: OperatorExitCodes.failed,
      usage: OperatorExitCodes.usage,
      queueNotFound: OperatorExitCodes.notFound,
      permissionDenied: OperatorExitCodes.permissionDenied,
      interrupted: OperatorExitCodes.interrupted,
    });
    expect(BreakerCliExitCodes).toEqual({ ok: 0, failed: 1, usage: 2, notFound: 3 });
  });
});
