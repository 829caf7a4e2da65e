export * from './idempotent';
