import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startUpstashEndpoint } from '@breakwater/local-cloud';
import { startFakePaymentGateway } from '../gateway';

const usage = `Usage: npm run services -- [options]

Starts only the Upstash-REST Redis endpoint (over its own redis-server) and the fake payment gateway, listening on
every interface so that Lambda functions running in containers (LocalStack) can reach them, and prints the secret
values to put in the deployed app's secrets. Runs until Ctrl-C. Use it on a trusted machine: both accept
connections from the network (the gateway's admin API has no authentication).

Options:
  --redis-port N       Redis REST endpoint       default 4568
  --gateway-port N     fake payment gateway      default 4569
  --host H             interface to listen on    default 0.0.0.0
  --container-host H   how containers reach this machine (the URLs in the secrets)  default host.docker.internal
  --help`;

const port = (text: string, flag: string): number => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65_535)
    throw new Error(`--${flag} must be a port, got '${text}'`);
  return value;
};

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      'redis-port': { type: 'string', default: '4568' },
      'gateway-port': { type: 'string', default: '4569' },
      host: { type: 'string', default: '0.0.0.0' },
      'container-host': { type: 'string', default: 'host.docker.internal' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const token = randomBytes(24).toString('hex');
  const apiKey = randomBytes(24).toString('hex');
  const [redis, gateway] = await Promise.all([
    startUpstashEndpoint({ token, port: port(values['redis-port'], 'redis-port'), host: values.host }),
    startFakePaymentGateway({
      apiKey,
      port: port(values['gateway-port'], 'gateway-port'),
      host: values.host,
    }),
  ]);
  const seen = values['container-host'];
  const redisSecret = JSON.stringify({ url: `http://${seen}:${redis.port}`, token });
  const gatewaySecret = JSON.stringify({ url: `http://${seen}:${gateway.port}`, apiKey });
  console.log(`
  Redis REST        ${redis.url} on ${values.host}   admin ${redis.adminUrl}
  Payment gateway   ${gateway.url} on ${values.host}   admin ${gateway.adminUrl}

  Secret values for functions in containers (they reach this machine as ${seen}):
    RedisSecret            ${redisSecret}
    PaymentGatewaySecret   ${gatewaySecret}

  awslocal secretsmanager put-secret-value --secret-id "$RedisSecretArn" --secret-string '${redisSecret}'
  awslocal secretsmanager put-secret-value --secret-id "$PaymentGatewaySecretArn" --secret-string '${gatewaySecret}'
`);
  console.log('[breakwater] local services ready; Ctrl-C stops them');
  const stop = async (code: number) => {
    await Promise.allSettled([redis.stop(), gateway.stop()]);
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(130));
  process.once('SIGTERM', () => void stop(143));
};

main().catch((error: unknown) => {
  console.error(`[breakwater] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
