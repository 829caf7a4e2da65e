#!/usr/bin/env node
// Entry of `npx breakwater-dlq`: registers tsx's loader so the TypeScript CLI runs as is, without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../shared/dlq/cli.ts');
await main();
