import type { LocalCloud } from '../cloud/local-cloud';

/** Placeholder replaced below. */
export const runDemo = async (_cloud: LocalCloud, say: (line: string) => void): Promise<void> => {
  say('demo: not written yet');
};
