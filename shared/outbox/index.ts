export * from './metrics';
export * from './outbox-item';
export * from './outbox-store';
