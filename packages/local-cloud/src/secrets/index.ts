export { createSecretsManager } from './secrets-manager.js';
export { createSsmParameterStore } from './ssm.js';
