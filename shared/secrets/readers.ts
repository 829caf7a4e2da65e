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

/** What the Redis secret holds, for the messages that tell an operator how to fill it. */
export const redisSecretDescription = {
  holds: 'the Upstash Redis REST URL and token',
  example: '{"url":"https://<db>.upstash.io","token":"<token>"}',
} as const;

/** What the payment gateway secret holds. */
export const paymentGatewaySecretDescription = {
  holds: "the payment gateway's base URL and API key",
  example: '{"url":"https://api.your-gateway.example","apiKey":"<key>"}',
} as const;

/** Reader of the Redis secret (`EnvNames.redisSecretId`). */
export const redisSecretReader = (options?: SecretReaderOptions): SecretReader<RedisSecret> =>
  createSecretReader(redisSecretSchema, redisSecretDescription, options);

/** Reader of the payment gateway secret (`EnvNames.paymentGatewaySecretId`). */
export const paymentGatewaySecretReader = (
  options?: SecretReaderOptions,
): SecretReader<PaymentGatewaySecret> =>
  createSecretReader(paymentGatewaySecretSchema, paymentGatewaySecretDescription, options);
