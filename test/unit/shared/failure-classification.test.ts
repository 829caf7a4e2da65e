import { IdempotencyAlreadyInProgressError } from '@aws-lambda-powertools/idempotency';
import { CallTimeoutError, CircuitOpenError } from '@breakwater/circuit-breaker';
import { describe, expect, it } from 'vitest';
import { retryDelaySeconds } from '../../../shared/batch/retry-schedule';
import {
  AuthorizationError,
  BreakwaterError,
  ConfigurationError,
  ContractError,
  classifyFailure,
  FailureClasses,
} from '../../../shared/errors';
import {
  PaymentGatewayAuthorizationError,
  PaymentGatewayUnavailableError,
  PaymentRequestRejectedError,
} from '../../../shared/payment-gateway';

const nonRetryable: [string, unknown][] = [
  ['a contract violation', new ContractError('unknown event type')],
  ['a configuration problem (a secret still holding its placeholder)', new ConfigurationError('placeholder')],
  ['refused credentials', new AuthorizationError('401')],
  ['a gateway 401', new PaymentGatewayAuthorizationError('refused', { status: 401 })],
  ['a gateway 403', new PaymentGatewayAuthorizationError('refused', { status: 403 })],
  ['a request the gateway refused (422)', new PaymentRequestRejectedError('rejected', { status: 422 })],
];

const retryable: [string, unknown][] = [
  ['a gateway 5xx', new PaymentGatewayUnavailableError('503', { reason: 'status', status: 503 })],
  ['a gateway 429', new PaymentGatewayUnavailableError('429', { reason: 'status', status: 429 })],
  ['a gateway timeout', new PaymentGatewayUnavailableError('timeout', { reason: 'timeout' })],
  ['a breaker call timeout', new CallTimeoutError('payment-gateway', 3000)],
  ['a call refused by an open circuit', new CircuitOpenError('payment-gateway', 'OPEN', 30_000, 'tripped')],
  ['a duplicate racing its twin', new IdempotencyAlreadyInProgressError('in progress')],
  ['our own transient error', new BreakwaterError('publish failed')],
  ['an unexpected bug', new TypeError('x is undefined')],
  ['a thrown string', 'boom'],
];

describe('classifyFailure', () => {
  it.each(nonRetryable)('%s is not retryable', (_, error) => {
    expect(classifyFailure(error)).toBe(FailureClasses.nonRetryable);
  });

  it.each(retryable)('%s is retryable', (_, error) => {
    expect(classifyFailure(error)).toBe(FailureClasses.retryable);
  });

  it('lets an error that says whether it is retryable decide, whatever its class', () => {
    expect(classifyFailure(Object.assign(new ContractError('x'), { retryable: true }))).toBe('retryable');
    expect(classifyFailure(Object.assign(new Error('x'), { retryable: false }))).toBe('non-retryable');
  });

  it('gives a non-retryable failure no back-off (if its DLQ send failed, it walks its receives at once)', () => {
    for (const [, error] of nonRetryable) expect(retryDelaySeconds(error, 3)).toBe(0);
    expect(retryDelaySeconds(new PaymentGatewayUnavailableError('503', { reason: 'status' }), 3)).toBe(8);
  });
});
