import { expect } from 'vitest';

/**
 * The errors CloudWatch answers, by query code, with the shape the JSON protocol names in `__type` (CloudWatch is
 * query-compatible: the SDK names the error after the shape and reports the query code as `Code`, from the
 * `x-amzn-query-error` header). From the CloudWatch service model's `awsQueryError` traits.
 */
const SHAPES: Readonly<Record<string, string>> = {
  InvalidParameterValue: 'InvalidParameterValueException',
  InvalidParameterCombination: 'InvalidParameterCombinationException',
  MissingParameter: 'MissingRequiredParameterException',
  ResourceNotFound: 'ResourceNotFound',
  InvalidFormat: 'InvalidFormatFault',
  InvalidNextToken: 'InvalidNextToken',
};

/** Awaits a call that must fail with CloudWatch's error of this query code. */
export const expectCloudWatchError = async (call: Promise<unknown>, code: string): Promise<void> => {
  const error = await call.then(
    () => undefined,
    (failure: unknown) => failure as { name?: string; Code?: string },
  );
  expect(error, 'the call was expected to fail').toBeDefined();
  expect({ name: error?.name, code: error?.Code }).toEqual({ name: SHAPES[code] ?? code, code });
};
