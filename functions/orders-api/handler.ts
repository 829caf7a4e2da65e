// Placeholder so the CDK app can bundle this entry while the function is being written.
export const handler = async (): Promise<never> => {
  throw new Error('not implemented yet');
};
