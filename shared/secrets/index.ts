export * from './readers';
export * from './secret-reader';
