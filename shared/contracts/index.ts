export * from './currencies';
export * from './envelope';
export * from './events';
export * from './ids';
export * from './parse';
