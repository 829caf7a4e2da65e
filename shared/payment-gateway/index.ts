export * from './client';
export * from './errors';
export * from './secret-backed';
export * from './types';
