export * from './outbox-item';
export * from './outbox-store';
