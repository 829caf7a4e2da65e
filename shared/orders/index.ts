export * from './order';
export * from './order-cache';
export * from './order-repository';
