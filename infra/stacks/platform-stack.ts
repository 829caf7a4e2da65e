import { type RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { type Archive, EventBus, Match } from 'aws-cdk-lib/aws-events';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { SECRET_PLACEHOLDER_URL } from '../../shared/secrets/placeholder';
import type { StageConfig } from '../config';
import { acknowledge, NagReasons } from '../constructs/nag';
import { createTable } from '../defaults';
import { addOutput } from './outputs';

/** Properties of the {@link PlatformStack}. */
export interface PlatformStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * What every service shares: the event bus (with an archive for replay), the idempotency and circuit-breaker
 * tables, and the two secrets (Upstash Redis, payment gateway).
 */
export class PlatformStack extends Stack {
  public readonly eventBus: EventBus;
  public readonly archive: Archive;
  /** Powertools idempotency schema: partition key `id`, TTL attribute `expiration`. */
  public readonly idempotencyTable: Table;
  /** Circuit breaker state: partition key `pk` (circuit id), TTL attribute `expiresAt`. */
  public readonly breakerTable: Table;
  /** `{"url","token"}` of the Upstash Redis REST endpoint. */
  public readonly redisSecret: Secret;
  /** `{"url","apiKey"}` of the payment gateway. */
  public readonly paymentGatewaySecret: Secret;

  public constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.eventBus = new EventBus(this, 'EventBus', {
      eventBusName: config.prefix,
      description: `${config.prefix}: domain events of the order pipeline`,
    });
    this.archive = this.eventBus.archive('Archive', {
      description: `${config.prefix}: every Breakwater event, for replay onto the bus`,
      eventPattern: { source: Match.prefix('breakwater.') },
      retention: config.archiveRetention,
    });
    this.archive.applyRemovalPolicy(config.removalPolicy);

    this.idempotencyTable = createTable(this, 'IdempotencyTable', {
      partitionKey: 'id',
      timeToLiveAttribute: 'expiration',
      config,
    });
    this.breakerTable = createTable(this, 'BreakerTable', {
      partitionKey: 'pk',
      timeToLiveAttribute: 'expiresAt',
      config,
    });

    this.redisSecret = externalCredential(this, 'RedisSecret', {
      description: `${config.prefix}: Upstash Redis REST endpoint {"url","token"}`,
      placeholderField: 'url',
      generatedField: 'token',
      removalPolicy: config.removalPolicy,
    });
    this.paymentGatewaySecret = externalCredential(this, 'PaymentGatewaySecret', {
      description: `${config.prefix}: payment gateway {"url","apiKey"}`,
      placeholderField: 'url',
      generatedField: 'apiKey',
      removalPolicy: config.removalPolicy,
    });

    addOutput(this, 'EventBusName', this.eventBus.eventBusName, 'Name of the Breakwater event bus');
    addOutput(this, 'EventBusArn', this.eventBus.eventBusArn, 'ARN of the Breakwater event bus');
    addOutput(
      this,
      'EventArchiveName',
      this.archive.archiveName,
      'Archive of the bus (replay target: the bus)',
    );
    addOutput(
      this,
      'IdempotencyTableName',
      this.idempotencyTable.tableName,
      'Powertools idempotency records',
    );
    addOutput(this, 'BreakerTableName', this.breakerTable.tableName, 'Circuit breaker state');
    addOutput(this, 'RedisSecretArn', this.redisSecret.secretArn, 'Secret {"url","token"} of Upstash Redis');
    addOutput(
      this,
      'PaymentGatewaySecretArn',
      this.paymentGatewaySecret.secretArn,
      'Secret {"url","apiKey"} of the payment gateway',
    );
  }
}

interface ExternalCredentialOptions {
  readonly description: string;
  /** JSON field holding a non-secret placeholder (the endpoint URL) until the operator writes the real value. */
  readonly placeholderField: string;
  /** JSON field whose value Secrets Manager generates, so that no credential is ever written in the template. */
  readonly generatedField: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * How Secrets Manager generates an external credential's first value: the placeholder URL (`SECRET_PLACEHOLDER_URL`,
 * which the functions recognise and refuse with a ConfigurationError saying what to put in the secret) and a
 * generated 40-character field. A pure function of the two field names and constants, nothing per stage.
 *
 * Never change it: CloudFormation generates a secret's value again whenever its `GenerateSecretString` changes,
 * which would overwrite the real credentials an operator wrote with PutSecretValue. `test/infra/security.test.ts`
 * pins the synthesized value (and the secrets' logical ids: a new logical id is a new secret, holding the
 * placeholder again).
 */
export const externalCredentialGeneration = (placeholderField: string, generatedField: string) => ({
  secretStringTemplate: JSON.stringify({ [placeholderField]: SECRET_PLACEHOLDER_URL }),
  generateStringKey: generatedField,
  excludePunctuation: true,
  passwordLength: 40,
});

/**
 * A JSON secret for a credential issued by an external provider. The template holds only a placeholder URL (on the
 * reserved `.invalid` domain, so nothing can call it by accident) and Secrets Manager generates the credential
 * field; the operator then writes the provider's real values with PutSecretValue, which later deploys never touch
 * (see {@link externalCredentialGeneration}).
 */
function externalCredential(scope: Construct, id: string, options: ExternalCredentialOptions): Secret {
  const secret = new Secret(scope, id, {
    description: options.description,
    removalPolicy: options.removalPolicy,
    generateSecretString: externalCredentialGeneration(options.placeholderField, options.generatedField),
  });
  acknowledge(secret, 'AwsSolutions-SMG4', NagReasons.externalCredential);
  return secret;
}
