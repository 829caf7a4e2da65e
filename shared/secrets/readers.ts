// The secrets Breakwater reads, their shapes and their readers.
import * as z from '../contracts/zod';
import { createSecretReader, type SecretReader, type SecretReaderOptions } from './secret-reader';

/** The Upstash Redis secret: REST URL and token. */
export const redisSecretSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  token: z.string().check(z.minLength(1)),
});

/** The payment gateway secret: base URL and API key. */
export const paymentGatewaySecretSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  apiKey: z.string().check(z.minLength(1)),
});

/** The Redis secret's content. */
export type RedisSecret = z.infer<typeof redisSecretSchema>;
/** The payment gateway secret's content. */
export type PaymentGatewaySecret = z.infer<typeof paymentGatewaySecretSchema>;

/** Reader of the Redis secret (`EnvNames.redisSecretId`). */
export const redisSecretReader = (options?: SecretReaderOptions): SecretReader<RedisSecret> =>
  createSecretReader(redisSecretSchema, options);

/** Reader of the payment gateway secret (`EnvNames.paymentGatewaySecretId`). */
export const paymentGatewaySecretReader = (
  options?: SecretReaderOptions,
): SecretReader<PaymentGatewaySecret> => createSecretReader(paymentGatewaySecretSchema, options);
