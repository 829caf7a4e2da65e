export * from './placeholder';
export * from './readers';
export * from './refresh';
export * from './secret-reader';
