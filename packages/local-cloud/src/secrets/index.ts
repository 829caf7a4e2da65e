export { createSecretsManager } from './secrets-manager';
export { createSsmParameterStore } from './ssm';
